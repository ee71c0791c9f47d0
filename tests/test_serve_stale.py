"""A release saved again while its PDF renders: the preview abandons the stale render,
renders the newest, and never serves the older PDF once the newer is saved.

The release is a statement long enough that its PDF takes seconds (a few
dozen pages) while it loads in hundredths, so that the second save is seen
while the first render is under way.
Real files, real worker processes, a real ``pressroom serve``: no mocks.
"""

from __future__ import annotations

import io
import os
import queue
import re
import threading
import time
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from pressroom.errors import RenderError
from pressroom.load.room import load_release, load_room
from pressroom.render.context import document
from pressroom.render.environment import make_environment
from pressroom.render.pdf import render_pdf
from pressroom.serve.renders import Renderer, Superseded
from tests.browser import start_server

NAME = "2026-12-20-long-statement"
OLD, NEW = "a" * 64, "b" * 64  # content hashes
PARAGRAPHS = 150  # of 80 words: seconds of layout, still rendering when the next save comes


def statement(headline: str) -> str:
    words = " ".join(f"word{i % 97}" for i in range(80))
    body = "".join(f"  - Paragraph {i} {words}.\n" for i in range(PARAGRAPHS))
    return f"type: statement\ndate: 2026-12-20\nheadline: {headline}\nbody:\n{body}"


def save(path: Path, text: str) -> None:
    """As an editor saves: a temporary file beside *path*, renamed over it."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def first_page(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def listen(url: str) -> queue.Queue[str]:
    """The ``change`` events of the server at *url*, as they arrive."""
    events: queue.Queue[str] = queue.Queue()
    ready = threading.Event()

    def run() -> None:
        with httpx.stream("GET", url + "events", timeout=None) as stream:
            for line in stream.iter_lines():
                if line.startswith("event: hello"):
                    ready.set()
                elif line.startswith("data:") and ready.is_set():
                    events.put(line)

    threading.Thread(target=run, daemon=True).start()
    assert ready.wait(30)
    return events


def heard(events: queue.Queue[str], file: str) -> None:
    """Wait for the event that names *file* (an editor's save may come as two)."""
    deadline = time.monotonic() + 30
    while file not in events.get(timeout=max(0.1, deadline - time.monotonic())):
        pass


def pdf_version(page: str) -> str:
    match = re.search(rf'/release/{NAME}\.pdf\?v=([0-9a-f]{{16}})"', page)
    assert match, page[-3000:]
    return match[1]


def test_two_saves_in_quick_succession_serve_the_newest(make_room):
    root = make_room({f"releases/{NAME}.yaml": statement("The First Headline")})
    path = root / "releases" / f"{NAME}.yaml"
    server = start_server(root)
    try:
        events = listen(server.url)
        url = f"{server.url}release/{NAME}"
        first = httpx.get(f"{url}.pdf", timeout=120)  # the workers now know the release
        assert "The First Headline" in first_page(first.content)

        save(path, statement("The Second Headline"))
        heard(events, f"releases/{NAME}.yaml")
        second = pdf_version(httpx.get(url, timeout=30).text)  # its render under way
        waiting: list[httpx.Response] = []
        waiter = threading.Thread(
            target=lambda: waiting.append(httpx.get(f"{url}.pdf?v={second}", timeout=120))
        )
        waiter.start()  # a page that asked for the second version's PDF

        save(path, statement("The Third Headline"))
        heard(events, f"releases/{NAME}.yaml")
        newest = httpx.get(f"{url}.pdf", timeout=120)
        assert newest.headers["content-type"] == "application/pdf"
        assert "The Third Headline" in first_page(newest.content)

        waiter.join(120)
        [answer] = waiting  # the older render was abandoned: its page gets the newest
        assert answer.status_code == 200, answer.text
        assert answer.content == newest.content
        assert answer.headers["etag"] == newest.headers["etag"]
        again = httpx.get(f"{url}.pdf?v={second}", timeout=120)
        assert again.content == newest.content  # never the older one, once the newer is saved
    finally:
        assert server.stop() == 0, server.output()


def test_a_worker_stopped_in_a_stale_render_renders_the_next_in_full(
    make_room, tmp_path, monkeypatch
):
    """One worker: the stale render is stopped in the middle, the worker takes the
    newer one at once, and what it renders afterwards is byte for byte a fresh render."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # the worker's too
    root = make_room({f"releases/{NAME}.yaml": statement("The First Headline")})
    path = root / "releases" / f"{NAME}.yaml"
    room = load_room(root)
    old = document(room, load_release(room, path))
    path.write_text(statement("The Second Headline"), encoding="utf-8")
    new = document(room, load_release(room, path))
    renderer = Renderer(workers=1)
    renderer.start()
    try:
        args = (room.templates_dir, "signature", tmp_path / "cache", True)
        slot = (f"releases/{NAME}.yaml", "pdf", "file")
        warm = renderer.render("pdf", "0" * 64, old, *args)
        warm.result(timeout=120)  # the worker is up and knows the release
        stale = renderer.render("pdf", OLD, old, *args, slot=slot, stamp=1.0)
        time.sleep(0.3)  # most likely being laid out by now (if not, it leaves the queue)
        fresh = renderer.render("pdf", NEW, new, *args, slot=slot, stamp=2.0)
        with pytest.raises(Superseded) as superseded:
            stale.result(timeout=5)
        assert superseded.value.key == NEW
        pdf = fresh.result(timeout=120)
        asked = renderer.find("pdf", OLD[:16])  # a page that named the stale version
        assert asked is not None
        with pytest.raises(Superseded) as pointed:
            asked.result(timeout=0)
        assert pointed.value.key == NEW
        late = renderer.render("pdf", OLD, old, *args, slot=slot, stamp=0.5)
        with pytest.raises(Superseded):  # read before the newer: never rendered
            late.result(timeout=5)
    finally:
        renderer.close()
    env = make_environment(room.templates_dir, cache=tmp_path / "cache")
    assert pdf == render_pdf(new, env, base_url=root.as_uri() + "/")
    with pytest.raises(RenderError):
        stale.result(timeout=0)

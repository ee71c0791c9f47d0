"""Benchmark: preview reload latency, from saving a release to the open page updated.

Run by hand from the repository root (results go in docs/performance.md)::

    .venv/bin/python bench/reload.py [--repeat 9]

A real ``pressroom serve`` runs on a copy of the example room, and headless
Chromium (Debian's, /usr/bin/chromium) shows the breaking release's page on
its PDF tab. Each run changes the headline in the YAML file and measures,
from the moment the file is written:

0. **event**: the change event reached a listener of ``/events`` (watchfiles
   saw the save and the server sent it);
1. **page updated**: the new headline is in the open page (the event reached
   the page, which fetched itself and swapped in what changed: header,
   subject, email frame, text, the PDF's address);
2. **PDF served**: the PDF at the address the updated page names has been
   sent in full (rendered in a worker, content-hashed, started as soon as
   the save was seen);
3. **PDF in the viewer**: Chromium's PDF viewer in the page has loaded it
   (this adds the browser's own PDF viewer start-up).

Baseline in the same run, with the server and the browser still up: a bare
``render_pdf`` of the same release in a warm process (what the PDF costs at
the least), and loading + checking the release as each page does. Medians
of --repeat runs (the first, warm-up run is left out).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from tests.browser import chromium, environment, start_server  # noqa: E402

RELEASE = "2026-11-23-streetsight-suspended"
HEADLINE = "headline: Sidewalk Commons Demands City Permanently Cancel"


def copy_room(target: Path) -> Path:
    target.mkdir()
    shutil.copy(REPO / "pressroom.yaml", target)
    for folder in ("releases", "contacts", "assets"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def baseline(root: Path, repeat: int) -> dict[str, float]:
    """A warm in-process PDF render of the release, and loading + checking it."""
    import os

    os.environ.update(environment())
    from pressroom.check.rules import check_release
    from pressroom.clock import now
    from pressroom.load.room import load_release, load_room, release_files
    from pressroom.render.context import document
    from pressroom.render.environment import make_environment
    from pressroom.render.pdf import render_pdf

    def load():  # type: ignore[no-untyped-def]
        room = load_room(root)
        [path] = release_files(room, [RELEASE])
        release = load_release(room, path)
        check_release(room, release, now())
        return room, release

    room, release = load()
    env = make_environment(room.templates_dir)
    doc = document(room, release)
    render_pdf(doc, env)  # warm up imports and fonts
    renders, loads = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        render_pdf(doc, env)
        renders.append(time.perf_counter() - start)
        start = time.perf_counter()
        load()
        loads.append(time.perf_counter() - start)
    return {
        "bare_pdf_render_s": statistics.median(renders),
        "load_and_check_s": statistics.median(loads),
    }


class Events:
    """Listens to the server's event stream in a thread; when each change arrived."""

    def __init__(self, url: str):
        self.arrivals: list[float] = []
        self.ready = threading.Event()
        threading.Thread(target=self._listen, args=(url,), daemon=True).start()
        self.ready.wait(30)

    def _listen(self, url: str) -> None:
        with httpx.stream("GET", url + "events", timeout=None) as stream:
            for line in stream.iter_lines():
                if line.startswith("event: hello"):
                    self.ready.set()
                elif line.startswith("event: change"):
                    self.arrivals.append(time.perf_counter())

    def first_after(self, start: float, timeout: float = 30) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            later = [t for t in self.arrivals if t >= start]
            if later:
                return later[0] - start
            time.sleep(0.002)
        raise TimeoutError("no change event")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    options = parser.parse_args()

    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_room(Path(tmp) / "room")
        release = root / "releases" / f"{RELEASE}.yaml"
        original = release.read_text(encoding="utf-8")
        server = start_server(root)
        try:
            with chromium() as browser:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(30_000)
                page.goto(f"{server.url}release/{RELEASE}#pdf")
                page.wait_for_selector("#live[data-state=live]")
                page.wait_for_selector("[data-pdf-state=ready]")
                page.evaluate("window.__sameDocument = true")
                events = Events(server.url)
                heard, updated, served_at, shown = [], [], [], []
                for run in range(options.repeat + 1):
                    marker = f"Reload Run {run}"
                    text = original.replace(HEADLINE, f"headline: {marker}", 1)
                    start = time.perf_counter()
                    release.write_text(text, encoding="utf-8")
                    page.wait_for_function(
                        "(m) => document.querySelector('h1.headline').textContent.includes(m)",
                        arg=marker,
                        polling=5,
                    )
                    seen = time.perf_counter() - start
                    src = page.locator("iframe.pdf-frame").get_attribute("src")
                    response = httpx.get(server.url.rstrip("/") + str(src), timeout=60)
                    assert response.headers["content-type"] == "application/pdf"
                    served = time.perf_counter() - start
                    page.wait_for_function(
                        "() => document.querySelector('[data-pdf-state=ready]') !== null",
                        polling=5,
                    )
                    pdf = time.perf_counter() - start
                    assert page.evaluate("window.__sameDocument"), "the page reloaded"
                    assert page.locator("#broken").count() == 0, "the release did not load"
                    if run:  # the first run warms up the second render worker
                        heard.append(events.first_after(start))
                        updated.append(seen)
                        served_at.append(served)
                        shown.append(pdf)
                results["event_median_s"] = statistics.median(heard)
                results["page_updated_median_s"] = statistics.median(updated)
                results["page_updated_max_s"] = max(updated)
                results["pdf_served_median_s"] = statistics.median(served_at)
                results["pdf_served_max_s"] = max(served_at)
                results["pdf_served_under_1s"] = f"{sum(t < 1 for t in served_at)}/{len(served_at)}"
                results["pdf_in_viewer_median_s"] = statistics.median(shown)
                # the baseline while the server and the browser are up, as in the runs
                results.update(baseline(root, options.repeat))
        finally:
            server.stop()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

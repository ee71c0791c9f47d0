"""Benchmark: a saved release back in the open preview, beside a bare render of its PDF.

Run by hand from the repository root (results go in docs/performance.md)::

    .venv/bin/python bench/reload.py [--repeat 9] [--before REF] [--quick]

A real ``pressroom serve`` runs on a copy of the example room, and headless
Chromium (Debian's, /usr/bin/chromium) shows the breaking release's page on
its PDF tab. Each run saves a new headline into the release's YAML file as an
editor does (a temporary file beside it, renamed over it) and measures, from
the moment of the save:

- **event**: the server's ``change`` event reached a listener of ``/events``
  (watchfiles saw the save, the server sent it);
- **page updated**: the new headline is in the open page, which heard the
  event, fetched itself and swapped in the parts that changed (a
  MutationObserver in the page notes the moment);
- **PDF served**: ``GET /release/NAME.pdf``, sent when the event arrives (and
  again at each later event until it does), has returned the new PDF in full;
- **PDF in the viewer**: Chromium's PDF viewer in the page has loaded it.

The baseline, in the same run: a **bare render**, in a warm process that has
imported WeasyPrint once, of the same HTML as the server renders
(``weasyprint.HTML(string=html).write_pdf()``, with the same options, so the
same bytes: the served PDF is checked to be them). The ratio printed is PDF
served / bare render, run by run (each save is followed by a bare render of
what it saved), then the median: what the preview adds to WeasyPrint itself.

``--before REF`` exports the pressroom of a git ref (``git archive``) into a
temporary folder and runs its ``pressroom serve`` the same way, on its own
copy of the same room, in the same run: each run saves in both rooms in turn
(the order alternating), each save followed by a bare render of what it saved.
Each run then saves **twice**: a first change, and as soon as the server has
seen it (its event) a second; timed from the second save (the first one's
render is stale). Medians of --repeat runs after one warm-up run.
``--quick``: three runs, a smoke test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from tests.browser import Server, chromium, environment, start_server  # noqa: E402

RELEASE = "2026-11-23-streetsight-suspended"
HEADLINE = "headline: Sidewalk Commons Demands City Permanently Cancel"
PAGE_TARGET = 0.3  # seconds from the save to the page updated
RATIO_TARGET = 1.3  # PDF served / bare render
SETTLE = 0.5  # seconds of quiet before each save and each bare render (the PDF viewer draws)

# In the page: when the headline carrying window.__marker appeared, and when the
# PDF viewer had then loaded (Date.now(), compared with the bench's time.time()).
OBSERVE = """
() => {
  const look = () => {
    const h = document.querySelector('h1.headline');
    if (!window.__seenAt && window.__marker && h && h.textContent.includes(window.__marker))
      window.__seenAt = Date.now();
    if (window.__seenAt && !window.__viewerAt && document.querySelector('[data-pdf-state=ready]'))
      window.__viewerAt = Date.now();
  };
  new MutationObserver(look).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ['data-pdf-state'],
  });
  window.__sameDocument = true;
}
"""


def copy_room(target: Path) -> Path:
    target.mkdir()
    shutil.copy(REPO / "pressroom.yaml", target)
    for folder in ("releases", "contacts", "assets", "templates"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def exported(ref: str, folder: Path) -> None:
    """The pressroom package of commit *ref*, written into *folder*."""
    archive = subprocess.run(
        ["git", "archive", ref, "pressroom"], cwd=REPO, capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)


def save(path: Path, text: str) -> None:
    """Write *text* as an editor saves: a temporary file beside *path*, renamed over it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# -- the bare render, in a warm process of its own -------------------------------------


def bare_child() -> None:
    """Reads ``{"html", "base_url"}`` lines; answers each with the render's time and hash."""
    import weasyprint

    from pressroom.render.pdf import PDF_OPTIONS

    for line in sys.stdin:
        job = json.loads(line)
        start = time.perf_counter()
        pdf = weasyprint.HTML(string=job["html"], base_url=job["base_url"]).write_pdf(**PDF_OPTIONS)
        seconds = time.perf_counter() - start
        print(json.dumps({"seconds": seconds, "sha": hashlib.sha256(pdf).hexdigest()}), flush=True)


class Bare:
    """The warm process of bare renders, and the HTML the server renders for a release."""

    def __init__(self) -> None:
        self.envs: dict[Path, Any] = {}
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--bare-child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=environment(),
        )
        self.render(REPO)  # imports WeasyPrint, loads the fonts

    def html(self, root: Path) -> str:
        from pressroom.load.room import load_release, load_room
        from pressroom.render.context import document
        from pressroom.render.environment import make_environment
        from pressroom.render.pdf import print_html

        room = load_room(root)
        if root not in self.envs:
            self.envs[root] = make_environment(room.templates_dir)
        release = load_release(room, room.releases_dir / f"{RELEASE}.yaml")
        return print_html(document(room, release), self.envs[root])

    def render(self, root: Path) -> tuple[float, str]:
        """One bare render of the release in *root* as its file is now: seconds, the
        PDF's hash (the room's folder is the base of the PDF's links and pictures)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        job = {"html": self.html(root), "base_url": root.as_uri() + "/"}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        return answer["seconds"], answer["sha"]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(10)


# -- one preview ---------------------------------------------------------------------


@dataclass
class Side:
    """A ``pressroom serve`` (of this tree or of --before), its page, what it measured."""

    label: str
    root: Path
    server: Server
    page: Any = None
    events: queue.Queue[float] = field(default_factory=queue.Queue)
    times: dict[str, list[float]] = field(default_factory=dict)
    same_bytes: int = 0

    @property
    def release(self) -> Path:
        return self.root / "releases" / f"{RELEASE}.yaml"

    def listen(self) -> None:
        """The server's event stream, in a thread: when each ``change`` arrived."""
        ready = threading.Event()

        def run() -> None:
            with httpx.stream("GET", self.server.url + "events", timeout=None) as stream:
                for line in stream.iter_lines():
                    if line.startswith("event: hello"):
                        ready.set()
                    elif line.startswith("event: change"):
                        self.events.put(time.perf_counter())

        threading.Thread(target=run, daemon=True).start()
        assert ready.wait(30), f"{self.label}: no event stream"

    def pdf(self) -> bytes:
        response = httpx.get(f"{self.server.url}release/{RELEASE}.pdf", timeout=120)
        assert response.headers["content-type"] == "application/pdf", response.text[:500]
        return response.content

    def run(self, text: str, marker: str, first: str = "") -> dict[str, float | bytes]:
        """Save *text*; when the event, the page, the new PDF and the viewer came. With
        *first*: save that first, and *text* as soon as the server has seen it."""
        old = self.pdf()
        time.sleep(SETTLE)
        while not self.events.empty():
            self.events.get()
        if first:
            save(self.release, first)
            self.events.get(timeout=30)  # its render has started
        self.page.evaluate(
            "(m) => { window.__marker = m; window.__seenAt = 0; window.__viewerAt = 0; }", marker
        )
        wall, start = time.time(), time.perf_counter()
        save(self.release, text)
        heard = self.events.get(timeout=30) - start
        while True:  # GET the PDF at each event until it is the new one
            pdf = self.pdf()
            if pdf != old:
                served = time.perf_counter() - start
                break
            self.events.get(timeout=30)
        self.page.wait_for_function("() => window.__seenAt && window.__viewerAt", polling=50)
        seen, viewer = self.page.evaluate("() => [window.__seenAt, window.__viewerAt]")
        assert self.page.evaluate("window.__sameDocument"), f"{self.label}: the page reloaded"
        assert self.page.locator("#broken").count() == 0, f"{self.label}: the release broke"
        return {
            "event": heard,
            "page": seen / 1000 - wall,
            "served": served,
            "viewer": viewer / 1000 - wall,
            "pdf": pdf,
        }


def open_page(browser: Any, side: Side) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{side.server.url}release/{RELEASE}#pdf")
    page.wait_for_selector("#live[data-state=live]")
    page.wait_for_selector("[data-pdf-state=ready]")
    assert page.evaluate("document.visibilityState") == "visible"
    page.evaluate(OBSERVE)
    side.page = page


def measure(sides: list[Side], bare: Bare, repeat: int) -> None:
    """Each run saves in every room in turn (the order alternating), each save followed
    by a bare render of what it saved."""
    original = sides[0].release.read_text(encoding="utf-8")
    assert HEADLINE in original
    for run in range(repeat + 1):

        def version(word: str, run: int = run) -> str:
            return original.replace(HEADLINE, f"headline: Reload {run} {word}", 1)

        for side in sides if run % 2 else sides[::-1]:
            for what, first in (("", ""), ("twice ", version("Then"))):
                word = "Twice" if first else "Once"
                result = side.run(version(word), f"Reload {run} {word}", first)
                time.sleep(SETTLE)
                seconds, sha = bare.render(side.root)
                pdf = result.pop("pdf")
                assert isinstance(pdf, bytes)
                if not run:  # the first run warms up
                    continue
                side.same_bytes += hashlib.sha256(pdf).hexdigest() == sha
                result["bare"] = seconds
                result["ratio"] = float(result["served"]) / seconds
                for key, value in result.items():
                    assert isinstance(value, float)
                    side.times.setdefault(what + key, []).append(value)


def report(sides: list[Side], repeat: int) -> None:
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, cell: Any) -> None:
        rows.append((label, [cell(side) for side in sides]))

    def med(key: str) -> Any:
        return lambda side: f"{statistics.median(side.times[key]):.3f} s"

    row("event (listener of /events)", med("event"))
    row("page updated", med("page"))
    row("  slowest", lambda side: f"{max(side.times['page']):.3f} s")
    row(
        f"  within {PAGE_TARGET} s",
        lambda side: f"{sum(t <= PAGE_TARGET for t in side.times['page'])} of {repeat}",
    )
    row("PDF served", med("served"))
    row("  slowest", lambda side: f"{max(side.times['served']):.3f} s")
    row("  the bare render's bytes", lambda side: f"{side.same_bytes} of {2 * repeat}")
    row("PDF in the viewer", med("viewer"))
    row("bare render (warm process)", med("bare"))
    row("PDF served / bare render", lambda side: f"{statistics.median(side.times['ratio']):.2f}x")
    row("  slowest", lambda side: f"{max(side.times['ratio']):.2f}x")
    row("saved twice: page updated", med("twice page"))
    row("saved twice: PDF served", med("twice served"))
    row(
        "saved twice: served / bare",
        lambda side: f"{statistics.median(side.times['twice ratio']):.2f}x",
    )

    width = max(len(label) for label, _ in rows)
    cells = max(12, *(len(side.label) for side in sides))
    print(f"{'':{width}}  " + "  ".join(f"{side.label:>{cells}}" for side in sides))
    for label, values in rows:
        print(f"{label:{width}}  " + "  ".join(f"{value:>{cells}}" for value in values))
    print(
        f"\nmedians of {repeat} runs (the ratio: of each run's, its save and the bare render "
        f"that followed it); targets: page updated within {PAGE_TARGET} s, "
        f"PDF served at most {RATIO_TARGET}x the bare render"
    )
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--before", metavar="REF", help="also time the pressroom of this git ref")
    parser.add_argument("--quick", action="store_true", help="three runs: a smoke test")
    parser.add_argument("--bare-child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.bare_child:
        return bare_child()
    repeat = 3 if options.quick else options.repeat
    os.environ.update(environment())

    with tempfile.TemporaryDirectory() as tmp:
        plans: list[tuple[str, Path, dict[str, str]]] = []
        if options.before:
            code = Path(tmp) / "before"
            code.mkdir()
            exported(options.before, code)
            env = environment(PYTHONPATH=str(code))
            where = subprocess.run(
                [sys.executable, "-c", "import pressroom; print(pressroom.__file__)"],
                env=env,
                cwd=tmp,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            assert where.startswith(str(code)), where
            plans.append((f"before {options.before}", Path(tmp) / "room-before", env))
        plans.append(("after", Path(tmp) / "room", environment()))
        sides: list[Side] = []
        bare = None
        os.chdir(tmp)  # the servers' current folder: not this tree, whose pressroom it would import
        try:
            for label, root, env in plans:
                copy_room(root)
                sides.append(Side(label, root, start_server(root, env=env)))
            bare = Bare()
            with chromium() as browser:
                for side in sides:
                    open_page(browser, side)
                    side.listen()
                measure(sides, bare, repeat)
        finally:
            for side in sides:
                side.server.stop()
            if bare is not None:
                bare.close()
            os.chdir(REPO)
    report(sides, repeat)


if __name__ == "__main__":
    main()

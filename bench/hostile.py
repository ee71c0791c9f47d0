"""Benchmark: what hostile input costs, before and after the bounds of issue 8.

Run by hand from the repository root (results go in docs/performance.md)::

    .venv/bin/python bench/hostile.py [--repeat 3]

In the same run, for bodies of ``[a](`` repeated (8 to 64 KB):

- **link check, before**: the regular expression ``check`` used until the
  fix (``\\]\\(([^)]*\\s[^)]*)\\)``), quadratic in the text;
- **link check, after**: :func:`pressroom.check._spaced_hrefs`, one pass;
- **load**: ``pressroom`` loading a release with that body, which the
  limits of :mod:`pressroom.load.bounds` now refuse before any parsing.

And WeasyPrint laying out ``*a`` repeated in one paragraph (the layout a
value's 200-mark limit keeps small). Medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pressroom.check import _spaced_hrefs  # noqa: E402
from pressroom.errors import LoadError  # noqa: E402
from pressroom.load.room import load_release, load_room  # noqa: E402

OLD_LINKS = re.compile(r"\]\(([^)]*\s[^)]*)\)")
ROOM = "org:\n  name: X\n  website: https://example.org\n"


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def load_refused(body: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pressroom.yaml").write_text(ROOM)
        (root / "releases").mkdir()
        path = root / "releases" / "x.yaml"
        path.write_text(f'headline: X\nbody:\n  - "{body}"\n')
        try:
            load_release(load_room(root), path)
        except LoadError:
            return
        raise SystemExit("the hostile release was not refused")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    print("| body | link check before | link check after | load (refused) |")
    print("|---|---|---|---|")
    for kib in (8, 16, 32, 64):
        body = "[a](" * (kib * 1024 // 4)
        before = median_seconds(lambda body=body: list(OLD_LINKS.finditer(body)), options.repeat)
        after = median_seconds(lambda body=body: list(_spaced_hrefs(body)), options.repeat)
        load = median_seconds(lambda body=body: load_refused(body), options.repeat)
        print(f"| {kib} KB | {before:.2f} s | {after * 1000:.2f} ms | {load * 1000:.0f} ms |")

    import weasyprint

    from pressroom.render.markup import Markdown

    weasyprint.HTML(string="<p>warm</p>").write_pdf()
    print()
    print("| `*a` in one paragraph | WeasyPrint layout |")
    print("|---|---|")
    for count in (100, 200, 400, 800):
        html = str(Markdown().rich("*a" * count).html)
        seconds = median_seconds(lambda html=html: weasyprint.HTML(string=html).write_pdf(), 1)
        print(f"| {count} | {seconds:.2f} s |")


if __name__ == "__main__":
    main()

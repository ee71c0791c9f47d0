"""Benchmark: ``pressroom site`` for a newsroom of many releases, beside ``pressroom build``.

Run by hand from the repository root (results go in docs/performance.md)::

    .venv/bin/python bench/site.py [--count 500] [--repeat 5] [--cold-repeat 1]

It generates a room of --count releases (the example releases, cycled, each
with its own headline and date; all published at the fixed PRESSROOM_NOW) and
measures, each in a fresh process (imports included):

1. a cold site: no output, no artefact cache (every PDF and Word document is
   rendered), against a cold ``pressroom build --format pdf,docx`` of the same
   room in the same run (the same renders, without the pages);
2. the site with the artefact cache warm but no output folder (every page,
   feed and copy written, no PDF rendered);
3. an unchanged rebuild (median of --repeat), against an unchanged
   ``pressroom build --format pdf,docx`` (the build cache's own check);
4. a rebuild after one release changed.

For each site run it reports how many releases were rendered and how many
files were written, from the command's own summary line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2027-01-15T12:00:00Z"  # every generated release is public by then
SUMMARY = re.compile(
    r"(\d+) PDF/Word rendered; (\d+) files written, (\d+) removed, (\d+) unchanged"
)


def make_room(folder: Path, count: int) -> None:
    """The example room with *count* releases made from its own, none a draft."""
    shutil.copy(REPO / "pressroom.yaml", folder / "pressroom.yaml")
    shutil.copytree(REPO / "assets", folder / "assets")
    shutil.copytree(REPO / "releases", folder / "releases", ignore=shutil.ignore_patterns("*.yaml"))
    sources = [p.read_text(encoding="utf-8") for p in sorted((REPO / "releases").glob("*.yaml"))]
    for index in range(count):
        text = sources[index % len(sources)].replace("draft: true", "draft: false")
        text = re.sub(r"^headline: \"?", f'headline: "No. {index} ', text, count=1, flags=re.M)
        if text.count('"', 0, text.index("\n", text.index("headline:"))) % 2:
            text = text.replace(f'headline: "No. {index} ', f"headline: No. {index} ", 1)
        day = f"2026-{1 + index % 11:02d}-{1 + index % 28:02d}"
        text = re.sub(r"^date: .*$", f"date: {day}", text, flags=re.M)
        (folder / "releases" / f"{day}-release-{index:04d}.yaml").write_text(text, "utf-8")


def command(root: Path, *args: str) -> tuple[float, str]:
    """Run ``pressroom --root ROOT ARGS`` in a fresh process: wall time and output."""
    env = dict(os.environ, PRESSROOM_NOW=NOW)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pressroom", "--root", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
    )
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"pressroom {' '.join(args)} failed:\n{done.stderr}")
    return elapsed, done.stdout


def site(root: Path, out: Path) -> dict[str, float]:
    seconds, output = command(root, "site", "--use-pressroom-now", "--out", str(out))
    match = SUMMARY.search(output)
    assert match, output
    rendered, written, removed, unchanged = (int(n) for n in match.groups())
    return {"s": seconds, "rendered": rendered, "written": written, "unchanged": unchanged}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold-repeat", type=int, default=1)
    options = parser.parse_args()

    results: dict[str, object] = {"count": options.count}
    with tempfile.TemporaryDirectory() as tmp:
        room = Path(tmp) / "room"
        room.mkdir()
        make_room(room, options.count)
        cache = room / ".pressroom"

        # 1. cold: the build alone, then the site, each with nothing cached
        cold, cold_build = [], []
        for index in range(options.cold_repeat):
            shutil.rmtree(cache, ignore_errors=True)
            seconds, _ = command(
                room, "build", "--format", "pdf,docx", "--out", str(Path(tmp) / f"b-{index}")
            )
            cold_build.append(seconds)
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(site(room, Path(tmp) / f"cold-{index}"))
        results["cold_site_s"] = statistics.median(r["s"] for r in cold)
        results["cold_site_rendered"] = cold[-1]["rendered"]
        results["cold_site_files"] = cold[-1]["written"]
        results["cold_build_pdf_docx_s"] = statistics.median(cold_build)

        # 2. artefacts cached (by the cold site), no output: every page written, nothing rendered
        out = Path(tmp) / "site"
        pages = site(room, out)
        results["pages_only_s"] = pages["s"]
        results["pages_only_rendered"] = pages["rendered"]

        # 3. nothing changed, against the build's own unchanged check
        unchanged = [site(room, out) for _ in range(options.repeat)]
        build_out = Path(tmp) / "b-0"  # built cold in step 1
        build_unchanged = [
            command(room, "build", "--format", "pdf,docx", "--out", str(build_out))[0]
            for _ in range(options.repeat)
        ]
        results["unchanged_site_s"] = statistics.median(r["s"] for r in unchanged)
        results["unchanged_site_rendered"] = max(r["rendered"] for r in unchanged)
        results["unchanged_site_written"] = max(r["written"] for r in unchanged)
        results["unchanged_build_pdf_docx_s"] = statistics.median(build_unchanged)
        stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
        site(room, out)
        results["unchanged_mtimes_kept"] = stamps == {
            p: p.stat().st_mtime_ns for p in out.rglob("*")
        }

        # 4. one release changed
        first = sorted((room / "releases").glob("*.yaml"))[0]
        first.write_text(first.read_text("utf-8").replace("No. 0 ", "Changed No. 0 ", 1), "utf-8")
        one = site(room, out)
        results["one_changed_s"] = one["s"]
        results["one_changed_rendered"] = one["rendered"]
        results["one_changed_written"] = one["written"]

    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

"""Benchmark: how long a build takes, beside a bare WeasyPrint render, in one run.

Run by hand from the repository root (results go in docs/performance.md)::

    .venv/bin/python bench/build.py [--repeat 5] [--count 200]

It measures, each as the median of --repeat runs:

1. a cold ``pressroom build`` of one release to all four formats, in a fresh
   process (imports included), against a bare ``weasyprint`` render of the same
   HTML in a fresh process;
2. building --count releases in one process (per-release time), against bare
   WeasyPrint renders of the same HTML in one process;
3. rebuilding those releases when nothing changed (the content-hash cache);
4. rendering an open letter with 1,000 signatories to PDF.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RELEASE = "2026-11-23-streetsight-suspended"

CHILD_BUILD = textwrap.dedent(
    """
    import resource, sys, time
    start = time.perf_counter()
    from pressroom.cli import main
    try:
        main(sys.argv[1:])
    except SystemExit as exc:
        assert not exc.code, exc.code
    elapsed = time.perf_counter() - start
    peak = max(resource.getrusage(who).ru_maxrss
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(elapsed, peak, file=sys.stderr)
    """
)

CHILD_BARE = textwrap.dedent(
    """
    import resource, sys, time
    start = time.perf_counter()
    import weasyprint
    html = open(sys.argv[1], encoding="utf-8").read()
    weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3])
    elapsed = time.perf_counter() - start
    print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
    """
)


def child(code: str, *args: str) -> tuple[float, int]:
    """Run *code* in a fresh interpreter; its wall time and peak RSS (KiB).

    For a build the peak is that of the largest process (the command or one
    of its rendering workers).
    """
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=REPO
    )
    seconds, rss = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(rss)


def make_room(folder: Path, count: int) -> None:
    """A copy of the example room with *count* copies of one release."""
    shutil.copy(REPO / "pressroom.yaml", folder / "pressroom.yaml")
    shutil.copytree(REPO / "assets", folder / "assets")
    (folder / "releases").mkdir()
    source = (REPO / "releases" / f"{RELEASE}.yaml").read_text(encoding="utf-8")
    for index in range(count):
        (folder / "releases" / f"2026-11-23-copy-{index:04d}.yaml").write_text(
            source.replace("headline: ", f"headline: No. {index} ", 1), encoding="utf-8"
        )


def letter_with(signatories: int) -> str:
    names = "\n".join(
        f"  - {{name: Signatory Number {i}, title: Organizer, org: Group {i % 97}, "
        f"location: City {i % 50}}}"
        for i in range(signatories)
    )
    return (
        "type: open-letter\nheadline: A Letter With Many Signatories\n"
        "salutation: Dear Council,\nbody:\n  - We write to ask for oversight.\n"
        f"closing: Sincerely,\nsignatories:\n{names}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--count", type=int, default=200)
    options = parser.parse_args()

    from pressroom.load.room import load_releases, load_room
    from pressroom.render.context import document
    from pressroom.render.environment import make_environment
    from pressroom.render.pdf import print_html

    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        room = load_room(REPO)
        [release] = load_releases(room, [RELEASE])
        html_file = work / "release.html"
        html_file.write_text(print_html(document(room, release), make_environment()), "utf-8")

        # 1. cold build of one release, four formats, vs bare cold WeasyPrint
        cold, bare = [], []
        for index in range(options.repeat):
            out = work / f"cold-{index}"
            cold.append(
                child(CHILD_BUILD, "--root", str(REPO), "build", RELEASE, "--out", str(out))
            )
            bare.append(
                child(CHILD_BARE, str(html_file), REPO.as_uri() + "/", str(work / "bare.pdf"))
            )
        results["cold_build_s"] = statistics.median(t for t, _ in cold)
        results["cold_build_peak_mib"] = statistics.median(m for _, m in cold) / 1024
        results["cold_bare_s"] = statistics.median(t for t, _ in bare)
        results["cold_bare_peak_mib"] = statistics.median(m for _, m in bare) / 1024

        # 2. many releases in one process, vs bare WeasyPrint in one process
        many = work / "many"
        many.mkdir()
        make_room(many, options.count)
        out = work / "many-out"
        seconds, rss = child(CHILD_BUILD, "--root", str(many), "build", "--out", str(out))
        results["many_per_release_s"] = seconds / options.count
        results["many_peak_mib"] = rss / 1024
        bare_many = textwrap.dedent(
            f"""
            import resource, sys, time
            start = time.perf_counter()
            import weasyprint
            html = open({str(html_file)!r}, encoding="utf-8").read()
            for _ in range({options.count}):
                weasyprint.HTML(string=html, base_url={REPO.as_uri() + "/"!r}).write_pdf()
            print(time.perf_counter() - start,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
            """
        )
        seconds, rss = child(bare_many)
        results["bare_many_per_release_s"] = seconds / options.count

        # 3. nothing changed: no rendering at all
        unchanged = [
            child(CHILD_BUILD, "--root", str(many), "build", "--out", str(out))[0]
            for _ in range(options.repeat)
        ]
        results["unchanged_rebuild_s"] = statistics.median(unchanged)

        # 4. an open letter with 1,000 signatories, PDF only, warm process
        letter = work / "letter"
        letter.mkdir()
        shutil.copy(REPO / "pressroom.yaml", letter / "pressroom.yaml")
        shutil.copytree(REPO / "assets", letter / "assets")
        (letter / "releases").mkdir()
        (letter / "releases" / "2026-11-23-letter.yaml").write_text(letter_with(1000), "utf-8")
        from pressroom.render.pdf import render_pdf

        letter_room = load_room(letter)
        [letter_release] = load_releases(letter_room)
        letter_doc = document(letter_room, letter_release)
        env = make_environment()
        render_pdf(letter_doc, env)  # warm up imports and fonts
        timings = []
        for _ in range(options.repeat):
            start = time.perf_counter()
            pdf = render_pdf(letter_doc, env)
            timings.append(time.perf_counter() - start)
        results["letter_1000_pdf_s"] = statistics.median(timings)
        from io import BytesIO

        from pypdf import PdfReader

        results["letter_1000_pages"] = len(PdfReader(BytesIO(pdf)).pages)

    results["ratio_cold_build_to_bare"] = results["cold_build_s"] / results["cold_bare_s"]  # type: ignore[operator]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

"""Benchmark: what hostile input costs, before and after the bounds of issue 8.

Run by hand from the repository root (results go in docs/performance.md)::

    .venv/bin/python bench/hostile.py [--repeat 3]

In the same run, for bodies of ``[a](`` repeated (8 to 64 KB):

- **link check, before**: the regular expression ``check`` used until the
  fix (``\\]\\(([^)]*\\s[^)]*)\\)``), quadratic in the text;
- **link check, after**: :func:`pressroom.check.links.spaced_hrefs`, one pass;
- **load**: ``pressroom`` loading a release with that body, which the
  limits of :mod:`pressroom.load.bounds` now refuse before any parsing.

And WeasyPrint laying out ``*a`` repeated in one paragraph (the layout a
value's 200-mark limit keeps small).

And the Word document of an open letter with ``--signatories`` names (40,000
by default; issue 18), each with details:

- **before**: the signatories written as until the fix, through python-docx's
  API one paragraph and one run at a time (:func:`signatories_one_by_one`);
- **after**: :mod:`pressroom.render.docx.signatories`, in bulk; also with a
  link for every name.

Medians of --repeat runs (of ``--repeat-before`` for the slow baseline), in
processor and wall-clock seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pressroom.check.links import spaced_hrefs  # noqa: E402
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


def signatories_one_by_one(self: object) -> None:
    """DocumentWriter.signatories as it was before issue 18 (the baseline)."""
    from pressroom.render.docx.oxml import end_section
    from pressroom.render.docx.writer import TWO_COLUMNS_FROM

    writer: Any = self
    doc = writer.doc
    heading = writer.para("Heading 1", f"Signatories ({doc.signatory_count})")
    columns = doc.signatory_count >= TWO_COLUMNS_FROM
    if columns:
        end_section(writer.word, heading, columns=1)
    last = heading
    for group in doc.signatory_groups:
        if group.label:
            writer.para("Heading 2", f"{group.label} ({group.count})")
        for signatory in group.signatories:
            last = writer.para("Signatory")
            if signatory.url:
                run = writer.link(last, signatory.name, signatory.url)
                run.bold = bool(signatory.details) or None
            else:
                last.add_run(signatory.name, style="Strong" if signatory.details else None)
            if signatory.details:
                last.add_run(f" \u2014 {signatory.details}")
    if columns:
        end_section(writer.word, last, columns=2)


def letter(count: int, links: bool) -> Any:
    """The example room's open letter, signed by *count* people."""
    from pressroom.model.links import SafeUrl
    from pressroom.render.context import Signatory, SignatoryGroup, document

    room = load_room(REPO)
    [path] = (REPO / "releases").glob("*transit-letter.yaml")
    names = [
        Signatory(
            f"Person Number {i:05d}",
            f"Organizer, Group {i % 97}, Towson, MD",
            SafeUrl.parse(f"https://group-{i}.example.org/") if links else None,
        )
        for i in range(count)
    ]
    doc = document(room, load_release(room, path))
    return dataclasses.replace(doc, signatory_groups=[SignatoryGroup(None, names)])


def median_cpu_and_wall(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Medians of processor and wall-clock seconds: on a shared machine the wall clock
    also counts the other processes' turns."""
    cpu, wall = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return statistics.median(cpu), statistics.median(wall)


def word_documents(count: int, repeat: int, before: int) -> None:
    from pressroom.render.docx import render_docx
    from pressroom.render.docx.writer import DocumentWriter

    plain, linked = letter(count, links=False), letter(count, links=True)
    print()
    print(f"| Word document, {count:,} signatories | runs | processor (median) | wall (median) |")
    print("|---|---|---|---|")
    if before:
        bulk = DocumentWriter.signatories
        DocumentWriter.signatories = signatories_one_by_one  # type: ignore[method-assign]
        try:
            cpu, wall = median_cpu_and_wall(lambda: render_docx(plain), before)
        finally:
            DocumentWriter.signatories = bulk  # type: ignore[method-assign]
        print(
            f"| before: python-docx, one name at a time | {before} | {cpu:.1f} s | {wall:.1f} s |"
        )
    for label, doc in (("after: in bulk", plain), ("after: in bulk, a link each", linked)):
        cpu, wall = median_cpu_and_wall(lambda doc=doc: render_docx(doc), repeat)
        print(f"| {label} | {repeat} | {cpu:.2f} s | {wall:.2f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--signatories", type=int, default=40_000)
    parser.add_argument(
        "--repeat-before", type=int, default=3, help="runs of the slow baseline (0: none)"
    )
    parser.add_argument("--only-word", action="store_true", help="only the Word documents")
    options = parser.parse_args()
    if options.only_word:
        word_documents(options.signatories, options.repeat, options.repeat_before)
        return
    print("| body | link check before | link check after | load (refused) |")
    print("|---|---|---|---|")
    for kib in (8, 16, 32, 64):
        body = "[a](" * (kib * 1024 // 4)
        before = median_seconds(lambda body=body: list(OLD_LINKS.finditer(body)), options.repeat)
        after = median_seconds(lambda body=body: list(spaced_hrefs(body)), options.repeat)
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
    word_documents(options.signatories, options.repeat, options.repeat_before)


if __name__ == "__main__":
    main()

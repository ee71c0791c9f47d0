"""Benchmark: how long a build takes, beside a bare WeasyPrint render, in one run.

Run by hand from the repository root (results go in docs/performance.md)::

    .venv/bin/python bench/build.py                  # about 3 minutes on a quiet machine
    .venv/bin/python bench/build.py --before REF     # the pressroom of commit REF beside it
    .venv/bin/python bench/build.py --cold-only --repeat 9 --before REF
    .venv/bin/python bench/build.py --quick          # a smoke run

1. **Cold build** (the figure of issue 20): ``pressroom build RELEASE --format
   pdf,docx,html,txt`` of one release (the example room's breaking release,
   streetsight-suspended: quotes, a media contact, boilerplate, a P.S.) in a
   room of its own, as a fresh process started as the installed ``pressroom``
   command starts (the entry point in the tree's pyproject.toml), against a
   fresh process that imports WeasyPrint and renders the same HTML
   (``weasyprint.HTML(string=html).write_pdf()``). The contenders take turns
   in every round (the order rotates), and each figure is the median of
   ``--repeat`` rounds: wall time from the start of the process to its end (its
   workers included), processor time (user + system, its workers included) and
   peak memory (the largest process). The ratio printed is build / bare.
   With ``--before REF``, the pressroom of commit REF (``git archive`` into a
   temporary folder, imported from there) builds the same room in the same
   rounds, and the files both wrote and what both printed are compared
   (``SOURCE_DATE_EPOCH`` is set, so the PDFs are reproducible). Each
   pressroom's modules are compiled first (``compileall``), as an installed
   package's are, so that no run compiles them from source.
2. ``--count`` releases in one process (per-release time), against bare
   WeasyPrint renders of the same HTML in one process;
3. rebuilding those releases when nothing changed (the content-hash cache);
4. rendering an open letter with 1,000 signatories to PDF in a warm process.

2 to 4 run for each pressroom too, one after the other; ``--cold-only`` skips them.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RELEASE = "2026-11-23-streetsight-suspended"
FORMATS = "pdf,docx,html,txt"
EPOCH = "1795000000"  # SOURCE_DATE_EPOCH for every build: reproducible PDFs, comparable files

MAKE_HTML = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pressroom.load.room import load_releases, load_room
    from pressroom.render.context import document
    from pressroom.render.environment import make_environment
    from pressroom.render.pdf import print_html
    room = load_room(Path(sys.argv[1]))
    [release] = load_releases(room, [sys.argv[2]])
    env = make_environment(room.templates_dir, sandbox=room.config.templates.sandbox)
    Path(sys.argv[3]).write_text(print_html(document(room, release), env), encoding="utf-8")
    """
)

BARE = textwrap.dedent(
    """
    import sys
    import weasyprint
    html = open(sys.argv[1], encoding="utf-8").read()
    weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3])
    """
)

BARE_MANY = textwrap.dedent(
    """
    import sys, time
    import weasyprint
    html = open(sys.argv[1], encoding="utf-8").read()
    start = time.perf_counter()
    for _ in range(int(sys.argv[3])):
        weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf()
    print(time.perf_counter() - start)
    """
)

LETTER = textwrap.dedent(
    """
    import statistics, sys, time
    from io import BytesIO
    from pathlib import Path
    from pypdf import PdfReader
    from pressroom.load.room import load_releases, load_room
    from pressroom.render.context import document
    from pressroom.render.environment import make_environment
    from pressroom.render.pdf import render_pdf
    room = load_room(Path(sys.argv[1]))
    [release] = load_releases(room)
    doc = document(room, release)
    env = make_environment()
    render_pdf(doc, env)  # imports and fonts warm
    timings = []
    for _ in range(int(sys.argv[2])):
        start = time.perf_counter()
        pdf = render_pdf(doc, env)
        timings.append(time.perf_counter() - start)
    print(statistics.median(timings), len(PdfReader(BytesIO(pdf)).pages))
    """
)


STEPS = textwrap.dedent(
    """
    import json, os, sys, time
    def now():
        t = os.times()  # this process and the programs it ran (WeasyPrint's ldconfig, gcc)
        return t.user + t.system + t.children_user + t.children_system
    steps, last = {}, [now()]
    def step(name):
        t = now()
        steps[name] = steps.get(name, 0.0) + t - last[0]
        last[0] = t
    import click, pressroom.cli
    step("click and the commands (pressroom.cli)")
    import pressroom.model.release, pressroom.model.room, pressroom.load.room
    step("pydantic and the model")
    from pathlib import Path
    from pressroom.load.room import load_releases, load_room
    room = load_room(Path(sys.argv[1]))
    [release] = load_releases(room, [sys.argv[2]])
    step("loading and validating the room and the release")
    import jinja2, pressroom.render.context, pressroom.render.pdf, pressroom.render.email
    from pressroom.render.environment import make_environment
    step("Jinja, Markdown, the renderers' modules")
    env = make_environment(
        room.templates_dir, cache=Path(sys.argv[1]) / ".pressroom/cache/templates",
        sandbox=room.config.templates.sandbox,
    )
    from pressroom.render.context import document
    doc = document(room, release)
    step("the Document (Markdown, dates, words)")
    import pressroom.render.pdf as pdf, pressroom.render.email as email
    checks = [0.0]
    def timed(original):
        def check(*args):
            t = now()
            try:
                return original(*args)
            finally:
                checks[0] += now() - t
        return check
    pdf.require_safe_links = timed(pdf.require_safe_links)
    email.require_safe_links = timed(email.require_safe_links)
    html = pdf.print_html(doc, env)
    made = email.render_email(doc, env, logo_src=email.page_logo_src(doc))
    made.html, made.text
    step("sandboxed templates: the PDF's HTML, the email (HTML, text)")
    steps["link checks (of the PDF's HTML and the email)"] = checks[0]
    steps["sandboxed templates: the PDF's HTML, the email (HTML, text)"] -= checks[0]
    from pressroom.render.docx import render_docx
    from pressroom.render.environment import override
    render_docx(doc, override(room.templates_dir, "reference.docx"))
    step("Word (python-docx, the document)")
    import weasyprint
    step("importing WeasyPrint")
    weasyprint.HTML(string=html, base_url=Path.cwd().as_uri() + "/").write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
    step("the PDF (WeasyPrint's layout and writing)")
    print(json.dumps(steps))
    """
)


TIMELINE = textwrap.dedent(
    """
    import functools, importlib.abc, importlib.machinery, os, sys, time
    START = time.perf_counter()
    LOG = open(os.environ["TIMELINE_OUT"], "a", buffering=1)
    def mark(what):
        LOG.write(f"{time.perf_counter() - START:.3f} {os.getpid()} {what}\\n")
    WRAP = {
        "pressroom.cli": ["main"],
        "pressroom.load.room": ["load_room", "load_releases"],
        "pressroom.render.build": ["build", "_render", "_render_beside"],
        "pressroom.render.context": ["document"],
        "pressroom.render.pdf": ["render_pdf", "print_html"],
        "pressroom.render.docx": ["render_docx"],
        "pressroom.render.email": ["render_email"],
        "pressroom.render.printer": ["_serve"],
        "pressroom.render.pdf_engine": ["write_pdf"],
    }
    IMPORTS = {"click", "pydantic", "pressroom.model", "jinja2", "docx", "weasyprint"}
    def wrap(module, name):
        function = getattr(module, name)
        @functools.wraps(function)
        def timed(*args, **kwargs):
            mark(f"{name} begins")
            try:
                return function(*args, **kwargs)
            finally:
                mark(f"{name} ends")
        setattr(module, name, timed)
    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name not in WRAP and name not in IMPORTS:
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return spec
            run = spec.loader.exec_module
            def exec_module(module):
                if name in IMPORTS:
                    mark(f"import {name} begins")
                run(module)
                if name in IMPORTS:
                    mark(f"import {name} ends")
                for function in WRAP.get(name, []):
                    if hasattr(module, function):
                        wrap(module, function)
            spec.loader.exec_module = exec_module
            return spec
    sys.meta_path.insert(0, Finder())
    import atexit
    atexit.register(lambda: mark("exit"))
    sys.argv[0] = "pressroom"
    import pressroom.__main__ as entry  # an older pressroom runs its CLI as it is imported
    if getattr(getattr(entry, "main", None), "__module__", "") == "pressroom.__main__":
        entry.main()
    """
)


@dataclass
class Run:
    """One process: wall and processor seconds, peak resident set (MiB), what it printed."""

    wall: float
    cpu: float
    peak_mib: float
    out: str = ""
    err: str = ""


@dataclass
class Tree:
    """A pressroom to measure: its code folder, its entry point, its own room."""

    label: str
    code: Path
    entry: str = ""
    room: Path = Path()
    runs: list[Run] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(self.code), "SOURCE_DATE_EPOCH": EPOCH}


def run(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """*command* as a fresh process: wall time to its end, and from ``wait4`` its
    processor time and peak memory, those of the workers it waited for included.

    It runs in *cwd* (default: the temporary folder), never in the repository, where
    ``python -c`` would import the working tree's pressroom before any other."""
    cwd = cwd or Path(tempfile.gettempdir())
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = Run(
            wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read(), err.read()
        )
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{done.err[-3000:]}")
    return done


def entry_of(code: Path) -> str:
    """The code the installed ``pressroom`` command runs (its ``[project.scripts]``)."""
    scripts = tomllib.loads((code / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, function = scripts["pressroom"].partition(":")
    return (
        f"import sys\nfrom {module} import {function}\n"
        f"sys.argv[0] = 'pressroom'\nsys.exit({function}())"
    )


def exported(ref: str, folder: Path) -> None:
    """The pressroom of commit *ref*, written into *folder*."""
    archive = subprocess.run(
        ["git", "archive", ref, "pressroom", "pyproject.toml"],
        cwd=REPO,
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)


def one_release_room(source: Path, folder: Path) -> Path:
    """A press room holding the example's breaking release alone (no translation)."""
    folder.mkdir(parents=True)
    shutil.copy(source / "pressroom.yaml", folder / "pressroom.yaml")
    for name in ("assets", "templates"):
        if (source / name).is_dir():
            shutil.copytree(source / name, folder / name)
    (folder / "releases").mkdir()
    shutil.copy(source / "releases" / f"{RELEASE}.yaml", folder / "releases")
    return folder


def many_room(source: Path, folder: Path, count: int) -> Path:
    """A copy of *source*'s room with *count* copies of the breaking release."""
    one_release_room(source, folder)
    text = (folder / "releases" / f"{RELEASE}.yaml").read_text(encoding="utf-8")
    (folder / "releases" / f"{RELEASE}.yaml").unlink()
    for index in range(count):
        (folder / "releases" / f"2026-11-23-copy-{index:04d}.yaml").write_text(
            text.replace("headline: ", f"headline: No. {index} ", 1), encoding="utf-8"
        )
    return folder


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


def median(runs: list[Run], what: str) -> float:
    return statistics.median(getattr(r, what) for r in runs)


def cold(trees: list[Tree], work: Path, repeat: int) -> None:
    """Section 1: the rounds, each contender once a round in a rotating order."""
    html = work / "release.html"
    after = trees[0]
    run([sys.executable, "-c", MAKE_HTML, str(after.room), RELEASE, str(html)], after.env)
    bare_runs: list[Run] = []
    bare = [sys.executable, "-c", BARE, str(html), after.room.as_uri() + "/", str(work / "b.pdf")]
    contenders: list[Tree | None] = [None, *trees]
    for index in range(repeat):
        for tree in contenders[index % len(contenders) :] + contenders[: index % len(contenders)]:
            if tree is None:
                bare_runs.append(run(bare, {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}))
                continue
            folder = work / f"{tree.label.split()[0]}-{index}"
            folder.mkdir()
            command = [sys.executable, "-c", tree.entry, "--root", str(tree.room)]
            command += ["build", RELEASE, "--format", FORMATS, "--out", "out"]
            tree.runs.append(run(command, tree.env, cwd=folder))
    bare_wall = median(bare_runs, "wall")
    print(f"\n1. cold build of one release to {FORMATS}, fresh processes")
    print(f"   medians of {repeat} interleaved rounds\n")
    print(f"   {'':34} {'wall':>8} {'cpu':>8} {'peak':>9} {'wall / bare':>12}")
    rows = [("bare WeasyPrint render", bare_runs), *((t.label, t.runs) for t in trees)]
    for label, runs in rows:
        wall = median(runs, "wall")
        print(
            f"   {label:34} {wall:7.2f}s {median(runs, 'cpu'):7.2f}s "
            f"{median(runs, 'peak_mib'):6.0f} MiB {wall / bare_wall:11.2f}x"
        )
    if len(trees) > 1:
        compare(trees, work, repeat)


def compare(trees: list[Tree], work: Path, repeat: int) -> None:
    """The files and terminal output of the last build of each pressroom, side by side."""
    last = repeat - 1
    first, *others = trees
    for other in others:
        a = work / f"{first.label.split()[0]}-{last}" / "out"
        b = work / f"{other.label.split()[0]}-{last}" / "out"
        files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
        files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
        differ = [str(p) for p in files_a if p in files_b and not filecmp.cmp(a / p, b / p, False)]
        same_out = first.runs[-1].out == other.runs[-1].out
        same_err = first.runs[-1].err == other.runs[-1].err
        print(
            f"\n   {first.label} vs {other.label}: files "
            + ("the same" if files_a == files_b else f"{files_a} vs {files_b}")
            + (f", contents differ: {', '.join(differ)}" if differ else ", contents identical")
            + f"; stdout {'identical' if same_out else 'DIFFERS'}"
            + f", stderr {'identical' if same_err else 'DIFFERS'}"
        )
        if not same_out:
            print(textwrap.indent(first.runs[-1].out + "---\n" + other.runs[-1].out, "   | "))


def warm(trees: list[Tree], work: Path, repeat: int, count: int) -> None:
    """Sections 2 to 4, for each pressroom in turn."""
    html = work / "release.html"
    base = trees[0].room.as_uri() + "/"
    bare = run([sys.executable, "-c", BARE_MANY, str(html), base, str(count)])
    print(f"\n2-4. {count} releases in one build, then again unchanged; 1,000 signatories\n")
    print(
        f"   bare WeasyPrint, {count} renders in one process: {float(bare.out) / count:.3f}s each"
    )
    for tree in trees:
        room = many_room(REPO, work / f"many-{id(tree)}", count)  # the same releases for each
        command = [sys.executable, "-c", tree.entry, "--root", str(room), "build"]
        first = run([*command, "--out", str(work / f"many-out-{id(tree)}")], tree.env)
        again = [
            run([*command, "--out", str(work / f"many-out-{id(tree)}")], tree.env).wall
            for _ in range(repeat)
        ]
        letter = work / f"letter-{id(tree)}"
        (letter / "releases").mkdir(parents=True)
        shutil.copy(tree.room / "pressroom.yaml", letter / "pressroom.yaml")
        shutil.copytree(tree.room / "assets", letter / "assets")
        (letter / "releases" / "2026-11-23-letter.yaml").write_text(letter_with(1000), "utf-8")
        seconds, pages = run(
            [sys.executable, "-c", LETTER, str(letter), str(repeat)], tree.env
        ).out.split()
        print(
            f"   {tree.label:34} per release {first.wall / count:.3f}s "
            f"(peak {first.peak_mib:.0f} MiB), "
            f"unchanged rebuild {statistics.median(again):.2f}s, "
            f"1,000 signatories {float(seconds):.2f}s ({pages} pages)"
        )


def steps(trees: list[Tree], work: Path, repeat: int) -> None:
    """Where a cold build's processor time goes, step by step, in one fresh process
    (the steps a build takes, one after the other, with no worker): medians of
    *repeat* runs, each pressroom in turn."""
    import json

    empty = run([sys.executable, "-c", "pass"])
    table: dict[str, dict[str, list[float]]] = {}
    for _ in range(repeat):
        for tree in trees:
            done = run([sys.executable, "-c", STEPS, str(tree.room), RELEASE], tree.env, cwd=work)
            for name, seconds in json.loads(done.out).items():
                table.setdefault(name, {}).setdefault(tree.label, []).append(seconds)
            table.setdefault("total", {}).setdefault(tree.label, []).append(done.cpu)
    print(f"\n0. processor time of each step of a build, in one process, medians of {repeat}\n")
    print(f"   {'':62}" + "".join(f"{tree.label.split()[0]:>10}" for tree in trees))
    print(f"   {'starting Python (python -c pass)':62}" + f"{empty.cpu:9.3f}s" * len(trees))
    for name, by_tree in table.items():
        cells = "".join(f"{statistics.median(by_tree[t.label]):9.3f}s" for t in trees)
        print(f"   {name:62}{cells}")


def timeline(trees: list[Tree], work: Path, repeat: int) -> None:
    """Time stamps along a cold build (functions wrapped as their modules load), each
    pressroom *repeat* times in turn; the run of median length is printed."""
    print("\n0. time stamps along a cold build (seconds from the start; the median run)")
    for tree in trees:
        tree.timelines = []  # type: ignore[attr-defined]
    for index in range(repeat):
        for tree in trees:
            log = work / f"timeline-{tree.label.split()[0]}-{index}.txt"
            env = {**tree.env, "TIMELINE_OUT": str(log)}
            command = [sys.executable, "-c", TIMELINE, "--root", str(tree.room), "build"]
            run([*command, RELEASE, "--format", FORMATS, "--out", str(log) + ".out"], env)
            lines = [line.split(" ", 2) for line in log.read_text().splitlines()]
            tree.timelines.append(sorted(lines, key=lambda line: float(line[0])))  # type: ignore[attr-defined]
    for tree in trees:
        runs = sorted(tree.timelines, key=lambda lines: float(lines[-1][0]))  # type: ignore[attr-defined]
        lines = runs[len(runs) // 2]
        command = lines[0][1]
        names: dict[str, str] = {command: "command"}
        print(f"\n   {tree.label}")
        for seconds, pid, event in lines:
            role = names.setdefault(pid, f"process {len(names)}")
            print(f"   {float(seconds):6.3f}  {role:10} {event}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--count", type=int, default=200, help="releases in section 2")
    parser.add_argument("--before", metavar="REF", help="the pressroom of this commit beside")
    parser.add_argument("--cold-only", action="store_true", help="section 1 alone")
    parser.add_argument(
        "--steps", action="store_true", help="also where the time goes, step by step (0.)"
    )
    parser.add_argument(
        "--timeline", action="store_true", help="also time stamps along a cold build (0.)"
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 rounds, 5 releases")
    options = parser.parse_args()
    if options.quick:
        options.repeat, options.count = 2, 5

    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        trees = [Tree("after", REPO)]
        if options.before:
            old = work / "before-code"
            old.mkdir()
            exported(options.before, old)
            trees.append(Tree(f"before ({options.before})", old))
        room = one_release_room(REPO, work / "room")
        for tree in trees:
            tree.entry, tree.room = entry_of(tree.code), room
            # as installed: pip compiles a package's modules, and PYTHONDONTWRITEBYTECODE
            # (set here) would otherwise have every run compile pressroom's from source
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", str(tree.code / "pressroom")],
                check=True,
            )
        if options.steps:
            steps(trees, work, options.repeat)
        if options.timeline:
            timeline(trees, work, options.repeat)
        cold(trees, work, options.repeat)
        if not options.cold_only:
            warm(trees, work, options.repeat, options.count)
    load = os.getloadavg()
    print(f"\nload average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the end")


if __name__ == "__main__":
    main()

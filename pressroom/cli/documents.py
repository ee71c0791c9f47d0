"""Commands on the releases themselves: check, build, init, new."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pressroom.cli import OutputFolder, State, cli, print_problems
from pressroom.errors import Problem
from pressroom.terminal import echo


@cli.command()
@click.argument("releases", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_obj
def check(state: State, releases: tuple[str, ...], strict: bool) -> None:
    """Check releases (all by default) for errors and editorial problems.

    Everything `send` would refuse is an error: the editorial rules, the
    sender and postal address, and the media lists each release names.
    Exit status 0 when clean (warnings allowed unless --strict), 1 on errors.
    """
    from pressroom.check.readiness import release_problems
    from pressroom.check.rules import check_room
    from pressroom.clock import now
    from pressroom.errors import LoadError
    from pressroom.load.contacts import check_lists
    from pressroom.load.room import load_release, release_files
    from pressroom.sendlog.approval_status import approval_line

    room = state.room()
    problems: list[Problem] = check_room(room)
    paths = release_files(room, releases)
    moment = now()
    approvals: list[str | None] = []
    used: set[str] = set()
    for path in paths:
        try:
            release = load_release(room, path)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        used.update(release.distribution.lists)
        found = release_problems(room, release, moment)
        problems.extend(found)
        if not any(p.severity == "error" for p in found):
            approvals.append(approval_line(room, release))
    problems += unused_list_problems(check_lists(room), used)
    problems = list(dict.fromkeys(problems))  # a broken list named by several releases: once
    print_problems(problems, strict)
    for line in filter(None, approvals):
        echo(line)
    errors = sum(1 for p in problems if p.severity == "error" or strict)
    warnings = len(problems) - errors
    summary = (
        f"{len(paths)} release{'s' if len(paths) != 1 else ''} checked: "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )
    if not paths:
        summary += '; releases/ is empty: pressroom new "Your headline" starts one'
    echo(summary, err=bool(errors))
    if errors:
        sys.exit(1)


def unused_list_problems(problems: list[Problem], used: set[str]) -> list[Problem]:
    """The problems of the files in contacts/: a list no checked release uses (a raw
    export dropped there) breaks no release, so its problems are warnings; the lists
    the releases use are reported as errors with them (readiness.list_problems)."""
    from dataclasses import replace
    from pathlib import PurePosixPath

    kept = []
    for problem in problems:
        name = PurePosixPath(problem.file).stem
        if name in used or problem.severity != "error":
            kept.append(problem)
            continue
        hint = f"{problem.hint}; no release checked names this list, so none is stopped by it"
        kept.append(replace(problem, severity="warning", hint=hint.lstrip("; ")))
    return kept


@cli.command()
@click.argument("releases", nargs=-1)
@click.option(
    "--out",
    type=OutputFolder(),
    default=None,
    help="Output folder (default: build/ in the press room).",
)
@click.option(
    "--format",
    "formats",
    default="pdf,docx,html,txt",
    show_default=True,
    help="Comma-separated formats to write.",
)
@click.option("--force", is_flag=True, help="Render even what has not changed.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes rendering at once (default: one per core).",
)
@click.pass_obj
def build(
    state: State,
    releases: tuple[str, ...],
    out: Path | None,
    formats: str,
    force: bool,
    jobs: int | None,
) -> None:
    """Render releases (all by default) to PDF, Word, HTML email and text.

    A release's translations are rendered with it, into build/NAME.LANG/.
    """
    from pressroom.load.room import load_releases
    from pressroom.load.translations import each_language
    from pressroom.render.build import build as build_releases
    from pressroom.render.build import parse_formats

    wanted = parse_formats(formats)
    room = state.room()
    chosen = each_language(load_releases(room, releases))
    target = out if out is not None else room.root / "build"

    def report(built):  # type: ignore[no-untyped-def]
        where = built.folder
        try:
            where = built.folder.relative_to(Path.cwd())
        except ValueError:
            pass
        status = "built" if built.rendered else "unchanged"
        echo(f"{status:>9}  {where}/  ({', '.join(p.suffix[1:] for p in built.files)})")

    results = build_releases(
        room, chosen, target, wanted, force=force, on_release=report, workers=jobs
    )
    rendered = sum(1 for r in results if r.rendered)
    from pressroom.terminal import plural

    echo(
        f"{plural(len(results), 'release')}: {rendered} rendered, "
        f"{len(results) - rendered} unchanged"
    )


def _answer_options(command):  # type: ignore[no-untyped-def]
    """One option of ``init`` per value of pressroom.yaml it asks for."""
    from pressroom.drafts.init_answers import QUESTIONS

    for question in reversed(QUESTIONS):
        command = click.option(
            f"--{question.option}", default=None, metavar="TEXT", help=question.help
        )(command)
    return command


@cli.command()
@click.argument("folder", required=False, type=OutputFolder())
@_answer_options
def init(folder: Path | None, **given: str | None) -> None:
    """Start a press room in FOLDER (default: here). Never overwrites files.

    In a terminal, init asks for your organisation's name, address, sender and
    media contact; elsewhere it takes them as options. A value not given stays
    an example that check and send refuse until you replace it.
    """
    from pressroom.drafts.init_answers import QUESTIONS, default_answer
    from pressroom.drafts.scaffold import init_room

    answers = {
        q.option: value
        for q in QUESTIONS
        if (value := given[q.option.replace("-", "_")]) is not None
    }
    if sys.stdin.isatty():
        for question in QUESTIONS:
            if question.option not in answers:
                offered = default_answer(question.option, answers)
                answers[question.option] = click.prompt(
                    question.prompt,
                    default=offered if offered is not None else ("" if question.optional else None),
                    show_default=bool(offered),
                )
    target = folder or Path.cwd()
    for path in init_room(target, answers):
        echo(f"created {path}")
    left = [q for q in QUESTIONS if q.option not in answers]
    if left:
        echo(
            "pressroom.yaml holds example values for "
            + ", ".join(".".join(map(str, q.path)) for q in left)
            + ": check and send refuse them until you replace them."
        )
    echo("Next: run 'pressroom new \"Your headline\"'.")


@cli.command()
@click.argument("headline")
@click.option(
    "--type",
    "kind",
    default="press-release",
    show_default=True,
    type=click.Choice(["press-release", "open-letter", "statement", "media-advisory"]),
    help="The kind of release.",
)
@click.option("--date", "day", default=None, help="The release date, YYYY-MM-DD (default: today).")
@click.pass_obj
def new(state: State, headline: str, kind: str, day: str | None) -> None:
    """Create releases/<date>-<slug>.yaml, a draft, from a commented template.

    Replace its starter sentences (check reports any left) and remove
    draft: true when the release is ready to send.
    """
    from datetime import date

    from pressroom.clock import now
    from pressroom.drafts.scaffold import new_release
    from pressroom.errors import UsageError
    from pressroom.model.moments import zone_named

    room = state.room()
    if day is not None:
        try:
            when = date.fromisoformat(day)
        except ValueError:
            raise UsageError(f"--date {day!r} is not a date: write YYYY-MM-DD") from None
    else:
        when = now().astimezone(zone_named(room.config.timezone)).date()
    path = new_release(room, kind, headline, when)
    echo(f"created {path.relative_to(room.root)}")

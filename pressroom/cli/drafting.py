"""Commands that bring drafts into the room: import."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pressroom.cli import State, cli, print_problems
from pressroom.terminal import echo


@cli.command("import")
@click.argument("document", metavar="FILE")
@click.pass_obj
def import_(state: State, document: str) -> None:
    """Turn a draft (.docx, .odt, .md, .txt, or - for standard input) into a release.

    Writes releases/<date>-<slug>.yaml (a draft), pictures embedded in the
    document into assets/, and people the room lacks into pressroom.yaml, then
    prints what it found. What it could not place stays in the body, with a
    warning at its line. Exit status 0 when the release was written.
    """
    from pressroom.clock import now
    from pressroom.drafts.importing import import_document
    from pressroom.drafts.importing.container import MAX_DOCUMENT_BYTES
    from pressroom.model.moments import zone_named

    room = state.room()
    if document == "-":
        data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
        display, suffix = "standard input", ""
    else:
        path = Path(document)
        if "\0" in document:
            raise click.BadParameter("a file name cannot hold a NUL character", param_hint="FILE")
        if path.is_dir():
            raise click.BadParameter(f"{document} is a folder; give a document", param_hint="FILE")
        with path.open("rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
        display, suffix = path.name, path.suffix
    today = now().astimezone(zone_named(room.config.timezone)).date()
    done = import_document(room, data, display, suffix=suffix, today=today)
    echo(f"created {done.path.relative_to(room.root).as_posix()}")
    if done.said:
        echo("found: " + "; ".join(done.said))
    for picture in done.pictures:
        echo(f"saved {picture.relative_to(room.root).as_posix()}")
    for person in done.people:
        echo(f"added to pressroom.yaml: {person.key} ({person.name})")
    print_problems(done.warnings)
    echo(
        f"Next: read it, run 'pressroom check {done.name}', and remove draft: true "
        "when it is ready."
    )

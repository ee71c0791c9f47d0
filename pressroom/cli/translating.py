"""The command that starts a release's translation, or marks one current: translate."""

from __future__ import annotations

import click

from pressroom.cli import State, cli
from pressroom.terminal import echo


@cli.command()
@click.argument("release")
@click.option(
    "--to", "to", required=True, metavar="LANG", help="The translation's language (de, fr, pt-BR)."
)
@click.option(
    "--update",
    is_flag=True,
    help="Mark the existing translation as translating the original as it is now.",
)
@click.pass_obj
def translate(state: State, release: str, to: str, update: bool) -> None:
    """Start the LANG translation of RELEASE: releases/NAME.LANG.yaml, with the text to translate.

    The new file holds the original's text keys (headline, body, quotes,
    captions...) with the original's text in place, and records which version
    of the original it translates; check warns when the original changes
    since. After updating a translation to a changed original, --update
    records that it is current again. Each journalist whose list says this
    language gets the translation when the release is sent.
    """
    from pressroom.drafts.translation import mark_current, start_translation
    from pressroom.load.room import load_release, release_files

    room = state.room()
    [path] = release_files(room, [release])
    loaded = load_release(room, path)
    if update:
        written = mark_current(room, loaded, to)
        echo(f"{written.relative_to(room.root)}: marked as translating the current text.")
        return
    written = start_translation(room, loaded, to)
    echo(
        f"Wrote {written.relative_to(room.root)}: translate each text in place, "
        "then run pressroom check."
    )

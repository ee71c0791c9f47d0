"""What readers see in a browser: ``pressroom serve`` (the preview) and ``pressroom site``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from pressroom.cli import OutputFolder, State, cli
from pressroom.terminal import echo

if TYPE_CHECKING:
    from pressroom.model.room import Room


@cli.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; the default is reachable from this computer only.",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="A name the preview is reached by from other machines (repeatable); requests "
    "naming anything else in their Host header are refused.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.pass_obj
def serve(
    state: State, port: int, host: str, allowed_hosts: tuple[str, ...], open_browser: bool
) -> None:
    """Preview the releases in a browser, updated as you save files.

    Each release shows its email (HTML and plain text, with the subject), its
    PDF, a Word download, the results of check and the recipients per list.
    Saving a release, pressroom.yaml, a media list or a template updates the
    open page by itself. Nothing in the preview can send mail. Ctrl-C stops it.

    With --host other than this computer, everyone who can reach that address
    sees every release, embargoed and drafts included: give the names it is
    reached by with --allowed-host.
    """
    from pressroom.load.room import find_root
    from pressroom.serve import serve as run
    from pressroom.serve.hosts import allowed_hosts as names
    from pressroom.serve.hosts import is_loopback

    root = find_root(explicit=state.explicit_root)

    def ready(url: str) -> None:
        echo(f"Previewing {root} at {url} (Ctrl-C to stop)")
        if not is_loopback(host):
            click.secho(
                f"WARNING: the preview listens on {host}: anyone who can reach it sees "
                "every release, embargoed and drafts included. Only requests for "
                f"{', '.join(names(host, allowed_hosts))} are answered "
                "(add the name others use with --allowed-host NAME).",
                err=True,
                fg="red",
                bold=True,
            )
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    run(root, host, port, on_ready=ready, allowed_hosts=allowed_hosts)
    echo("Stopped.")


@cli.command()
@click.option(
    "--out",
    type=OutputFolder(),
    default=None,
    help="Output folder (default: site/ in the press room).",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="The newsroom's public address, for feeds, sitemap and links (default: org.website).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes rendering PDFs at once (default: one per core).",
)
@click.option(
    "--use-pressroom-now",
    "use_fixed_time",
    is_flag=True,
    help="Build the newsroom as of the time PRESSROOM_NOW sets (a rehearsal); without it, "
    "a set PRESSROOM_NOW is refused, as it would publish embargoed releases early.",
)
@click.pass_obj
def site(
    state: State, out: Path | None, base_url: str | None, jobs: int | None, use_fixed_time: bool
) -> None:
    """Write the static newsroom: pages, PDFs, feeds and a sitemap of published releases.

    Drafts, and releases whose embargo (or date) has not come, are left out,
    and removed when an earlier build published them; so is a release sent
    with --at, until that time. Nothing from contacts/
    is read. Only what changed is written. PRESSROOM_NOW, which sets the time
    for rehearsals, is refused unless --use-pressroom-now is given.
    """
    from pressroom.clock import ENV_VAR, is_fixed, now
    from pressroom.errors import UsageError
    from pressroom.load.room import load_releases
    from pressroom.site import build_site

    if is_fixed():
        moment = now()
        if not use_fixed_time:
            raise UsageError(
                f"{ENV_VAR} is set ({moment.isoformat()}): the newsroom would publish what is "
                f"public at that time, not now. Unset {ENV_VAR} to publish, or pass "
                "--use-pressroom-now to build the site as of then (a rehearsal; "
                "e.g. with --out rehearsal/)"
            )
        echo(
            f"{ENV_VAR} is set: building the newsroom as of {moment.isoformat()}, not now",
            err=True,
        )
    room = state.room()
    target = out if out is not None else room.root / "site"
    result = build_site(
        room,
        load_releases(room),
        target,
        now(),
        base_url=base_url,
        workers=jobs,
        scheduled=scheduled_sends(room),
    )
    if not is_fixed():  # a real build: the emails' calendar links follow the newsroom
        _record_address(room, result.base_url)
    zone = ZoneInfo(room.config.timezone)
    for held in result.held:
        if held.until is None:
            echo(f"{'draft':>9}  {held.name}")
        elif held.scheduled:
            until = held.until.astimezone(zone)
            echo(
                f"{'held':>9}  {held.name}  until {until:%Y-%m-%d %H:%M %Z}, "
                "when its scheduled send (send --at) goes out"
            )
        else:
            echo(f"{'held':>9}  {held.name}  until {held.until:%Y-%m-%d %H:%M %Z}")
    where = target
    try:
        where = target.resolve().relative_to(Path.cwd())
    except ValueError:
        pass
    drafts = sum(1 for h in result.held if h.until is None)
    echo(
        f"{where}/ ({result.base_url}): {len(result.published)} published, "
        f"{len(result.held) - drafts} held, {drafts} draft{'s' if drafts != 1 else ''}; "
        f"{result.rendered} PDF/Word rendered; {len(result.written)} files written, "
        f"{len(result.removed)} removed, {result.unchanged} unchanged"
    )
    for kept in result.kept:
        echo(
            f"{'kept':>9}  {kept}: no longer part of the site, but changed since pressroom "
            "wrote it; delete it yourself if it should go"
        )


def scheduled_sends(room: Room) -> dict[str, datetime]:
    """Release -> the time of its send scheduled with ``send --at``, from the room's send
    log (none when nothing was ever sent)."""
    from pressroom.sendlog import open_log, room_log

    where = room_log(room.root, room.config.database)
    if not where.exists():
        return {}
    with open_log(where, read_only=True) as log:
        return log.scheduled_releases()


def _record_address(room: Room, base: str) -> None:
    """Keep where the newsroom is published for the emails; say so when it differs."""
    from pressroom.load.newsroom import record_published_address

    org = room.config.org
    known = org.newsroom or org.website or ""
    if not record_published_address(room, base) or org.newsroom:
        if org.newsroom and base.rstrip("/") != org.newsroom.rstrip("/"):
            echo(
                f"note: emails link to org.newsroom ({org.newsroom}), not to {base}; "
                "change org.newsroom in pressroom.yaml if the newsroom moved",
                err=True,
            )
        return
    if base.rstrip("/") != known.rstrip("/"):
        echo(
            f"note: emails sent from this computer link their calendar invitations to "
            f"{base}, not org.website; set org.newsroom: {base} in pressroom.yaml to tell "
            "every clone of the room",
            err=True,
        )

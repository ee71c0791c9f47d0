"""``pressroom events``: what SendGrid says happened to the mail (its Event Webhook)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click

from pressroom.cli import State, cli
from pressroom.terminal import echo


@cli.group()
def events() -> None:
    """Receive SendGrid's delivery events (delivered, bounced, opened, ...) into the send log.

    Hard bounces, drops of bad addresses, spam reports and unsubscribes are
    suppressed at once: the next send skips them. See docs/sending.md.
    """


@events.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on (put a reverse proxy with TLS in front of it).",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8025, show_default=True,
    help="The port to listen on (0: any free port).",
)  # fmt: skip
@click.option(
    "--max-age",
    type=click.IntRange(min=1),
    default=600,
    show_default=True,
    metavar="SECONDS",
    help="Refuse posts signed further than this from now.",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1024),
    default=5_000_000,
    show_default=True,
    metavar="BYTES",
    help="Refuse posts larger than this.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Close connections past this many at once.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=20.0,
    show_default=True,
    metavar="SECONDS",
    help="Drop a post whose headers, or whose body, take longer than this to arrive.",
)
@click.pass_obj
def events_serve(
    state: State,
    host: str,
    port: int,
    max_age: int,
    max_body: int,
    max_connections: int,
    timeout: float,
) -> None:
    """Receive SendGrid's signed event posts at POST /sendgrid/events.

    Needs SENDGRID_WEBHOOK_PUBLIC_KEY (the verification key SendGrid shows
    when signed event webhook requests are on); unsigned, forged, stale,
    slow or oversized posts are refused, unsigned and stale ones before their
    body is read. There is no other route. Each post is logged in one line (how
    many events were stored, already had, newly suppressed or set aside, or why it
    was refused): counts only, never an address. Ctrl-C stops it.
    """
    from pressroom.events.feed import serve
    from pressroom.events.limits import Limits

    room = state.room()
    root = room.root

    suppress = room.config.delivery.suppress_from_other_mail
    outside = [0]

    def ready(url: str) -> None:
        echo(f"Receiving SendGrid events for {root} at POST {url} (Ctrl-C to stop)")

    def arrived(count: int) -> None:
        outside[0] += count
        echo(f"{outside_events(count, suppress)} ({outside[0]} since start)")

    serve(
        root,
        host,
        port,
        max_age=timedelta(seconds=max_age),
        max_body=max_body,
        limits=Limits(connections=max_connections, timeout=timeout),
        database=room.config.database,
        outside_suppress=suppress,
        on_ready=ready,
        on_outside=arrived,
        on_post=echo,  # one line per post: counts only, never an address
    )
    echo("Stopped.")


@events.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def events_import(state: State, file: Path) -> None:
    """Record the events in FILE: SendGrid's JSON, an array or one event per line.

    For offices that cannot run a public endpoint. Importing the same events
    again changes nothing.
    """
    from pressroom.events.feed import import_file
    from pressroom.terminal import plural

    room = state.room()
    suppress = room.config.delivery.suppress_from_other_mail
    done = import_file(room.root, file, room.config.database, outside_suppress=suppress)
    for aside in done.set_aside[:20]:
        echo(f"{file}: {aside}: set aside", err=True)
    if len(done.set_aside) > 20:
        echo(f"{file}: and {len(done.set_aside) - 20} more set aside", err=True)
    r = done.recorded
    echo(
        f"{plural(r.stored, 'new event')}, {r.duplicates} already recorded"
        f"{'' if not r.unmatched else f' ({r.unmatched} for no delivery in the log)'}, "
        f"{len(done.set_aside)} set aside; "
        f"{plural(r.suppressed, 'address', 'addresses')} newly suppressed"
    )
    if r.outside:
        echo(outside_events(r.outside, suppress))


def outside_events(count: int, suppress: bool) -> str:
    """What *count* events about addresses pressroom never mailed did."""
    from pressroom.terminal import plural

    did = (
        "suppressing as pressroom's own (delivery: suppress_from_other_mail)"
        if suppress
        else "suppressing nobody (another sender on this SendGrid account? "
        "delivery: suppress_from_other_mail decides)"
    )
    return f"{plural(count, 'event')} about addresses pressroom never mailed: recorded, {did}"

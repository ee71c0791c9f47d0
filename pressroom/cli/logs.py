"""``pressroom log``: what went out, from the send logs (real sends and rehearsals)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from pressroom.cli import State, cli
from pressroom.terminal import echo

if TYPE_CHECKING:
    from pressroom.sendlog.location import Location


def csv_of(name: str, found: list[tuple[str, Location]], states: tuple[str, ...]) -> None:
    """``log RELEASE --csv``: the rows ``log RELEASE`` shows, as CSV.

    The real log's rows when it has any; else the outbox's rehearsals (what
    ``log`` shows then), said on standard error so the file itself stays plain.
    """
    from pressroom.sendlog import open_log

    rows = {}
    for kind, where in found:
        with open_log(where, read_only=True) as send_log:
            rows[kind] = len(send_log.report(name))
    kind = "sendgrid" if rows.get("sendgrid") or "outbox" not in rows else "outbox"
    if kind not in rows:
        from pressroom.sendlog.export import CSV_COLUMNS

        echo(",".join(CSV_COLUMNS))  # nothing sent yet: the header alone
        return
    if kind == "outbox":
        echo("Rehearsals in the outbox (nothing was delivered):", err=True)
    elif rows.get("outbox"):
        echo(
            f"{rows['outbox']} rehearsals in the outbox left out: pressroom log {name} "
            "--outbox --csv",
            err=True,
        )
    where = dict(found)[kind]
    with open_log(where, read_only=True) as send_log:
        send_log.write_csv(name, sys.stdout, states)


def echo_lines(lines: list[str]) -> int:
    """Print *lines*; how many (so a caller can tell whether it showed anything)."""
    for line in lines:
        echo(line)
    return len(lines)


@cli.command()
@click.argument("release", required=False)
@click.option(
    "--to", "address", metavar="ADDRESS", help="One journalist's history across releases."
)
@click.option("--csv", "as_csv", is_flag=True, help="Write the log as CSV to standard output.")
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(
        [
            "planned",
            "in_flight",
            "scheduled",
            "accepted",
            "failed",
            "cancelled",
            "suppressed",
            "unknown",
            "skipped",
        ]
    ),
    help="Only recipients in this state (repeatable), e.g. --state unknown.",
)
@click.option("--outbox", is_flag=True, help="Only the outbox's rehearsals.")
@click.option(
    "--transport",
    type=click.Choice(["outbox", "sendgrid", "smtp"]),
    default=None,
    help="Only this transport's log: outbox (rehearsals), or sendgrid/smtp (real sends).",
)
@click.pass_obj
def log(
    state: State,
    release: str | None,
    address: str | None,
    as_csv: bool,
    states: tuple[str, ...],
    outbox: bool,
    transport: str | None,
) -> None:
    """Show what went out: who received RELEASE, every send, or one person's history.

    Real sends (SendGrid, SMTP) are shown whatever the shell's
    SENDGRID_API_KEY; outbox rehearsals are shown apart, labelled, and never
    count as delivered. With RELEASE: version, state, time and message id per
    recipient. Without: every release sent. With --to: every release sent to
    ADDRESS and what happened to it (delivered, opened, clicked, bounced, from
    SendGrid's events). --csv writes the real log unless --outbox. Works from
    the send log alone, so a release file that no longer reads can still be
    looked up.
    """
    from functools import partial

    from pressroom.deliver.transports import log_location
    from pressroom.errors import UsageError
    from pressroom.load.room import release_files
    from pressroom.reports import tables
    from pressroom.reports.fitting import print_fitted
    from pressroom.reports.outcomes import history
    from pressroom.reports.send_summary import (
        LOG_OPTIONAL,
        console,
        log_table,
        shown_state,
        waiting_lines,
    )
    from pressroom.sendlog import open_log

    if release and address:
        raise UsageError("give either a RELEASE or --to ADDRESS, not both")
    if address is not None and "@" not in address:
        raise UsageError(f"--to: {address!r} is not an email address; give the journalist's")
    if as_csv and not release:
        raise UsageError("--csv needs a RELEASE (pressroom log RELEASE --csv)")
    if outbox and transport not in (None, "outbox"):
        raise UsageError(f"--outbox and --transport {transport} ask for different logs")
    room = state.room()
    zone, locale = room.config.timezone, room.config.locale
    name = release_files(room, [release])[0].stem if release else None  # no such: an error
    if outbox or transport == "outbox":
        kinds = ["outbox"]
    elif transport:
        kinds = ["sendgrid"]  # the real log, whichever transport wrote it
    else:
        kinds = ["sendgrid", "outbox"]
    logs = [(kind, log_location(room, kind)) for kind in kinds]  # type: ignore[arg-type]
    found = [(kind, where) for kind, where in logs if where.exists()]
    if as_csv and name:
        csv_of(name, found, states)
        return
    if not found:
        echo(f"Nothing has been sent yet ({' or '.join(str(w) for _k, w in logs)} "
                   "does not exist).")  # fmt: skip
        return
    shown = 0
    for kind, where in found:
        rehearsal = kind == "outbox"
        label = "Rehearsals in the outbox (nothing was delivered):" if rehearsal else "Sent:"
        with open_log(where, read_only=True) as send_log:
            if address:
                rows = history(send_log.deliveries_to(address), send_log.events_to(address))
                if rows:
                    print_fitted(
                        console(),
                        partial(tables.history_table, address, rows, zone, locale, label),
                        tables.HISTORY_OPTIONAL,
                    )
                    shown += 1
                continue
            waiting = [] if states else send_log.pending(name)
            if name is None:
                sends = send_log.sends()
                if sends:
                    print_fitted(
                        console(),
                        partial(tables.sends_table, sends, zone, locale, f"{label} every release"),
                        tables.SENDS_OPTIONAL,
                    )
                    shown += 1
                shown += echo_lines(waiting_lines(waiting, room.config))
                continue
            every = send_log.report(name)
            schedules = send_log.schedules(name)
        rows_of = [row for row in every if not states or {row.state, row.shown_state} & set(states)]
        if not rows_of:
            shown += echo_lines(waiting_lines(waiting, room.config))
            continue
        title = f"Rehearsals of {name} in the outbox (nothing was delivered)" if rehearsal else None
        print_fitted(
            console(),
            partial(log_table, name, rows_of, schedules, room.config, title),
            LOG_OPTIONAL,
            f"pressroom log {name} --csv",
        )
        counts: dict[str, int] = {}
        for row in every:
            counts[shown_state(row)] = counts.get(shown_state(row), 0) + 1
        echo(
            ("Rehearsed: " if rehearsal else "")
            + ", ".join(f"{count} {state}" for state, count in counts.items())
        )
        echo_lines(waiting_lines(waiting, room.config))
        shown += 1
    if not shown:
        which = f" in state {' or '.join(states)}" if states else ""
        what = f"for {address}" if address else f"of {name}" if name else ""
        echo(f"Nothing{which} in the log {what} ({', '.join(str(w) for _k, w in found)}).")

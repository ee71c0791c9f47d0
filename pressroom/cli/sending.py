"""``pressroom send``: delivery (``pressroom log``, its record, is :mod:`.logs`)."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING

import click

from pressroom.cli import State, cli, names
from pressroom.terminal import echo

if TYPE_CHECKING:
    from pressroom.model.release import Release
    from pressroom.model.room import Room


@cli.command()
@click.argument("release")
@click.option(
    "--list",
    "lists",
    multiple=True,
    callback=names,
    help="A media list (default: distribution.lists).",
)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    callback=names,
    help="Only recipients with this tag (repeatable).",
)
@click.option("--test", "tests", multiple=True, metavar="ADDRESS", help="Send a proof here only.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent, and to whom; send nothing.")
@click.option(
    "--verbose", "-v", is_flag=True, help="With --dry-run: list every recipient, not the first 20."
)
@click.option("--yes", is_flag=True, help="Send without asking for confirmation.")
@click.option("--skip-invalid", is_flag=True, help="Send to the valid rows of broken lists.")
@click.option(
    "--resend-unknown", is_flag=True, help="Send again where an earlier outcome is unknown."
)
@click.option("--skip-unknown", is_flag=True, help="Mark recipients with unknown outcome as done.")
@click.option(
    "--at",
    "at",
    metavar="TIME",
    help="Deliver at TIME (e.g. '2026-12-01 08:00 America/New_York', 'tomorrow 06:00', "
    "'in 2 hours'); beyond 72 hours the send waits for `pressroom dispatch`.",
)
@click.option("--cancel", is_flag=True, help="Cancel the release's scheduled send instead.")
@click.option(
    "--correction",
    is_flag=True,
    help="Send this changed version, marked CORRECTED, to those who received an earlier one.",
)
@click.option(
    "--allow-stale",
    is_flag=True,
    help="Send translations made from an earlier text of the original as they are.",
)
@click.pass_obj
def send(
    state: State,
    release: str,
    lists: tuple[str, ...],
    tags: tuple[str, ...],
    tests: tuple[str, ...],
    dry_run: bool,
    verbose: bool,
    yes: bool,
    skip_invalid: bool,
    resend_unknown: bool,
    skip_unknown: bool,
    at: str | None,
    cancel: bool,
    correction: bool,
    allow_stale: bool,
) -> None:
    """Send RELEASE to its media lists, once per recipient and version.

    With SENDGRID_API_KEY set the release goes through SendGrid; without it,
    each message is written as an .eml file under .pressroom/outbox/ (see
    delivery: in pressroom.yaml for SMTP). Running it again sends only to
    whoever has not received this version. A release with translations
    (releases/NAME.LANG.yaml) is sent in each journalist's language (their
    list's language column), else in the original's.
    """
    from pressroom.deliver import dispatch as dispatching
    from pressroom.deliver import schedule
    from pressroom.deliver import send as sending
    from pressroom.errors import UsageError
    from pressroom.load.room import load_release, release_files
    from pressroom.render.dates import local_text
    from pressroom.reports.send_summary import (
        console,
        earlier_version,
        outcome_heading,
        outcome_table,
        progress,
        recipient_lines,
        summary,
    )
    from pressroom.sendlog.approval_status import require_approval
    from pressroom.sendlog.planning import FIRST_KEPT
    from pressroom.terminal import plural

    if resend_unknown and skip_unknown:
        raise UsageError("choose one of --resend-unknown and --skip-unknown")
    room = state.room()
    config = room.config

    def local(moment: str | datetime) -> str:
        return local_text(moment, config.timezone, config.locale)

    [path] = release_files(room, [release])
    loaded = load_release(room, path)
    if cancel:
        for done in schedule.cancel(room, loaded):
            if done.waiting:
                echo(
                    f"Cancelled the send waiting for {local(done.send_at)}: it had not been handed "
                    "to the provider, so nobody will receive it."
                )
                continue
            echo(
                f"Cancelled the send scheduled for {local(done.send_at)}: "
                f"{plural(done.deliveries, 'recipient')} will not receive it."
            )
            if done.late:
                echo(
                    "Warning: less than 10 minutes before the send time, SendGrid does not "
                    "guarantee a cancellation; check `pressroom log` and your SendGrid activity.",
                    err=True,
                )
        return
    send_at = schedule.parse_send_time(at, room) if at is not None else None
    far = send_at is not None and dispatching.far_ahead(send_at)
    if far and tests:
        raise UsageError("--test sends a proof now: leave --at out for a proof")
    prepared = sending.prepare(
        room,
        loaded,
        lists=lists,
        tags=tags,
        tests=tests,
        skip_invalid=skip_invalid,
        resend_unknown=resend_unknown,
        skip_unknown=skip_unknown,
        dry_run=dry_run or far,
        send_at=send_at,
        correction=correction,
        shown=None if verbose and dry_run else FIRST_KEPT,
        allow_stale=allow_stale,
    )
    for line in summary(prepared, config):
        echo(line)
    if not tests:
        for line in rehearsal_after_real_sends(room, loaded):
            echo(line, err=True)
    if not tests and not far:
        for kept in dispatching.waiting(room, loaded.name):
            echo(
                f"Also waiting: a send of this release for {local(kept.send_at)} (send --at); "
                "whoever receives it now is skipped then. `pressroom send "
                f"{release} --cancel` cancels the waiting send."
            )
    count = prepared.count
    if far and not dry_run:
        require_approval(room, loaded)
    if dry_run:
        for line in recipient_lines(prepared):
            echo(line)
        if not tests:
            for line in refusal_ahead(room, loaded):
                echo(line)
        echo("Dry run: nothing was sent.")
        return
    held = prepared.plan.unknown if prepared.plan and prepared.plan.unknown_action == "held" else 0
    if count == 0 and held:
        echo(
            f"Nobody to send to now, but {plural(held, 'recipient')} may or may not have "
            f"received it: `pressroom log {release} --state unknown` lists them; run again with "
            "--resend-unknown or --skip-unknown.",
            err=True,
        )
        sys.exit(1)
    if count == 0 and prepared.plan is not None and prepared.plan.earlier:
        echo(f"Nobody to send to now: {earlier_version(prepared)}.")
        return
    if count == 0:
        echo("Nobody to send to: everyone has this version already.")
        return
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("no terminal to confirm the send: pass --yes to send")
        asked = f" at {local(send_at)}" if send_at else ""
        click.confirm(f"Send to {plural(count, 'recipient')}{asked}?", abort=True)
    if far:
        assert send_at is not None
        kept = dispatching.keep(room, prepared, lists, tags, skip_invalid=skip_invalid)
        echo(
            f"Scheduled for {local(kept.send_at)}: the send waits in the send log "
            "until `pressroom dispatch` (run it from cron or a timer: docs/sending.md) hands it "
            f"to the provider within 72 hours of that time. `pressroom send {release} --cancel` "
            "cancels it."
        )
        return
    with progress(count, "Sending") as advance:
        outcome = sending.deliver(prepared, on_batch=advance)
    echo(outcome_heading(prepared, config))
    console().print(outcome_table(prepared, outcome))
    if send_at is not None:
        echo(
            f"Scheduled for {local(send_at)}: {plural(outcome.accepted, 'recipient')} will "
            f"receive it then, {outcome.failed} failed. `pressroom send {release} --cancel` "
            "cancels it (up to 10 minutes before)."
        )
    else:
        echo(f"Sent: {outcome.accepted} accepted, {outcome.failed} failed.")
    for reason in dict.fromkeys(outcome.reasons):
        echo(f"  {reason}", err=True)
    if outcome.stopped:
        echo(f"Stopped: {outcome.stopped}", err=True)
    if outcome.unknown:
        echo(
            f"{plural(outcome.unknown, 'recipient')} may or may not have received it (the "
            f"connection broke after the request left). `pressroom log {release} --state "
            "unknown` lists them; check your provider's activity feed, then run again with "
            "--resend-unknown to send to them, or --skip-unknown to count them as done.",
            err=True,
        )
    if outcome.failed:
        echo("Run the same command again to retry the failed recipients.", err=True)
    if outcome.failed or outcome.unknown or outcome.stopped:
        sys.exit(1)


def refusal_ahead(room: Room, release: Release) -> list[str]:
    """What a dry run owes the writer: the real send would be refused for want of approvals."""
    from pressroom.sendlog.approval_status import NotApproved, require_approval

    try:
        require_approval(room, release)
    except NotApproved as refused:
        first, *rest = str(refused).splitlines()
        first = first.replace("; nothing was sent.", ".")
        return [f"The real send will be refused: {first}", *rest]
    return []


def rehearsal_after_real_sends(room: Room, release: Release) -> list[str]:
    """No silent switch: without SENDGRID_API_KEY a room that sends through SendGrid
    writes to the outbox; say so when the real log shows this release went out for real."""
    from pressroom.deliver.transports import OUTBOX, log_location, transport_kind
    from pressroom.render.dates import local_text
    from pressroom.sendlog import open_log

    if room.config.delivery.transport != "auto" or transport_kind(room) != "outbox":
        return []
    real = log_location(room, "sendgrid")
    if not real.exists():
        return []
    with open_log(real, read_only=True) as send_log:
        sent = [s for s in send_log.sends() if s.release == release.name]
    accepted = sum(s.states.get("accepted", 0) for s in sent)
    if not accepted:
        return []
    last = local_text(max(s.last_at for s in sent), room.config.timezone, room.config.locale)
    return [
        f"Note: SENDGRID_API_KEY is not set, so this goes to the outbox ({OUTBOX}/), a "
        f"rehearsal that reaches nobody; {release.name} was already sent for real "
        f"({accepted} accepted, last on {last}: pressroom log {release.name}). Set "
        "SENDGRID_API_KEY to send for real."
    ]

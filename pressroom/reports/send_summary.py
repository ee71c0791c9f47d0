"""What ``pressroom send`` and ``pressroom log`` print: the summary, progress, the tables.

Presentation only: the numbers come from :mod:`pressroom.deliver.send` and
:mod:`pressroom.sendlog`. Rich draws the tables; on a terminal the progress
bar is live, elsewhere (CI, a pipe) it stays silent.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from pressroom.render.dates import local_text, short_local_text
from pressroom.render.wording import is_correction
from pressroom.terminal import plural

if TYPE_CHECKING:
    from collections.abc import Callable

    from pressroom.deliver.send import Outcome, Prepared
    from pressroom.model.room import RoomConfig
    from pressroom.sendlog import Delivery, Pending, Schedule


def console() -> Console:
    """Standard output (:func:`pressroom.terminal.console`: text from outside made inert)."""
    from pressroom.terminal import console as inert

    return inert()


def sender_line(prepared: Prepared) -> str:
    """The From address as recipients see it: ``Name <address>``."""
    from email.headerregistry import Address

    content = prepared.content
    return str(Address(content.sender_name or "", addr_spec=content.sender))


def summary(prepared: Prepared, room: RoomConfig) -> list[str]:
    """The lines shown before the confirmation question; times in the room's zone."""
    content, release = prepared.content, prepared.release
    from pressroom.site.pages import byte_size

    files = ", ".join(
        f"{a.filename} ({byte_size(len(a.data))}{', inline' if a.content_id else ''})"
        for a in content.attachments
    )  # a 300-byte card is 1 KB, not 0 KB; the logo shows in the email, it is no file
    status: str = release.status
    if release.status == "embargoed" and release.embargo is not None:
        status += f" until {local_text(release.embargo.at, room.timezone, room.locale)}"
    lines = [
        f"Release:      {release.source}",
        f"From:         {sender_line(prepared)}",
        f"Subject:      {content.subject}",
        f"Status:       {status}" + (" (a correction)" if prepared.correction else ""),
        f"Attachments:  {files or 'none'}",
        f"Transport:    {prepared.transport.name}",
    ]
    if prepared.send_at is not None:
        lines.append(f"Deliver at:   {local_text(prepared.send_at, room.timezone, room.locale)}")
    plan = prepared.plan
    if plan is None:
        lines.append(f"Proof to:     {', '.join(prepared.tests)} (marked [TEST], not logged)")
        return lines
    if prepared.lists:
        lines.append("Lists:        " + ", ".join(f"{n} ({c})" for n, c in prepared.lists.items()))
    held = {
        "held": " (held: --resend-unknown or --skip-unknown)",
        "resend": " (sent again)",
        "skip": " (marked done)",
    }[plan.unknown_action]
    lines.append(
        f"Recipients:   {plan.to_send} to send, {plan.already_sent} already sent, "
        f"{plan.suppressed} suppressed, {prepared.invalid} invalid skipped, "
        f"{plan.unknown} unknown{held if plan.unknown else ''}"
    )
    if len(prepared.contents) > 1 or prepared.stale:
        lines.append("Languages:    " + language_counts(prepared))
    for tag, changed in prepared.stale.items():
        what = (
            "records no translates: key"
            if changed is None
            else "changed since: " + ", ".join(changed)
        )
        lines.append(
            f"Stale:        the {tag} translation ({what}); send refuses it unless --allow-stale"
        )
    if plan.in_progress:
        lines.append(
            f"Elsewhere:    {plural(plan.in_progress, 'recipient')} being sent right now by "
            "another pressroom sending from the same log; left to it"
        )
    if plan.earlier:
        lines.append("Changed:      " + earlier_version(prepared))
    return lines


def language_counts(prepared: Prepared) -> str:
    """``3 en-US (original), 2 de``: how many get each language, every language shown."""
    assert prepared.plan is not None
    counts = prepared.plan.languages
    original = next(iter(prepared.contents), "")
    return ", ".join(
        f"{counts.get(tag, 0) + (counts.get('', 0) if tag == original else 0)} {tag}"
        + (" (original)" if tag == original else "")
        for tag in prepared.contents
    )


def earlier_version(prepared: Prepared) -> str:
    """How many have an earlier version of the release, and how to send them this one."""
    assert prepared.plan is not None
    release = prepared.release
    count = prepared.plan.earlier
    have = "has" if count == 1 else "have"
    command = f"`pressroom send {release.name} --correction`"
    noted = any(is_correction(u.label) for u in release.updates)
    how = (
        f"to send them this one, marked CORRECTED, run {command}"
        if noted
        else "to send them this one, marked CORRECTED, add an update labelled CORRECTION that "
        f"says what changed (updates: in {release.source}), then run {command}"
    )
    return (
        f"{plural(count, 'recipient')} {have} an earlier version of this release and "
        f"{'is' if count == 1 else 'are'} left out; {how}"
    )


def recipient_lines(prepared: Prepared) -> list[str]:
    """Who would receive it (``--dry-run``): those the plan kept (``shown``), and how
    many more."""
    if prepared.plan is None:
        return [f"Would send a proof to: {', '.join(prepared.tests)}"]
    plan = prepared.plan
    if not plan.to_send:
        return ["Would send to nobody."]
    lines = [f"Would send to {plural(plan.to_send, 'recipient')}:"]
    several = len(prepared.contents) > 1
    for person in plan.first:
        name = f"{person.name} <{person.email}>" if person.name else person.email
        where = f" ({', '.join(person.lists)})" if person.lists else ""
        language = f" [{person.language}]" if several and person.language else ""
        lines.append(f"  {name}{where}{language}")
    if plan.to_send > len(plan.first):
        more = plan.to_send - len(plan.first)
        lines.append(f"  ... and {more} more (--verbose lists them all)")
    return lines


@contextmanager
def progress(total: int, what: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr while sending; yields the per-batch callback."""
    from pressroom.terminal import console as inert

    console = inert(stderr=True)
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    with bar:
        task = bar.add_task(what, total=total)
        yield lambda count: bar.advance(task, count)


def outcome_heading(prepared: Prepared, room: RoomConfig) -> str:
    """The line above :func:`outcome_table`: sent or scheduled, and where a rehearsal went.
    (A line of its own: a table's title is folded to the table's width.)"""
    when = prepared.send_at
    title = f"Scheduled for {local_text(when, room.timezone, room.locale)}" if when else "Sent"
    if prepared.transport.name == "outbox":
        title += f" to the outbox (a rehearsal): .pressroom/outbox/{prepared.content.release}/"
    return title


def outcome_table(prepared: Prepared, outcome: Outcome) -> Table:
    """The final count, one row per way a recipient can end."""
    plan = prepared.plan
    when = prepared.send_at
    table = Table()
    table.add_column("outcome")
    table.add_column("recipients", justify="right")
    accepted = "scheduled" if when else "accepted"
    rows = [
        (accepted, outcome.accepted),
        ("failed", outcome.failed),
        ("unknown (see pressroom log)", outcome.unknown),
        ("skipped: already sent", plan.already_sent if plan else 0),
        ("skipped: earlier version", plan.earlier if plan else 0),
        ("suppressed", plan.suppressed if plan else 0),
        ("invalid rows", prepared.invalid),
    ]
    always = (accepted, "failed", "skipped: already sent", "suppressed", "invalid rows")
    for label, count in rows:
        if count or label in always:
            table.add_row(label, str(count))
    return table


def waiting_lines(waiting: Sequence[Pending], room: RoomConfig) -> list[str]:
    """Sends kept in the log for a later time (``send --at`` beyond the provider's
    window), one line each, with how to hand them over or cancel them."""
    return [
        f"{pending.release}: a send waiting for "
        f"{local_text(pending.send_at, room.timezone, room.locale)} "
        "(`pressroom dispatch` hands it over; "
        f"`pressroom send {pending.release} --cancel` cancels it)"
        for pending in waiting
    ]


def shown_state(row: Delivery) -> str:
    """A delivery's state as people read it (:attr:`Delivery.shown_state`)."""
    return row.shown_state


LOG_OPTIONAL = ("lists", "version", "language", "message id / reason")
"""What ``log RELEASE`` leaves out, in this order, to fit a narrow terminal."""


def log_table(
    release: str,
    rows: Sequence[Delivery],
    schedules: Sequence[Schedule],
    room: RoomConfig,
    title: str | None = None,
    leave_out: Collection[str] = (),
) -> Table:
    """``pressroom log``: who received which version, when (in the room's zone), with
    which message id (without the columns *leave_out* names: :data:`LOG_OPTIONAL`)."""
    from pressroom.reports.fitting import column

    zone, locale = room.timezone, room.locale
    table = Table(title=title or f"Send log of {release}", title_justify="left")
    languages = any(row.language for row in rows)  # a column once the log records them
    names = ("recipient", "lists", "version", "language", "state", "at", "message id / reason")
    shown = [n for n in names if n not in leave_out and (languages or n != "language")]
    for name in shown:
        important = name in ("recipient", "state", "at")
        column(table, name, important=important, overflow="fold")
    for row in rows:
        state = shown_state(row)
        values = {
            "recipient": row.email,
            "lists": ", ".join(row.lists),
            "version": row.version[:8],
            "language": row.language or "-",
            "state": state,
            "at": short_local_text(row.scheduled_for or row.at, zone, locale),
            "message id / reason": row.message_id
            or ("" if state == "cancelled" else row.reason)
            or "",
        }
        table.add_row(*(values[name] for name in shown))
    for schedule in schedules:
        table.caption = (table.caption or "") + (
            f"schedule {schedule.schedule_id}: {schedule.state}, "
            f"for {local_text(schedule.send_at, zone, locale)}\n"
        )
    return table

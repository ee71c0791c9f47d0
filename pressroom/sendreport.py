"""What ``pressroom send`` and ``pressroom log`` print: the summary, progress, the tables.

Presentation only: the numbers come from :mod:`pressroom.deliver.send` and
:mod:`pressroom.sendlog`. Rich draws the tables; on a terminal the progress
bar is live, elsewhere (CI, a pipe) it stays silent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

if TYPE_CHECKING:
    from collections.abc import Callable

    from pressroom.deliver.send import Outcome, Prepared
    from pressroom.sendlog import Delivery, Schedule


def console() -> Console:
    """Standard output; wide enough off a terminal that ids and addresses are never folded."""
    out = Console(highlight=False)
    if not out.is_terminal:
        out.width = 200
    return out


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def summary(prepared: Prepared) -> list[str]:
    """The lines shown before the confirmation question."""
    content, release = prepared.content, prepared.release
    files = ", ".join(f"{a.filename} ({len(a.data) / 1024:.0f} KB)" for a in content.attachments)
    status: str = release.status
    if release.status == "embargoed" and release.embargo is not None:
        status += f" until {release.embargo.at.isoformat(sep=' ', timespec='minutes')}"
    lines = [
        f"Release:      {release.source}",
        f"Subject:      {content.subject}",
        f"Status:       {status}" + (" (a correction)" if prepared.correction else ""),
        f"Attachments:  {files or 'none'}",
        f"Transport:    {prepared.transport.name}",
    ]
    if prepared.send_at is not None:
        lines.append(f"Deliver at:   {prepared.send_at.isoformat(sep=' ', timespec='minutes')}")
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
        f"Recipients:   {len(plan.to_send)} to send, {len(plan.already_sent)} already sent, "
        f"{len(plan.suppressed)} suppressed, {prepared.invalid} invalid skipped, "
        f"{len(plan.unknown)} unknown{held if plan.unknown else ''}"
    )
    if plan.in_progress:
        lines.append(
            f"Elsewhere:    {plural(len(plan.in_progress), 'recipient')} being sent right now by "
            "another pressroom sending from the same log; left to it"
        )
    if plan.earlier:
        lines.append(
            f"Changed:      {plural(len(plan.earlier), 'recipient')} received an earlier "
            "version of this release and are left out; --correction sends them this "
            "version marked CORRECTED"
        )
    return lines


@contextmanager
def progress(total: int, what: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr while sending; yields the per-batch callback."""
    console = Console(stderr=True)
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


def outcome_table(prepared: Prepared, outcome: Outcome) -> Table:
    """The final count, one row per way a recipient can end."""
    plan = prepared.plan
    title = "Scheduled" if prepared.send_at else "Sent"
    if prepared.transport.name == "outbox":
        title += f" to the outbox (a rehearsal): .pressroom/outbox/{prepared.content.release}/"
    table = Table(title=title, title_justify="left")
    table.add_column("outcome")
    table.add_column("recipients", justify="right")
    rows = [
        ("accepted", outcome.accepted),
        ("failed", outcome.failed),
        ("unknown (see pressroom log)", outcome.unknown),
        ("skipped: already sent", len(plan.already_sent) if plan else 0),
        ("skipped: earlier version", len(plan.earlier) if plan else 0),
        ("suppressed", len(plan.suppressed) if plan else 0),
        ("invalid rows", prepared.invalid),
    ]
    always = ("accepted", "failed", "skipped: already sent", "suppressed", "invalid rows")
    for label, count in rows:
        if count or label in always:
            table.add_row(label, str(count))
    return table


def log_table(
    release: str,
    rows: Sequence[Delivery],
    schedules: Sequence[Schedule],
    title: str | None = None,
) -> Table:
    """``pressroom log``: who received which version, when, with which message id."""
    table = Table(title=title or f"Send log of {release}", title_justify="left")
    for column in ("recipient", "lists", "version", "state", "at", "message id / reason"):
        table.add_column(column, no_wrap=column in ("recipient", "at", "message id / reason"))
    for row in rows:
        table.add_row(
            row.email,
            ", ".join(row.lists),
            row.version[:8],
            row.state,
            row.at.replace("T", " "),
            row.message_id or row.reason or "",
        )
    for schedule in schedules:
        table.caption = (table.caption or "") + (
            f"schedule {schedule.schedule_id}: {schedule.state}, "
            f"for {schedule.send_at.replace('T', ' ')}\n"
        )
    return table

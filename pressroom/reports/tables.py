"""What ``pressroom report`` and ``pressroom log`` print: Rich tables, times in the room's zone.

Presentation only; the numbers come from :mod:`.outcomes`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from rich.table import Table

from pressroom.render.dates import short_local_text
from pressroom.reports.fitting import column
from pressroom.reports.outcomes import COUNTS, HistoryRow, ReleaseReport
from pressroom.sendlog.records import SendSummary

LABELS = {
    "recipients": "recipients",
    "delivered": "delivered",
    "bounced": "bounced",
    "opened": "opened",
    "clicked": "clicked",
    "spam_reports": "spam reports",
    "unsubscribed": "unsubscribed",
}
SHARE_OF = {
    "delivered": "recipients",
    "bounced": "recipients",
    "opened": "delivered",
    "clicked": "delivered",
    "spam_reports": "delivered",
    "unsubscribed": "delivered",
}


def local_time(stamp: str | datetime | None, zone: str, locale: str) -> str:
    """``Nov 23, 2026, 7:00 AM EST``: a time from the log in the room's zone and
    locale, written as ``pressroom log RELEASE`` and ``approvals`` write it."""
    if stamp is None:
        return ""
    try:
        at = stamp if isinstance(stamp, datetime) else datetime.fromisoformat(stamp)
    except ValueError:
        return str(stamp)
    return short_local_text(at, zone, locale)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def report_heading(report: ReleaseReport, zone: str, locale: str) -> str:
    """The line above :func:`report_table` (a line of its own: a table's title is
    folded to the table's width, and this one is wider than the table)."""
    versions = len(report.versions)
    first = local_time(report.first_sent, zone, locale)
    return (
        f"Report of {report.release}: first sent {first}"
        + (f", {versions} versions" if versions > 1 else "")
        + (f"; {scheduled_line(report, zone, locale)}" if report.scheduled else "")
    )


def scheduled_line(report: ReleaseReport, zone: str, locale: str) -> str:
    """``8 recipients scheduled for ...``: those the provider holds the release for
    (``send --at``), counted from that time."""
    people = f"{report.scheduled} recipient{'s' if report.scheduled != 1 else ''}"
    when = local_time(report.scheduled_for, zone, locale)
    return f"{people} scheduled for {when} (counted from then; nothing reaches them before)"


def report_table(report: ReleaseReport) -> Table:
    """The counts of one release, each with its share of what it is a share of."""
    counts = report.counts()
    table = Table()
    table.add_column("outcome")
    table.add_column("people", justify="right")
    table.add_column("share", justify="right")
    for key in COUNTS:
        base = SHARE_OF.get(key)
        share = f"{percent(counts[key], counts[base])} of {base}" if base else ""
        table.add_row(LABELS[key], str(counts[key]), share)
    return table


def report_notes(report: ReleaseReport) -> list[str]:
    """What the table's numbers hold, in words."""
    counts = report.counts()
    notes = []
    if not any(person.kinds for person in report.recipients.values()):
        notes.append(
            "No delivery events from SendGrid for this release yet: run `pressroom events "
            "serve` (or `pressroom events import FILE`), see docs/sending.md. Through SMTP "
            "there are none."
        )
    machine = counts["opened_by_machine_only"]
    if machine:
        notes.append(
            f"Opened only by a machine: {machine} of the {counts['opened']} (Apple Mail Privacy "
            "Protection and the like open every message they download)."
        )
    extra = [(k, counts[k]) for k in ("hard_bounced", "blocked", "deferred", "dropped")]
    if any(n for _k, n in extra):
        notes.append("Of which: " + ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in extra) + ".")
    if report.unmatched:
        notes.append(
            f"{report.unmatched} events concern addresses this release was not sent to "
            "(proofs sent with --test) and are not counted."
        )
    return notes


COUNTS_OPTIONAL = ("spam reports", "unsubscribed", "bounced", "clicked")
"""The counts a narrow terminal leaves out first (recipients, delivered and opened stay)."""


def groups_table(report: ReleaseReport, what: str, leave_out: Collection[str] = ()) -> Table:
    """The counts per media list or per outlet."""
    table = Table(title=f"Per {what}", title_justify="left")
    column(table, what, important=True)
    keys = [key for key in COUNTS if LABELS[key] not in leave_out]
    for key in keys:
        table.add_column(LABELS[key], justify="right")
    for name, counts in report.by(what).items():
        table.add_row(name, *(str(counts[key]) for key in keys))
    return table


def links_table(report: ReleaseReport) -> Table:
    table = Table(title="Links followed", title_justify="left")
    column(table, "link", important=True)
    table.add_column("people", justify="right")
    for url, count in report.links:
        table.add_row(url, str(count))
    return table


COMPARE_OPTIONAL = (*COUNTS_OPTIONAL, "delivered %", "opened %")


def compare_table(
    reports: Sequence[ReleaseReport], zone: str, locale: str, leave_out: Collection[str] = ()
) -> Table:
    """``pressroom report``: recent releases side by side, newest first."""
    table = Table(title="Recent releases", title_justify="left")
    column(table, "release", important=True)
    column(table, "first sent", important=True)
    keys = [key for key in COUNTS if LABELS[key] not in leave_out]
    rates = [name for name in ("delivered %", "opened %") if name not in leave_out]
    for key in keys:
        table.add_column(LABELS[key], justify="right")
    for name in rates:
        table.add_column(name, justify="right")
    for report in reports:
        counts = report.counts()
        first = local_time(report.first_sent, zone, locale)
        if report.first_sent is None and report.scheduled_for is not None:
            first = "scheduled: " + local_time(report.scheduled_for, zone, locale)
        shares = {
            "delivered %": percent(counts["delivered"], counts["recipients"]),
            "opened %": percent(counts["opened"], counts["delivered"]),
        }
        table.add_row(
            report.release,
            first,
            *(str(counts[key]) for key in keys),
            *(shares[name] for name in rates),
        )
    return table


SENDS_OPTIONAL = ("versions", "first planned")


def sends_table(
    sends: Sequence[SendSummary],
    zone: str,
    locale: str,
    title: str,
    leave_out: Collection[str] = (),
) -> Table:
    """``pressroom log`` without a release: every send in one log."""
    table = Table(title=title, title_justify="left")
    names = ("release", "first planned", "last change", "versions", "recipients by state")
    shown = [name for name in names if name not in leave_out]
    for name in shown:
        column(table, name, important=name in ("release", "last change", "recipients by state"))
    for send in sends:
        values = {
            "release": send.release,
            "first planned": local_time(send.first_at, zone, locale),
            "last change": local_time(send.last_at, zone, locale),
            "versions": str(send.versions),
            "recipients by state": ", ".join(
                f"{n} {state}" for state, n in sorted(send.states.items())
            ),
        }
        table.add_row(*(values[name] for name in shown))
    return table


HISTORY_OPTIONAL = ("links", "events", "version")


def history_table(
    address: str,
    rows: Sequence[HistoryRow],
    zone: str,
    locale: str,
    title: str,
    leave_out: Collection[str] = (),
) -> Table:
    """``pressroom log --to``: every release sent to one person, and what happened."""
    table = Table(title=f"{title} {address}", title_justify="left")
    names = ("release", "version", "state", "at", "outcome", "events", "links")
    shown = [name for name in names if name not in leave_out]
    for name in shown:
        column(table, name, important=name in ("release", "state", "at", "outcome"))
    for row in rows:
        values = {
            "release": row.release,
            "version": row.version[:8],
            "state": row.state,
            "at": local_time(row.at, zone, locale),
            "outcome": row.outcome,
            "events": ", ".join(row.kinds),
            "links": " ".join(row.links),
        }
        table.add_row(*(values[name] for name in shown))
    return table

"""What the send logs say of each release, for the preview: read-only, never created.

``pressroom send`` keeps two logs: ``.pressroom/pressroom.db`` (or the
PostgreSQL database of pressroom.yaml's ``database:``) for real sends and
``.pressroom/outbox.db`` for outbox rehearsals (the preview never imports
the delivery code; tests/test_serve_pages.py checks the paths agree). The
preview opens them read-only, only when they exist, and shows how many
recipients accepted the latest version of each release.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pressroom.errors import PressroomError
from pressroom.render.dates import short_local_text
from pressroom.reports.outcomes import ReleaseReport
from pressroom.reports.read import report_of
from pressroom.sendlog import Location, open_log, room_log
from pressroom.sendlog.location import OUTBOX_LOG, SEND_LOG

SEND_LOGS = (("sent", SEND_LOG), ("outbox", OUTBOX_LOG))
"""Where ``pressroom send`` keeps its logs."""


@dataclass(frozen=True)
class Sent:
    """What one send log says about a release's latest version."""

    kind: str  # "sent" (real sends), "outbox" (rehearsals) or "waiting" (send --at, later)
    accepted: int
    failed: int
    unknown: int
    versions: int
    when: str
    version: str = ""
    """The latest version in the log: the release changed since if the current one differs."""
    scheduled: int = 0
    """Recipients the provider holds the latest version for until a time still ahead
    (``send --at`` within its window): not sent to yet."""
    scheduled_for: str = ""
    cancelled: int = 0
    """Recipients of a scheduled send called off (``send --cancel``): never sent to."""

    @property
    def label(self) -> str:
        if self.kind == "waiting":
            return f"Scheduled for {self.when}"
        held = f"{self.scheduled} recipient{'s' if self.scheduled != 1 else ''}"
        if self.scheduled and not self.accepted:
            return f"Scheduled for {self.scheduled_for} to {held}"
        if self.cancelled and not self.accepted:
            return f"Scheduled send cancelled ({self.cancelled} recipients)"
        people = f"{self.accepted} recipient{'s' if self.accepted != 1 else ''}"
        label = f"Sent to {people}" if self.kind == "sent" else f"In the outbox for {people}"
        return label + (f" ({held} scheduled for {self.scheduled_for})" if self.scheduled else "")


def _logs(root: Path, database: str | None) -> Iterator[tuple[str, Location]]:
    yield "sent", room_log(root, database)
    yield "outbox", room_log(root, outbox=True)


def read_send_logs(
    root: Path,
    names: list[str],
    zone: str = "UTC",
    database: str | None = None,
    locale: str = "en_US",
) -> dict[str, list[Sent]]:
    """What each existing send log says of the releases *names*; read-only, never created.
    A send kept for a later time (``send --at`` beyond the provider's window) is a
    ``waiting`` entry with that time.

    *database*: pressroom.yaml's ``database:``, when the real log is in PostgreSQL.
    """
    found: dict[str, list[Sent]] = {}
    for kind, where in _logs(root, database):
        if not where.exists():
            continue
        try:
            with open_log(where, read_only=True) as log:
                for name in names:
                    for waiting in log.pending(name):
                        found.setdefault(name, []).append(
                            Sent(
                                "waiting",
                                0,
                                0,
                                0,
                                0,
                                when=_when(waiting.send_at, zone, locale),
                                version=waiting.version,
                            )  # fmt: skip
                        )
                    versions = log.previous_versions(name)
                    if not versions:
                        continue
                    latest = versions[-1]
                    rows = [d for d in log.report(name) if d.version == latest.version]
                    states = [d.shown_state for d in rows]
                    held = min((d.scheduled_for for d in rows if d.scheduled_for), default="")
                    found.setdefault(name, []).append(
                        Sent(
                            kind,
                            accepted=states.count("accepted") + states.count("skipped"),
                            failed=states.count("failed"),
                            unknown=states.count("unknown") + states.count("in_flight"),
                            versions=len(versions),
                            when=_when(latest.first_planned_at, zone, locale),
                            version=latest.version,
                            scheduled=states.count("scheduled"),
                            cancelled=states.count("cancelled"),
                            scheduled_for=_when(held, zone, locale) if held else "",
                        )
                    )
        except (PressroomError, sqlite3.Error):
            continue  # a log being created or of another pressroom: no status rather than none
    return found


def read_report(
    root: Path,
    name: str,
    database: str | None = None,
    outlets: Mapping[str, str] | None = None,
) -> ReleaseReport | None:
    """The report of *name* from the real send log (None: nothing sent for real yet)."""
    where = room_log(root, database)
    if not where.exists():
        return None
    try:
        with open_log(where, read_only=True) as log:
            return report_of(log, name, outlets)
    except (PressroomError, sqlite3.Error):
        return None


def _when(stamp: str, zone: str, locale: str) -> str:
    """``Nov 23, 2026, 7:00 AM EST``: a send log's time in the room's zone and locale."""
    try:
        at = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return short_local_text(at, zone, locale)

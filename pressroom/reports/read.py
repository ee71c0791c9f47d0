"""Reports read from an open send log (either backend)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pressroom.reports.outcomes import RECEIVED, ReleaseReport, release_report

if TYPE_CHECKING:
    from pressroom.model.room import Room
    from pressroom.sendlog import SendLog

RECENT = 10
"""Releases ``pressroom report`` compares when none is named."""


def report_of(
    log: SendLog, release: str, outlets: Mapping[str, str] | None = None
) -> ReleaseReport:
    """The report of *release*: its rows and the events matched to it (*outlets*: see
    :func:`outlets_of`)."""
    return release_report(release, log.report(release), log.events_of(release), outlets)


def recent_reports(log: SendLog, count: int = RECENT) -> list[ReleaseReport]:
    """The reports of the *count* releases most recently sent (or scheduled) to anyone,
    newest first."""
    sent = [
        s for s in log.sends() if any(s.states.get(state) for state in (*RECEIVED, "scheduled"))
    ]
    return [report_of(log, s.release) for s in sent[:count]]


def outlets_of(room: Room) -> dict[str, str]:
    """Each address key's outlet, as the room's media lists name it (unreadable rows left out)."""
    from pressroom.errors import PressroomError
    from pressroom.load.contacts import load_lists

    try:
        lists = load_lists(room)
    except PressroomError:
        return {}
    return {r.key: r.outlet for m in lists for r in m.recipients if r.outlet}

"""Reports read from an open send log (either backend)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pressroom.reports.outcomes import RECEIVED, ReleaseReport, release_report

if TYPE_CHECKING:
    from pressroom.sendlog import SendLog

RECENT = 10
"""Releases ``pressroom report`` compares when none is named."""


def report_of(log: SendLog, release: str) -> ReleaseReport:
    """The report of *release*: its rows and the events matched to it."""
    return release_report(release, log.report(release), log.events_of(release))


def recent_reports(log: SendLog, count: int = RECENT) -> list[ReleaseReport]:
    """The reports of the *count* releases most recently sent to anyone, newest first."""
    sent = [s for s in log.sends() if any(s.states.get(state) for state in RECEIVED)]
    return [report_of(log, s.release) for s in sent[:count]]

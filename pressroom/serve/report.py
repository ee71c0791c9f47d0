"""The preview's report page of a release: numbers, charts, and the same numbers as tables.

Read-only, from the real send log (never the outbox's rehearsals). The charts
are SVG drawn on the server by :mod:`pressroom.reports.charts`; each is shown
as an image with a text alternative, next to a table of its numbers, so that
nothing depends on seeing the chart or telling its colours apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pressroom.load.room import load_release, load_room
from pressroom.model.room import Room
from pressroom.reports.outcomes import COUNTS, ReleaseReport
from pressroom.reports.read import outlets_of
from pressroom.reports.tables import LABELS, SHARE_OF, local_time, percent
from pressroom.serve.pages import Preview
from pressroom.serve.sent import read_report

CHARTS = ("timeline", "lists", "outlets")


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    share: str


@dataclass(frozen=True)
class ReportPage:
    org: str
    name: str
    report: ReleaseReport | None
    first_sent: str
    rows: list[Row]
    notes: list[str]
    headline: str = ""
    """The release's headline (the page's title); empty when its file does not load."""

    @property
    def title(self) -> str:
        return self.headline or self.name

    @property
    def lists(self) -> dict[str, dict[str, int]]:
        return self.report.by("list") if self.report else {}

    @property
    def outlets(self) -> dict[str, dict[str, int]]:
        return self.report.by("outlet") if self.report else {}

    @property
    def labels(self) -> dict[str, str]:
        return LABELS

    @property
    def keys(self) -> tuple[str, ...]:
        return COUNTS


def report_page(preview: Preview, name: str) -> ReportPage:
    """The page of release *name* (:class:`~.pages.NoSuchRelease` if it has no file)."""
    from pressroom.reports.tables import report_notes

    room = load_room(preview.root)
    path = preview.release_path(room, name)  # the one check of a name from the address bar
    headline = _headline(room, path)
    found = read_report(preview.root, name, room.config.database, outlets_of(room))
    if found is None or not found.recipients:
        return ReportPage(room.config.org.name, name, None, "", [], [], headline)
    counts = found.counts()
    rows = []
    for key in COUNTS:
        base = SHARE_OF.get(key)
        share = f"{percent(counts[key], counts[base])} of {base}" if base else ""
        rows.append(Row(LABELS[key], counts[key], share))
    return ReportPage(
        room.config.org.name,
        name,
        found,
        local_time(found.first_sent, room.config.timezone, room.config.locale),
        rows,
        report_notes(found),
        headline,
    )


def _headline(room: Room, path: Path) -> str:
    """The release's headline as plain text, or "" when the file does not load now
    (the report is of what was sent, whatever the file says today)."""
    from pressroom.errors import PressroomError

    try:
        return " ".join(load_release(room, path).headline.split())
    except (PressroomError, OSError, ValueError):
        return ""


def chart_svg(preview: Preview, name: str, which: str) -> str:
    """One chart of the release's report, as SVG."""
    from pressroom.reports import charts

    page = report_page(preview, name)
    report = page.report
    if which == "timeline":
        return charts.timeline_svg(report.timeline if report else [])
    groups = page.lists if which == "lists" else page.outlets
    return charts.outcomes_svg(groups, "list" if which == "lists" else "outlet")

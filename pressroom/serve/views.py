"""The plain records the preview's page templates are given (made by
:class:`~pressroom.serve.pages.Preview`): the index, a release's page, its
problems with the lines around them, its recipients counted per list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from pressroom.errors import Problem
from pressroom.serve.sent import Sent

if TYPE_CHECKING:
    from pressroom.render.email import Email


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str
    marked: bool


@dataclass(frozen=True)
class ProblemView:
    """A problem as the page shows it, with the lines of the file around it."""

    problem: Problem
    excerpt: list[SourceLine] = field(default_factory=list)

    @property
    def location(self) -> str:
        return self.problem.location()

    @property
    def column(self) -> int | None:
        return self.problem.column


@dataclass(frozen=True)
class Entry:
    """One release as the index lists it (also the head of its own page)."""

    name: str
    source: str
    headline: str
    type_label: str
    status: str  # immediate | embargoed | breaking | unreadable
    day: date | None
    date_text: str | None
    embargo_at: datetime | None = None
    embargo_text: str | None = None
    embargo_passed: bool = False
    draft: bool = False
    errors: int = 0
    warnings: int = 0
    sent: list[Sent] = field(default_factory=list)
    version: str = ""
    """The release as it is now (see :mod:`pressroom.model.version`)."""

    @property
    def changed_since_sent(self) -> bool:
        """Sent for real, and edited since: a correction may be due."""
        if not self.version:  # unreadable: what it says now is not known
            return False
        return any(s.kind == "sent" and s.version != self.version for s in self.sent)

    @property
    def readable(self) -> bool:
        return self.status != "unreadable"

    @property
    def sort_key(self) -> tuple[date, str]:
        return (self.day or date.min, self.name)


@dataclass(frozen=True)
class ListCount:
    name: str
    source: str
    recipients: int
    invalid: int


@dataclass(frozen=True)
class Recipients:
    lists: list[ListCount]
    unique: int
    problems: list[ProblemView]


@dataclass(frozen=True)
class IndexPage:
    org: str
    now: datetime
    entries: list[Entry]
    room_problems: list[ProblemView]

    @property
    def with_errors(self) -> int:
        return sum(1 for e in self.entries if e.errors or not e.readable)

    @property
    def drafts(self) -> int:
        return sum(1 for e in self.entries if e.draft)


@dataclass(frozen=True)
class ApprovalView:
    """Where the release stands when the room asks for approvals."""

    required: int
    have: int
    approved: bool
    rows: list[tuple[str, str, bool]]
    """(approver, when, of this version), oldest first."""
    changed: list[str] = field(default_factory=list)
    """What changed since the last approval of something else, file by file."""
    changed_since: str = ""
    """Whose approval that was."""


@dataclass(frozen=True)
class LanguageView:
    """One language of a release in the preview's switch, with its file's findings."""

    tag: str
    label: str  # the language's own name: "Deutsch"
    href: str
    current: bool
    source: str  # the file: releases/NAME.yaml or releases/NAME.LANG.yaml
    errors: int
    warnings: int


@dataclass(frozen=True)
class ReleasePage:
    org: str
    now: datetime
    entry: Entry
    problems: list[ProblemView]
    """The check's findings; or, for a release that cannot be read, why."""
    email: Email | None = None
    email_error: str = ""
    sender: str = ""
    reply_to: str = ""
    attachments: list[str] = field(default_factory=list)
    recipients: Recipients | None = None
    pdf_version: str = ""
    approval: ApprovalView | None = None
    languages: list[LanguageView] = field(default_factory=list)
    """The release and its translations (empty for one language): the switch."""
    language: str = ""
    """The language shown (?lang=): "" for the original."""

    @property
    def errors(self) -> list[ProblemView]:
        return [p for p in self.problems if p.problem.severity == "error"]

    @property
    def warnings(self) -> list[ProblemView]:
        return [p for p in self.problems if p.problem.severity == "warning"]

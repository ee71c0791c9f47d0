"""What the send log hands out: plain records, no database in sight."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pressroom.model.contacts import Recipient

DONE = ("accepted", "skipped")
"""States that count as received: never planned again for that version."""
SENDABLE = ("planned", "failed", "unknown")
"""States :meth:`~pressroom.sendlog.SendLog.start_batch` accepts (``unknown`` only via
``resend_unknown``)."""
SuppressionReason = Literal["unsubscribe", "bounce", "manual", "spamreport", "invalid"]
SUPPRESSION_REASONS: tuple[SuppressionReason, ...] = (
    "unsubscribe",
    "bounce",
    "manual",
    "spamreport",
    "invalid",
)
"""``spamreport`` and ``invalid`` come from SendGrid's events (``pressroom events``)."""


CANCELLED = "scheduled send cancelled"
"""The reason of a delivery whose scheduled send was cancelled (state ``failed``:
it was never delivered, so the next send plans it again)."""


@dataclass(frozen=True)
class Delivery:
    """One row of the log: what happened to one address for one version."""

    email: str
    lists: list[str]
    state: str
    version: str
    message_id: str | None
    at: str
    reason: str | None
    batch_id: int | None

    @property
    def key(self) -> str:
        return self.email.lower()

    @property
    def shown_state(self) -> str:
        """The state as people read it: a cancelled scheduled send is ``cancelled``
        (the log keeps it ``failed``, so that the next send plans it again)."""
        return "cancelled" if self.state == "failed" and self.reason == CANCELLED else self.state

    @property
    def forgotten(self) -> bool:
        """The address was erased on request (``contacts forget``): only a pseudonym is left."""
        return self.email.startswith("forgotten:")


@dataclass
class Plan:
    """Who to send to now, and why everyone else is left out."""

    release: str
    version: str
    to_send: list[Recipient] = field(default_factory=list)
    already_sent: list[Recipient] = field(default_factory=list)
    suppressed: list[Recipient] = field(default_factory=list)
    unknown: list[Recipient] = field(default_factory=list)
    """Outcome unknown from an earlier run: always listed here, whatever was decided."""
    unknown_action: Literal["held", "resend", "skip"] = "held"
    earlier: list[Recipient] = field(default_factory=list)
    """Received an earlier version of the release: left out unless sending a correction."""
    in_progress: list[Recipient] = field(default_factory=list)
    """Being sent right now by another sender (PostgreSQL): theirs, not ours."""


@dataclass(frozen=True)
class VersionSummary:
    version: str
    subject: str
    artefacts: dict[str, str]
    first_planned_at: str
    accepted: int


@dataclass(frozen=True)
class Schedule:
    """A send held by the provider until *send_at* (``send --at``)."""

    schedule_id: str
    version: str
    send_at: str
    transport: str
    state: str  # scheduled | cancelled
    accepted: int


@dataclass(frozen=True)
class Recorded:
    """What :meth:`~pressroom.sendlog.SendLog.record_events` made of a batch of events."""

    stored: int
    """New events, now in the log."""
    duplicates: int
    """Events the log already had (SendGrid posts some twice, and retries)."""
    suppressed: int
    """Addresses newly suppressed because of these events."""
    unmatched: int
    """New events the log has no delivery for (a ``--test`` proof, another tool's mail)."""


@dataclass(frozen=True)
class SendSummary:
    """One release in the log, for ``pressroom log`` without a release."""

    release: str
    versions: int
    first_at: str
    last_at: str
    states: dict[str, int]


@dataclass(frozen=True)
class Approval:
    """Someone's approval of one version of a release (``pressroom approve``)."""

    release: str
    version: str
    approver: str
    at: str


@dataclass(frozen=True)
class Pending:
    """A send kept in the log until ``pressroom dispatch`` hands it over (``send --at``)."""

    pending_id: str
    release: str
    version: str
    send_at: str
    lists: list[str]
    tags: list[str]
    correction: bool
    skip_invalid: bool
    state: str  # pending | dispatched | cancelled | held
    reason: str | None
    created_at: str

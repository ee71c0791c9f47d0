"""What the send log hands out: plain records, no database in sight."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pressroom.clock import now
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


def stamp() -> str:
    """Now, as the log writes times: ISO 8601 to the second, with the offset."""
    return now().isoformat(timespec="seconds")


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
    scheduled_for: str | None = None
    """The time the provider holds this accepted message until, while it is still
    ahead (``send --at``; :mod:`pressroom.sendlog.scheduled`); else None."""
    language: str = ""
    """The language of the version this address gets (a translation's tag, or the
    original's); "" on rows written before the log recorded languages."""

    @property
    def key(self) -> str:
        return self.email.lower()

    @property
    def shown_state(self) -> str:
        """The state as people read it: a cancelled scheduled send is ``cancelled``
        (the log keeps it ``failed``, so that the next send plans it again); a
        message the provider holds for a time still ahead is ``scheduled``."""
        if self.state == "failed" and self.reason == CANCELLED:
            return "cancelled"
        return "scheduled" if self.scheduled_for is not None else self.state

    @property
    def forgotten(self) -> bool:
        """The address was erased on request (``contacts forget``): only a pseudonym is left."""
        return self.email.startswith("forgotten:")


@dataclass
class Plan:
    """Who to send to now, and why everyone else is left out: counts, not people.

    The plan streams the lists' rows into the log and keeps none of them, so a
    list of 100,000 costs no more memory than a list of 100 (see
    :meth:`~pressroom.sendlog.SendLog.plan`); :attr:`first` holds the few a
    dry run shows.
    """

    release: str
    version: str
    to_send: int = 0
    """Planned now (with ``resend_unknown``, the unknown outcomes sent again included)."""
    already_sent: int = 0
    suppressed: int = 0
    unknown: int = 0
    """Outcome unknown from an earlier run: always counted here, whatever was decided."""
    unknown_action: Literal["held", "resend", "skip"] = "held"
    earlier: int = 0
    """Received an earlier version of the release: left out unless sending a correction."""
    in_progress: int = 0
    """Being sent right now by another sender (PostgreSQL): theirs, not ours."""
    lists: dict[str, int] = field(default_factory=dict)
    """Each list's addresses (after ``tags``), in the order the lists were read."""
    first: list[Recipient] = field(default_factory=list)
    """The first recipients to send to, in list order (as many as the plan was asked to keep)."""
    resend: list[str] = field(default_factory=list)
    """The address keys of the unknown outcomes to send again (``resend_unknown``)."""
    languages: dict[str, int] = field(default_factory=dict)
    """How many of :attr:`to_send` get each language (a translation's tag, or the
    original's), in the order first met."""


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
    outside: int = 0
    """New events about addresses pressroom never mailed (a shared SendGrid account's
    other mail): stored, suppressing nobody unless the room says so."""


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
    manifest: dict[str, str] | None = None
    """What the approval covered (file -> hash); None when approved before pressroom recorded it."""
    text: str | None = None
    """The text rendering the approver read, for the next approver's difference."""


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


# -- what SendGrid said happened to a message (made by :mod:`pressroom.events.parse`) --

DROPPED_BAD_ADDRESS = {
    "bounced address": "bounce",
    "invalid": "invalid",
    "spam reporting address": "spamreport",
    "unsubscribed address": "unsubscribe",
}
"""``dropped`` reasons that say the address must not be mailed again, and the suppression reason."""


@dataclass(frozen=True)
class Event:
    """One thing that happened to one message, as pressroom keeps it."""

    event_id: str
    kind: str
    email: str
    at: datetime
    release: str | None = None
    version: str | None = None
    recipient_id: str | None = None
    message_id: str | None = None
    """The ``X-Message-Id`` part of ``sg_message_id``: the batch's id in the send log."""
    url: str | None = None
    reason: str | None = None
    machine_open: bool = False
    """An open by a machine (Apple Mail Privacy Protection and the like), not a person."""
    proof: bool = False
    """About a proof (``send --test``): it suppresses nobody and counts for no release."""
    raw: str = ""
    """For a kind pressroom does not read, the event as SendGrid sent it (compact JSON,
    without :data:`pressroom.events.parse.NOT_KEPT`), so that nothing pressroom could
    use later is lost; empty for the kinds it reads, whose fields it keeps."""

    @property
    def key(self) -> str:
        """The address as the send log compares it (see :func:`address_key`)."""
        return address_key(self.email)

    @property
    def suppression(self) -> str | None:
        """Why this event means the address must not be mailed again (None: it does not)."""
        if self.kind == "bounce":
            return "bounce"
        if self.kind == "spamreport":
            return "spamreport"
        if self.kind in ("unsubscribe", "group_unsubscribe"):
            return "unsubscribe"
        if self.kind == "dropped" and self.reason:
            return DROPPED_BAD_ADDRESS.get(self.reason.strip().lower())
        return None


def address_key(email: str) -> str:
    """*email* lower-cased, its domain in Unicode: SendGrid reports an internationalised
    domain in the ASCII form pressroom sent (``xn--``), the media lists hold it as written."""
    if "@" not in email:  # a forgotten person's pseudonym
        return email.strip().lower()
    local, _, domain = email.strip().rpartition("@")
    if "xn--" in domain.lower():
        try:
            domain = domain.lower().encode("ascii").decode("idna")
        except UnicodeError:
            pass
    return f"{local}@{domain}".lower()

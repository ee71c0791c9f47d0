"""``pressroom dispatch``: hand sends scheduled far ahead to the provider when their time nears.

``send --at`` within :data:`HANDOVER` of now goes straight to the provider
(SendGrid's ``send_at``). Further ahead, the send is kept in the log as
pending (:mod:`pressroom.sendlog.pending`), and ``dispatch`` (run from cron,
a systemd timer or a CI schedule, or left running with ``--watch``) sends it
through the normal flow once it is within :data:`HANDOVER`, with ``send_at``
set to the exact time. At that moment everything is checked again, as a send
would: the release must still be the version that was scheduled (an edit is
held, never sent unseen), pass ``check``, and have its approvals. Deliveries
are exactly-once through the log, so two dispatchers never mail a journalist
twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from pressroom.clock import now
from pressroom.deliver.sendgrid_body import MAX_SCHEDULE_AHEAD
from pressroom.deliver.transports import log_location
from pressroom.errors import LoadError, PressroomError
from pressroom.model.room import Room
from pressroom.render.dates import local_text
from pressroom.sendlog import Pending, open_log
from pressroom.sendlog.version import release_version

if TYPE_CHECKING:
    from pressroom.deliver.send import Prepared

HANDOVER = MAX_SCHEDULE_AHEAD - timedelta(minutes=30)
"""How far ahead a send is handed to the provider: inside SendGrid's 72 hours, with
room for a dispatcher that runs every few minutes and a send that takes a while."""
MISSED = timedelta(hours=1)
"""A pending send whose time passed longer ago than this is held, not sent late."""


@dataclass(frozen=True)
class Dispatched:
    """What became of one pending send in this run."""

    pending: Pending
    state: str  # dispatched | held | failed | waiting
    message: str


def far_ahead(at: datetime) -> bool:
    """Whether a send at *at* must wait in the log for ``pressroom dispatch``."""
    return at - now() > HANDOVER


def due(room: Room) -> list[Pending]:
    """The pending sends whose time is within :data:`HANDOVER`: what :func:`dispatch`
    would hand over now (``dispatch --dry-run`` lists them); nothing is written."""
    where = log_location(room)
    if not where.exists():
        return []
    with open_log(where, read_only=True) as log:
        waiting = log.pending()
    moment = now()
    return [p for p in waiting if datetime.fromisoformat(p.send_at) - moment <= HANDOVER]


def dispatch(room: Room, on_batch: Callable[[int], None] | None = None) -> list[Dispatched]:
    """Hand every pending send that is due to the provider; what became of each."""
    moment = now()
    return [
        _dispatch_one(room, pending, datetime.fromisoformat(pending.send_at), moment, on_batch)
        for pending in due(room)
    ]


def _dispatch_one(
    room: Room,
    pending: Pending,
    at: datetime,
    moment: datetime,
    on_batch: Callable[[int], None] | None,
) -> Dispatched:
    from pressroom.deliver import send as sending
    from pressroom.load.room import load_release, release_files

    def hold(reason: str) -> Dispatched:
        with open_log(log_location(room)) as log:
            log.finish_pending(pending.pending_id, "held", reason)
        return Dispatched(pending, "held", reason)

    if at < moment - MISSED:
        return hold(
            f"its time ({_local(room, at)}) passed more than an hour ago; nothing was sent: "
            f"send it now with pressroom send {pending.release}, or schedule it again"
        )
    try:
        [path] = release_files(room, [pending.release])
        release = load_release(room, path)
    except LoadError as exc:
        return Dispatched(pending, "failed", f"the release does not load: {exc}")
    except PressroomError as exc:
        return hold(f"the release is gone ({exc}); nothing was sent")
    version = release_version(room, release)
    if version != pending.version:
        return hold(
            f"changed since it was scheduled (the release, pressroom.yaml or a file it uses: "
            f"version "
            f"{pending.version}, now {version}); "
            f"nothing was sent: check it, then pressroom send {pending.release} --at ... again"
        )
    try:
        prepared = sending.prepare(
            room,
            release,
            lists=pending.lists,
            tags=pending.tags,
            skip_invalid=pending.skip_invalid,
            send_at=at if at > moment else None,
            correction=pending.correction,
        )
    except PressroomError as exc:
        # check or approval refused: left pending, so a fix before its time still sends it
        return Dispatched(pending, "failed", str(exc))
    outcome = sending.deliver(prepared, on_batch=on_batch) if prepared.count else None
    held = prepared.plan.unknown if prepared.plan is not None else 0
    unknown = (outcome.unknown if outcome else 0) + (0 if outcome else held)
    if outcome is not None and outcome.failed:
        # left pending: the next dispatch retries whoever failed, as a send run again would
        reasons = "; ".join(dict.fromkeys(outcome.reasons)) or outcome.stopped or "see the log"
        return Dispatched(
            pending,
            "failed",
            f"{outcome.accepted} accepted, {outcome.failed} failed ({reasons}); "
            "the next dispatch tries the failed again",
        )
    with open_log(log_location(room)) as log:
        log.finish_pending(pending.pending_id, "dispatched")
    when = "now (its time has come)" if at <= moment else f"for {_local(room, at)}"
    message = (
        f"handed over {when}: {outcome.accepted} accepted, 0 failed"
        if outcome
        else "nobody left to send to"
    )
    if unknown:
        return Dispatched(
            pending,
            "failed",
            f"{message}; {unknown} may or may not have received it: "
            f"pressroom log {pending.release} --state unknown, then pressroom send "
            f"{pending.release} --resend-unknown or --skip-unknown",
        )
    return Dispatched(pending, "dispatched", message)


def _local(room: Room, at: datetime | str) -> str:
    return local_text(at, room.config.timezone, room.config.locale)


def waiting(room: Room, release: str) -> list[Pending]:
    """The sends of *release* kept for a later time (read-only; none without a log)."""
    where = log_location(room)
    if not where.exists():
        return []
    with open_log(where, read_only=True) as log:
        return log.pending(release)


def keep(
    room: Room,
    prepared: Prepared,
    lists: Sequence[str],
    tags: Sequence[str],
    *,
    skip_invalid: bool = False,
) -> Pending:
    """Record a send *prepared* (as a dry run) for its far ``send_at``, for :func:`dispatch`."""
    assert prepared.send_at is not None
    with open_log(log_location(room)) as log:
        return log.add_pending(
            prepared.release.name,
            prepared.content.version,
            prepared.send_at.isoformat(),
            lists,
            tags,
            correction=prepared.correction,
            skip_invalid=skip_invalid,
        )

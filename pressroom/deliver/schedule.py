"""``send --at`` and ``send --cancel``: messages the provider holds until a time.

SendGrid holds a message at most 72 hours and guarantees a cancellation only
10 minutes or more before its time; both limits are checked here, before
anything is asked of the provider.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from pressroom.clock import now
from pressroom.deliver.transport import Scheduler
from pressroom.deliver.transports import choose_transport, opened
from pressroom.errors import UsageError
from pressroom.model.moments import parse_moment
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.dates import local_text
from pressroom.sendlog import open_log

FURTHEST = timedelta(days=366)
"""A send scheduled further ahead than this is taken for a typo in the year."""
CANCEL_MARGIN = timedelta(minutes=10)
"""SendGrid guarantees a cancellation only this long before the send time."""


RELATIVE_DAY = re.compile(r"(today|tomorrow) (\d{1,2}):(\d{2})", re.I)
RELATIVE_SPAN = re.compile(r"in (\d{1,4}) (minute|hour|day)s?", re.I)
UNITS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}


def parse_send_time(value: str, room: Room) -> datetime:
    """``--at``: a time as releases write them, in the future and within :data:`FURTHEST`.

    Besides a date and time, ``today 18:00`` and ``tomorrow 06:00`` (in the
    room's zone) and ``in 2 hours`` / ``in 3 days`` are understood, so that a
    command written down (in the README, a runbook) stays true on any day.
    Within 72 hours the provider holds the send; further ahead the log keeps it
    for ``pressroom dispatch`` (:mod:`pressroom.deliver.dispatch`).
    """
    moment = now()
    at = _relative(value.strip(), room, moment)
    if at is None:
        try:
            at = parse_moment(value, room.config.timezone).at
        except ValueError as exc:
            raise UsageError(f"--at: {exc}; or write 'tomorrow 06:00', 'in 2 hours'") from None
    if at <= moment:
        raise UsageError(f"--at {value}: that time has passed; leave --at out to send now")
    if at - moment > FURTHEST:
        raise UsageError(
            f"--at {value} is more than a year away; check the year (a send is scheduled "
            "at most a year ahead)"
        )
    return at


def _relative(value: str, room: Room, moment: datetime) -> datetime | None:
    """``today HH:MM``, ``tomorrow HH:MM`` or ``in N minutes|hours|days``, else None."""
    if span := RELATIVE_SPAN.fullmatch(value):
        return moment + int(span[1]) * UNITS[span[2].lower()]
    if day := RELATIVE_DAY.fullmatch(value):
        hour, minute = int(day[2]), int(day[3])
        if hour > 23 or minute > 59:
            raise UsageError(f"--at {value}: {hour}:{minute:02d} is not a time of day")
        zone = ZoneInfo(room.config.timezone)
        date = moment.astimezone(zone).date()
        if day[1].lower() == "tomorrow":
            date += timedelta(days=1)
        return datetime.combine(date, time(hour, minute), tzinfo=zone)
    return None


@dataclass(frozen=True)
class Cancelled:
    schedule_id: str
    send_at: str
    deliveries: int
    late: bool
    """Within :data:`CANCEL_MARGIN` of the send time: the provider may not honour it."""
    waiting: bool = False
    """Still in the log for ``pressroom dispatch``: nothing had reached the provider."""


def cancel(room: Room, release: Release) -> list[Cancelled]:
    """Cancel the scheduled sends of *release* that have not gone out.

    Refuses when nothing is scheduled, or when the time has passed.
    """
    transport, where = choose_transport(room)
    moment = now()
    cancelled = []
    with opened(transport), open_log(where) as log:
        for waiting in log.pending(release.name):
            if log.finish_pending(waiting.pending_id, "cancelled", "send --cancel"):
                cancelled.append(Cancelled(waiting.pending_id, waiting.send_at, 0, False, True))
        pending = [s for s in log.schedules(release.name) if s.state == "scheduled"]
        if not pending and not cancelled:
            raise UsageError(f"{release.source}: no scheduled send to cancel")
        for schedule in pending:
            at = datetime.fromisoformat(schedule.send_at)
            if at <= moment:
                config = room.config
                when = local_text(at, config.timezone, config.locale)
                raise UsageError(
                    f"{release.source}: the send scheduled for {when} has gone out; "
                    "it can no longer be cancelled (send a correction instead)"
                )
            if isinstance(transport, Scheduler):
                transport.cancel(schedule.schedule_id)
            count = log.cancel_schedule(schedule.schedule_id)
            late = at - moment < CANCEL_MARGIN
            cancelled.append(Cancelled(schedule.schedule_id, schedule.send_at, count, late))
    return cancelled

"""``send --at`` and ``send --cancel``: messages the provider holds until a time.

SendGrid holds a message at most 72 hours and guarantees a cancellation only
10 minutes or more before its time; both limits are checked here, before
anything is asked of the provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pressroom.clock import now
from pressroom.deliver.sendgrid_body import MAX_SCHEDULE_AHEAD
from pressroom.deliver.transport import Scheduler
from pressroom.deliver.transports import choose_transport, opened
from pressroom.errors import UsageError
from pressroom.model.moments import parse_moment
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.dates import local_text
from pressroom.sendlog import open_log

CANCEL_MARGIN = timedelta(minutes=10)
"""SendGrid guarantees a cancellation only this long before the send time."""


def parse_send_time(value: str, room: Room) -> datetime:
    """``--at``: a time as releases write them, between now and 72 hours from now."""
    try:
        at = parse_moment(value, room.config.timezone).at
    except ValueError as exc:
        raise UsageError(f"--at: {exc}") from None
    moment = now()
    if at <= moment:
        raise UsageError(f"--at {value}: that time has passed; leave --at out to send now")
    if at - moment > MAX_SCHEDULE_AHEAD:
        hours = (at - moment).total_seconds() / 3600
        raise UsageError(
            f"--at {value} is {hours:.0f} hours away; SendGrid holds messages at most 72 hours: "
            "run this command again within 72 hours of that time"
        )
    return at


@dataclass(frozen=True)
class Cancelled:
    schedule_id: str
    send_at: str
    deliveries: int
    late: bool
    """Within :data:`CANCEL_MARGIN` of the send time: the provider may not honour it."""


def cancel(room: Room, release: Release) -> list[Cancelled]:
    """Cancel the scheduled sends of *release* that have not gone out.

    Refuses when nothing is scheduled, or when the time has passed.
    """
    transport, where = choose_transport(room)
    moment = now()
    cancelled = []
    with opened(transport), open_log(where) as log:
        pending = [s for s in log.schedules(release.name) if s.state == "scheduled"]
        if not pending:
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

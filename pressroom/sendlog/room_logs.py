"""The send logs of a room as ``send`` reads them now, and what they say of a release.

The log of real sends, and the outbox's when rehearsing (:func:`rehearsing`): each
opened read-only and never created, so that ``check`` and the preview can ask
whether a release was ever sent, or when it is scheduled, without leaving a file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime

from pressroom.errors import PressroomError
from pressroom.model.room import Room
from pressroom.sendlog import SendLog, open_log, room_log


def scheduled_for(room: Room, name: str) -> datetime | None:
    """When the soonest send of release *name* scheduled for later (``send --at``: held
    by the provider, or waiting for ``pressroom dispatch``) delivers it; None if none.
    Read from the log ``send`` uses now; never created."""
    where = room_log(room.root, room.config.database, outbox=rehearsing(room))
    if not where.exists():
        return None
    try:
        with open_log(where, read_only=True) as log:
            times = [s.send_at for _r, s in log.scheduled_ahead(name)]
            times += [p.send_at for p in log.pending(name)]
    except (PressroomError, sqlite3.Error):
        return None
    return min((datetime.fromisoformat(t) for t in times), default=None)


def ever_sent(room: Room, name: str) -> bool:
    """Whether any version of release *name* was accepted for delivery.

    Reads the log of real sends and the log of the transport ``send`` would
    use now (the outbox log when rehearsing), whichever exist.
    """
    return any(
        version.accepted for log in logs_send_reads(room) for version in log.previous_versions(name)
    )


def logs_send_reads(room: Room) -> Iterator[SendLog]:
    """The room's send logs as ``send`` reads them, each opened read-only in turn: the
    log of real sends, and the outbox's when rehearsing, whichever exist. A log out
    of reach is passed over: the commands that write it say why."""
    logs = [room_log(room.root, room.config.database)]
    if rehearsing(room):
        logs.append(room_log(room.root, outbox=True))
    for where in logs:
        if not where.exists():
            continue
        try:
            with open_log(where, read_only=True) as log:
                yield log
        except (PressroomError, sqlite3.Error):
            continue


def rehearsing(room: Room) -> bool:
    """Whether send would write to the outbox now (the rule of deliver.transports's
    transport_kind, repeated so that the preview never imports the delivery code)."""
    kind = room.config.delivery.transport
    return kind == "outbox" or (kind == "auto" and not os.environ.get("SENDGRID_API_KEY"))

"""Addresses never to be mailed again: unsubscribes, bounces, spam reports.

They are kept in the real send log (``.pressroom/pressroom.db`` or PostgreSQL), not in
``contacts/``, so that a fresh import of a list can never bring one back, and
every transport honours them, the outbox's rehearsals included.
"""

from __future__ import annotations

from collections.abc import Sequence

from pressroom.errors import UsageError
from pressroom.model.address import is_email
from pressroom.model.room import Room
from pressroom.sendlog import Location, open_log, room_log


def real_log(room: Room) -> Location:
    """The room's real send log (not the outbox's rehearsals)."""
    return room_log(room.root, room.config.database)


def kept_elsewhere(room: Room) -> dict[str, str]:
    """Suppressions are kept in the real send log; a rehearsal honours them too."""
    real = real_log(room)
    if not real.exists():
        return {}
    with open_log(real, read_only=True) as log:
        return log.suppressions()


def suppress(
    room: Room, addresses: Sequence[str], reason: str
) -> dict[str, tuple[str, str] | None]:
    """Never send to *addresses* again, whatever the list or transport.

    Per address: None when newly suppressed, else the (reason, since) already
    recorded, which is kept (:meth:`~pressroom.sendlog.SendLog.suppress`: the
    first reason stands, so a manual suppression never hides a bounce).
    """

    bad = [a for a in addresses if not is_email(a.strip())]
    if bad:
        raise UsageError(f"not an email address: {', '.join(bad)}")
    done: dict[str, tuple[str, str] | None] = {}
    with open_log(real_log(room)) as log:
        for address in addresses:
            done[address.strip()] = log.suppress(address, reason)  # type: ignore[arg-type]
    return done


def sync_suppressions(room: Room) -> list[tuple[str, str]]:
    """Copy SendGrid's suppression lists into the send log; the addresses new to it."""
    from pressroom.deliver.sendgrid import SendGrid

    transport = SendGrid.from_environment(room.config.delivery)
    found = transport.suppressions()
    added = []
    with open_log(real_log(room)) as log:
        for address, reason in found:
            if not log.is_suppressed(address):
                log.suppress(address, reason)  # type: ignore[arg-type]
                added.append((address, reason))
    return added

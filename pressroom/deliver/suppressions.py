"""Addresses never to be mailed again: unsubscribes, bounces, spam reports.

They are kept in the real send log (``.pressroom/pressroom.db``), not in
``contacts/``, so that a fresh import of a list can never bring one back, and
every transport honours them, the outbox's rehearsals included.
"""

from __future__ import annotations

from collections.abc import Sequence

from pressroom.deliver.transports import SEND_LOG
from pressroom.errors import UsageError
from pressroom.model.people import is_email
from pressroom.model.room import Room
from pressroom.sendlog import SendLog


def kept_elsewhere(room: Room) -> dict[str, str]:
    """Suppressions are kept in the real send log; a rehearsal honours them too."""
    real = room.root / SEND_LOG
    if not real.exists():
        return {}
    with SendLog.open(real, read_only=True) as log:
        return log.suppressions()


def suppress(room: Room, addresses: Sequence[str], reason: str) -> list[str]:
    """Never send to *addresses* again, whatever the list or transport; the new ones."""

    bad = [a for a in addresses if not is_email(a.strip())]
    if bad:
        raise UsageError(f"not an email address: {', '.join(bad)}")
    added = []
    with SendLog.open(room.root / SEND_LOG) as log:
        for address in addresses:
            if not log.is_suppressed(address):
                added.append(address.strip())
            log.suppress(address, reason)  # type: ignore[arg-type]
    return added


def sync_suppressions(room: Room) -> list[tuple[str, str]]:
    """Copy SendGrid's suppression lists into the send log; the addresses new to it."""
    from pressroom.deliver.sendgrid import SendGrid

    transport = SendGrid.from_environment(room.config.delivery)
    found = transport.suppressions()
    added = []
    with SendLog.open(room.root / SEND_LOG) as log:
        for address, reason in found:
            if not log.is_suppressed(address):
                log.suppress(address, reason)  # type: ignore[arg-type]
                added.append((address, reason))
    return added

"""Which transport a room sends through, and which send log records it.

SendGrid and SMTP record real deliveries in the room's send log
(``.pressroom/pressroom.db``, or the PostgreSQL database pressroom.yaml's
``database:`` names); outbox rehearsals are recorded in a file of their own
(``.pressroom/outbox.db``), so a rehearsal never counts as delivery. Only the
chosen transport's module is imported: a room that writes to the outbox never
loads ``sendgrid``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from pressroom.deliver.transport import Transport
from pressroom.model.room import Room
from pressroom.sendlog.location import OUTBOX_LOG, SEND_LOG, Location, room_log

OUTBOX = OUTBOX_LOG.parent / "outbox"
__all__ = ["OUTBOX", "OUTBOX_LOG", "SEND_LOG", "choose_transport", "log_location", "opened"]

TransportKind = Literal["outbox", "sendgrid", "smtp"]


def transport_kind(room: Room) -> TransportKind:
    """``delivery.transport``, with ``auto`` resolved by whether SENDGRID_API_KEY is set."""
    kind = room.config.delivery.transport
    if kind == "auto":
        return "sendgrid" if os.environ.get("SENDGRID_API_KEY") else "outbox"
    return kind


def log_location(room: Room, kind: TransportKind | None = None) -> Location:
    """The send log that *kind* (default: the room's transport) records into."""
    kind = kind or transport_kind(room)
    return room_log(room.root, room.config.database, outbox=kind == "outbox")


def choose_transport(room: Room) -> tuple[Transport, Location]:
    """The room's transport, ready to send, and the send log it records into."""
    kind = transport_kind(room)
    settings = room.config.delivery
    transport: Transport
    if kind == "sendgrid":
        from pressroom.deliver.sendgrid import SendGrid

        transport = SendGrid.from_environment(settings)
    elif kind == "smtp":
        from pressroom.deliver.smtp import Smtp

        assert settings.smtp is not None  # the model requires it with transport: smtp
        transport = Smtp.from_settings(settings.smtp)
    else:
        from pressroom.deliver.outbox import Outbox

        transport = Outbox(room.root / OUTBOX)
    return transport, log_location(room, kind)


@contextmanager
def opened(transport: Transport) -> Iterator[Transport]:
    """Close the transport's connection (SMTP keeps one open) when done."""
    try:
        yield transport
    finally:
        close = getattr(transport, "close", None)
        if callable(close):
            close()

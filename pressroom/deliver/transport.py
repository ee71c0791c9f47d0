"""The one interface every transport implements: outbox, SendGrid, SMTP.

A transport is handed the :class:`~pressroom.deliver.message.Content` of one
release version and the :class:`~pressroom.deliver.message.Delivery` of each
recipient (at most :attr:`Transport.batch_size` at a time), and returns one
message id per delivery, in order. It decides nothing about who gets what
(that is the recipient plan and the send log) and it never renders: the
wire format, retries and pacing are its own business.

How a batch can end, and what the send log makes of it:

- ``send`` returns: the provider accepted every delivery (``accepted``);
- :class:`DeliveryFailed`: nothing of the batch was sent (``failed``, planned
  again next run); with ``fatal`` the whole send stops (a 400, 401 or 403
  would be answered the same way to every batch);
- :class:`OutcomeUnknown`: the request may have reached the provider (a
  timeout, a connection dropped after the request left): ``unknown``, never
  re-sent or dropped silently; the other batches go on;
- :class:`RecipientRefused`: this one recipient cannot be sent to (a message
  that cannot be built for them, an address the server refuses): ``failed``
  with the reason, and the send goes on; it never counts towards stopping it.

Before a batch is formed, :func:`refusal` asks the transport whether it can
send to each delivery at all (SendGrid takes no address with non-ASCII
letters before the ``@``), so one such recipient never fails a whole batch;
:func:`refusals` asks it of a whole batch.

Messages of these errors never contain a credential.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from pressroom.deliver.message import Content, Delivery
from pressroom.errors import PressroomError


class DeliveryFailed(PressroomError):
    """The provider did not take the batch: none of it was sent."""

    def __init__(self, reason: str, *, fatal: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.fatal = fatal


class RecipientRefused(DeliveryFailed):
    """One recipient cannot be sent to: failed, and the others go on."""

    def __init__(self, reason: str):
        super().__init__(reason, fatal=False)


class OutcomeUnknown(PressroomError):
    """The request may have been delivered; whether it was cannot be known."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Schedule:
    """Deliver at *send_at* instead of now; *batch_id* is the provider's handle to cancel."""

    send_at: datetime
    batch_id: str | None = None


class Transport(Protocol):
    name: str
    """``outbox``, ``sendgrid`` or ``smtp``: shown in the send summary, kept in the send log."""

    batch_size: int
    """The most deliveries one :meth:`send` call takes."""

    def send(
        self,
        content: Content,
        deliveries: Sequence[Delivery],
        *,
        test: bool = False,
        schedule: Schedule | None = None,
    ) -> list[str]:
        """Send *content* to each of *deliveries*; the message ids, in order.

        *test* marks the messages as proofs (``[TEST]`` in the subject).
        *schedule* asks the provider to hold the messages until its time.
        Raises :class:`DeliveryFailed` or :class:`OutcomeUnknown`.
        """
        ...


@runtime_checkable
class Scheduler(Protocol):
    """A transport whose provider can hold messages and cancel them (SendGrid)."""

    def new_schedule(self, send_at: datetime) -> Schedule:
        """A schedule with a fresh cancellable batch id."""
        ...

    def cancel(self, batch_id: str) -> None:
        """Cancel every message sent with *batch_id* that has not gone out yet."""
        ...


def refusal(transport: Transport, delivery: Delivery) -> str | None:
    """Why *transport* cannot send to *delivery* at all (checked before any batch), or None.

    A transport may define ``refusal(delivery)``; one that does not takes every
    valid address.
    """
    check = getattr(transport, "refusal", None)
    return check(delivery) if callable(check) else None


def refusals(transport: Transport, deliveries: Sequence[Delivery]) -> list[str | None]:
    """:func:`refusal` of each of *deliveries*, in order. A transport may answer for a
    whole batch at once (``refusals(deliveries)``, the same answers)."""
    many = getattr(transport, "refusals", None)
    if callable(many):
        return list(many(deliveries))
    return [refusal(transport, delivery) for delivery in deliveries]

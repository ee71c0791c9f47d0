"""The one interface every transport implements: outbox, SendGrid, SMTP.

A transport is handed the :class:`~pressroom.deliver.message.Content` of one
release version and the :class:`~pressroom.deliver.message.Delivery` of each
recipient, and returns one message id per delivery, in order. It decides
nothing about who gets what (that is the recipient plan and the send log) and
it never renders: batching, retries and pacing are its own business.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pressroom.deliver.message import Content, Delivery


class Transport(Protocol):
    name: str
    """``outbox``, ``sendgrid`` or ``smtp``: shown in the send summary, kept in the send log."""

    def send(
        self, content: Content, deliveries: Sequence[Delivery], test: bool = False
    ) -> list[str]:
        """Send *content* to each of *deliveries*; the message ids, in order.

        *test* marks the messages as proofs (``[TEST]`` in the subject).
        """
        ...

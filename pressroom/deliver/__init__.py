"""Delivery: getting a release to the people on its media lists, once each.

- :mod:`~pressroom.deliver.recipients`: who gets it (the lists' rows, streamed for a send);
- :mod:`~pressroom.deliver.message`: what they get (:class:`~.message.Content`, rendered once
  per release version, and one :class:`~.message.Delivery` per recipient);
- :mod:`~pressroom.deliver.send`: the flow: prepare (checks, rendering, the plan), then
  deliver in batches, each logged before and after it leaves;
- :mod:`~pressroom.deliver.transport`: the :class:`~.transport.Transport` protocol and the
  two ways a batch can go wrong (failed, or outcome unknown), implemented by
  :mod:`~pressroom.deliver.outbox` (``.eml`` files, the default),
  :mod:`~pressroom.deliver.sendgrid` and :mod:`~pressroom.deliver.smtp`, with
  :mod:`~pressroom.deliver.retry` (backoff and rate limits) beside them;
- :mod:`~pressroom.deliver.transports`: which one a room uses, and which send log records it;
- :mod:`~pressroom.deliver.schedule` (``--at``, ``--cancel``),
  :mod:`~pressroom.deliver.corrections` (``--correction``) and
  :mod:`~pressroom.deliver.suppressions` (addresses never mailed again).

The record of what was sent is :mod:`pressroom.sendlog`.
"""

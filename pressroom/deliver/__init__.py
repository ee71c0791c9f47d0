"""Delivery: getting a release to the people on its media lists.

- :mod:`pressroom.deliver.recipients`: who gets it (pure functions of the loaded lists);
- :mod:`pressroom.deliver.message`: what they get (:class:`~.message.Content`, rendered once
  per release version, and one :class:`~.message.Delivery` per recipient);
- :mod:`pressroom.deliver.transport`: the :class:`~.transport.Transport` protocol
  (``name``, ``send(content, deliveries, test) -> message ids``), implemented by
  :mod:`pressroom.deliver.outbox` (``.eml`` files, the default); SendGrid and SMTP come later.
"""

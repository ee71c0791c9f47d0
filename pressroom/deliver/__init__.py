"""Delivery: getting a release to the people on its media lists.

For now the recipient plan (:mod:`pressroom.deliver.recipients`, pure functions
of the loaded lists); the transports (outbox, SendGrid, SMTP) come later.
"""

"""What happens to a message after SendGrid accepted it: SendGrid's Event Webhook.

The flow: a signed POST (or a file, for offices without a public endpoint)
-> :mod:`.signature` (is it SendGrid's, and fresh?) -> :mod:`.parse` (JSON ->
:class:`~.parse.Event`, every kind kept) -> the send log's ``record_events``
(stored once per ``sg_event_id``, matched to the delivery, bad addresses
suppressed at once). :mod:`.receiver` is the small web service that does this
for ``pressroom events serve``; :mod:`.feed` is what ``pressroom events import``
and the receiver share.
"""

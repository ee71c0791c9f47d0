"""A claimed batch's addressees made deliveries, behind a second wall.

The send log hands :func:`pressroom.deliver.send.deliver` each batch as
:class:`~pressroom.model.contacts.Addressee` records; each becomes the
:class:`~pressroom.deliver.message.Delivery` of its language's content (the
greeting in it, the unsubscribe link), unless it cannot be sent at all: a name
no header can carry or an address that is none (the lists refuse these rows
when read; a log edited since, or written by an older pressroom, is why they
are checked again: the second wall), or an address the transport refuses.
Such a recipient is refused alone (:class:`RecipientRefused`, with the reason)
and the others go on.

:func:`delivery` is the careful way, one recipient at a time; :func:`deliveries`
makes a whole batch in one pass, the same deliveries and the same refusals
(it asks :func:`delivery` for the message of each one it refuses).
"""

from __future__ import annotations

from collections.abc import Sequence

from pressroom.deliver.message import Content, Delivery, greeting_for, unsubscribe_link
from pressroom.deliver.transport import RecipientRefused, Transport, refusal, refusals
from pressroom.model.address import address_problem
from pressroom.model.contacts import Addressee
from pressroom.model.header import header_problem

Refused = list[tuple[Addressee, str]]
"""The recipients of a batch that cannot be sent to, each with the reason."""


def delivery(
    recipient: Addressee,
    content: Content,
    transport: Transport,
    unsubscribe_url: str | None,
    greetings: dict[str | None, str] | None = None,
) -> Delivery:
    """*recipient*'s delivery of *content* (their language's: the greeting is in it);
    :class:`RecipientRefused` if it cannot be sent at all. *greetings*: the greeting
    already written for each first name, for this *content* (a batch's, filled here)."""
    problem = header_problem(recipient.name or "") or address_problem(recipient.email)
    if problem is not None:  # the lists refuse these rows when read: a second wall
        raise RecipientRefused(f"{recipient.email}: {problem}")
    greeting = greetings.get(recipient.first_name) if greetings is not None else None
    if greeting is None:
        greeting = greeting_for(recipient, content.words, content.greeting)
        if greetings is not None:
            greetings[recipient.first_name] = greeting
    made = Delivery(
        recipient.email,
        recipient.name,
        greeting,
        unsubscribe_link(unsubscribe_url, recipient.email) if unsubscribe_url else None,
    )
    refused = refusal(transport, made)
    if refused is not None:
        raise RecipientRefused(refused)
    return made


def deliveries(
    claimed: Sequence[Addressee],
    content: Content,
    transport: Transport,
    unsubscribe_url: str | None,
) -> tuple[list[Delivery], list[Addressee], Refused]:
    """:func:`delivery` of each of *claimed*, a column at a time: (the deliveries,
    their recipients, the recipients refused with the reason), in the batch's order.

    The names are checked all at once (a character no header can hold is one
    whichever name it is in), the addresses in one pass, each greeting is written
    once for its first name; a batch where a name or an address fails goes
    recipient by recipient, and a recipient the transport refuses is refused by
    :func:`delivery` itself, with its message.
    """
    emails = [r.email for r in claimed]
    names = [r.name for r in claimed]
    if header_problem("".join([name or "" for name in names])) is not None or any(
        map(address_problem, emails)
    ):
        return _one_by_one(claimed, content, transport, unsubscribe_url)
    firsts = [r.first_name for r in claimed]
    by_first = {r.first_name: r for r in claimed}  # a greeting depends on the first name only
    written = {
        first: greeting_for(r, content.words, content.greeting) for first, r in by_first.items()
    }
    if unsubscribe_url:
        urls: list[str | None] = [unsubscribe_link(unsubscribe_url, email) for email in emails]
    else:
        urls = [None] * len(emails)
    made = list(map(Delivery, emails, names, map(written.__getitem__, firsts), urls))
    reasons = refusals(transport, made)
    if reasons.count(None) == len(reasons):
        return made, list(claimed), []
    kept: list[Delivery] = []
    batch: list[Addressee] = []
    refused: Refused = []
    for recipient, one, reason in zip(claimed, made, reasons, strict=True):
        if reason is None:
            kept.append(one)
            batch.append(recipient)
            continue
        try:  # the careful way, for the reason (or, should it disagree, the delivery)
            kept.append(delivery(recipient, content, transport, unsubscribe_url, written))
            batch.append(recipient)
        except RecipientRefused as exc:
            refused.append((recipient, exc.reason))
    return kept, batch, refused


def _one_by_one(
    claimed: Sequence[Addressee],
    content: Content,
    transport: Transport,
    unsubscribe_url: str | None,
) -> tuple[list[Delivery], list[Addressee], Refused]:
    """:func:`deliveries` the careful way: :func:`delivery` of each recipient."""
    made: list[Delivery] = []
    batch: list[Addressee] = []
    refused: Refused = []
    greetings: dict[str | None, str] = {}
    for recipient in claimed:
        try:
            made.append(delivery(recipient, content, transport, unsubscribe_url, greetings))
            batch.append(recipient)
        except RecipientRefused as exc:
            refused.append((recipient, exc.reason))
    return made, batch, refused

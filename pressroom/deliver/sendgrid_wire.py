"""The Mail Send request body as bytes: ``json.dumps`` of
:func:`~pressroom.deliver.sendgrid_body.mail_body`, byte for byte, written faster.

A batch's body is its release's constant part (the subject, the text and the
HTML, the attachments in base64: hundreds of kilobytes), one personalization
per recipient, and a short end. :class:`BodyWriter` serialises the constant
part once per release version, proof flag and choice of tags, and splices it
into each batch's body; each personalization is written as text, every JSON
string escaped by the ``json`` module's own encoder (``ensure_ascii``, as
``json.dumps`` does), without a dict per recipient. The checks are
:func:`~pressroom.deliver.sendgrid_body.mail_body`'s, in the same order, so a
batch is refused with the same message; a release's own checks pass once.

tests/test_sendgrid_wire.py builds bodies both ways, over generated batches.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from markupsafe import escape

from pressroom.deliver.message import Content, Delivery, unsubscribe_headers, unsubscribe_target
from pressroom.deliver.sendgrid_body import (
    GREETING_HTML,
    GREETING_TEXT,
    RECIPIENT_ARG,
    UNSUBSCRIBE_HTML,
    UNSUBSCRIBE_TEXT,
    BatchTags,
    batch_tags,
    closing_part,
    keyed_ids,
    recipient_ids,
    recipient_name,
    refuse_content,
    release_part,
)
from pressroom.deliver.sendgrid_refusals import (
    refuse_count,
    refuse_duplicates,
    refuse_unsafe_names,
    wire,
)
from pressroom.deliver.transport import Schedule
from pressroom.model.address import ascii_form

_string = cast(Callable[[str], str], json.encoder.encode_basestring_ascii)  # type: ignore[attr-defined]
"""A JSON string as ``json.dumps`` writes it (quoted, escaped, ASCII): the C encoder."""

_KEPT = 16
"""Constant parts kept at most (languages x proof or not x tags): then started afresh."""


class BodyWriter:
    """Writes the request bodies of one transport, keeping each release's constant part."""

    def __init__(self) -> None:
        self._checked: dict[int, Content] = {}
        self._openings: dict[tuple[int, int, bool, str, str], tuple[object, object, bytes]] = {}

    def body(
        self,
        content: Content,
        deliveries: Sequence[Delivery],
        attachments: Sequence[Mapping[str, str]],
        *,
        test: bool = False,
        schedule: Schedule | None = None,
        unsubscribe_url: str | None = None,
    ) -> bytes:
        """``json.dumps(mail_body(...)).encode()`` for the same arguments, and the same
        :class:`~pressroom.deliver.transport.DeliveryFailed` for a batch it refuses."""
        refuse_count(deliveries)
        keys = [delivery.email.strip().lower() for delivery in deliveries]
        refuse_duplicates(deliveries, keys)
        if self._checked.get(id(content)) is not content:
            refuse_content(content)  # the same for every batch: once, when it passes
            if len(self._checked) >= _KEPT:
                self._checked.clear()
            self._checked[id(content)] = content
        refuse_unsafe_names(deliveries)
        tags = batch_tags(content, deliveries, unsubscribe_url)
        opening = self._opening(content, attachments, test, tags)
        people = ", ".join(personalizations(content, deliveries, tags, keys))
        closing = json.dumps(closing_part(tags.own_unsubscribe, schedule))
        return b"".join((opening, people.encode("ascii"), b"], ", closing[1:].encode("ascii")))

    def _opening(
        self,
        content: Content,
        attachments: Sequence[Mapping[str, str]],
        test: bool,
        tags: BatchTags,
    ) -> bytes:
        """The body up to the first personalization: serialised once for each key."""
        html_tag, unsubscribe_tag = tags.html_tag, tags.unsubscribe_html_tag
        key = (id(content), id(attachments), test, html_tag, unsubscribe_tag)
        kept = self._openings.get(key)
        if kept is not None and kept[0] is content and kept[1] is attachments:
            return kept[2]
        part = json.dumps(release_part(content, attachments, test, html_tag, unsubscribe_tag))
        opening = (part[:-1] + ', "personalizations": [').encode("ascii")
        if len(self._openings) >= _KEPT:
            self._openings.clear()
        self._openings[key] = (content, attachments, opening)  # held: the ids stay theirs
        return opening


def personalizations(
    content: Content,
    deliveries: Sequence[Delivery],
    tags: BatchTags,
    keys: Sequence[str] | None = None,
) -> list[str]:
    """Each delivery's personalization as ``json.dumps`` writes
    :func:`~pressroom.deliver.sendgrid_body.mail_body`'s; *keys*: each address
    stripped and in lower case, when already made.

    Made a column at a time (the addresses, the names, the greetings: each a pass
    of one function over the batch), then each personalization with one format."""
    if keys is None:
        ids = recipient_ids(content, [delivery.email for delivery in deliveries])
    else:
        ids = keyed_ids(content, keys)
    tos = _tos(deliveries)
    args = f'"custom_args": {{{_string(RECIPIENT_ARG)}: "'
    greetings = [delivery.greeting for delivery in deliveries]
    if not tags.own_unsubscribe:
        if content.greeting is False:  # an email without a greeting has no tag for it
            return [f'{{"to": [{to}], {args}{id_}"}}}}' for to, id_ in zip(tos, ids, strict=True)]
        written = {greeting: _greeting(greeting, tags) for greeting in set(greetings)}
        return [
            f'{{"to": [{to}], "substitutions": {{{said}}}, {args}{id_}"}}}}'
            for to, said, id_ in zip(tos, map(written.__getitem__, greetings), ids, strict=True)
        ]
    found = []
    written = {greeting: _greeting(greeting, tags) for greeting in set(greetings)}
    for delivery, to, id_, url in zip(deliveries, tos, ids, tags.urls, strict=True):
        with_url = delivery  # the URL it carries (the usual case), else the batch's
        if url != delivery.unsubscribe_url:
            with_url = Delivery(delivery.email, delivery.name, delivery.greeting, url)
        target = unsubscribe_target(content, with_url)
        said = [written[delivery.greeting]] if content.greeting is not False else []
        said.append(f"{_string(UNSUBSCRIBE_TEXT)}: {_string(target)}")
        if not tags.one_unsubscribe_tag:
            said.append(f"{_string(UNSUBSCRIBE_HTML)}: {_string(str(escape(target)))}")
        headers = _object(unsubscribe_headers(content, with_url))
        found.append(
            f'{{"to": [{to}], "substitutions": {{{", ".join(said)}}}, '
            f'{args}{id_}"}}, "headers": {headers}}}'
        )
    return found


def _tos(deliveries: Sequence[Delivery]) -> list[str]:
    """Each delivery's ``to``: the address SendGrid takes, and the name (if any)."""
    addresses = list(map(ascii_form, [delivery.email for delivery in deliveries]))
    if None in addresses:  # refused (fatal): the first such delivery, named
        wire(deliveries[addresses.index(None)].email)
    names = [delivery.name or "" for delivery in deliveries]
    if not _as_they_are(names):
        names = list(map(recipient_name, names))
    return [
        f'{{"email": {_string(address)}, "name": {_string(name)}}}'
        if name
        else f'{{"email": {_string(address)}}}'
        for address, name in zip(cast(list[str], addresses), names, strict=True)
    ]


def _as_they_are(names: list[str]) -> bool:
    """Whether :func:`~pressroom.deliver.sendgrid_body.recipient_name` leaves each of
    *names* as it is (the usual case), asked of the whole batch at once: no comma or
    semicolon, nothing unprintable, no two spaces together, none at either end (a
    separator "|" beside a space is taken for an end: only ever a false alarm)."""
    joined = "|".join(names)
    return (
        joined.isprintable()
        and "," not in joined
        and ";" not in joined
        and "  " not in joined
        and " |" not in joined
        and "| " not in joined
        and not joined.startswith(" ")
        and not joined.endswith(" ")
    )


def _greeting(greeting: str, tags: BatchTags) -> str:
    """The greeting's substitutions (the escaped one too, in a batch that needs it)."""
    said = f"{_string(GREETING_TEXT)}: {_string(greeting)}"
    if tags.one_tag:
        return said
    return f"{said}, {_string(GREETING_HTML)}: {_string(str(escape(greeting)))}"


def _object(values: Mapping[str, Any]) -> str:
    """A dict of strings as ``json.dumps`` writes it."""
    return "{" + ", ".join([f"{_string(k)}: {_string(v)}" for k, v in values.items()]) + "}"

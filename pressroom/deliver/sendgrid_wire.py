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
        refuse_duplicates(deliveries)
        if self._checked.get(id(content)) is not content:
            refuse_content(content)  # the same for every batch: once, when it passes
            if len(self._checked) >= _KEPT:
                self._checked.clear()
            self._checked[id(content)] = content
        refuse_unsafe_names(deliveries)
        tags = batch_tags(content, deliveries, unsubscribe_url)
        opening = self._opening(content, attachments, test, tags)
        people = ", ".join(personalizations(content, deliveries, tags))
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
    content: Content, deliveries: Sequence[Delivery], tags: BatchTags
) -> list[str]:
    """Each delivery's personalization as ``json.dumps`` writes
    :func:`~pressroom.deliver.sendgrid_body.mail_body`'s."""
    ids = recipient_ids(content, [delivery.email for delivery in deliveries])
    greeted = content.greeting is not False  # an email without a greeting has no tag for it
    written: dict[str, str] = {}  # each greeting's substitutions: a batch repeats them
    found: list[str] = []
    add = found.append
    args = f'"custom_args": {{{_string(RECIPIENT_ARG)}: "'
    if not tags.own_unsubscribe:
        for delivery, id_ in zip(deliveries, ids, strict=True):
            address = _string(wire(delivery.email))  # _to, written out: once a recipient
            name = recipient_name(delivery.name)
            if name:
                to = f'{{"email": {address}, "name": {_string(name)}}}'
            else:
                to = f'{{"email": {address}}}'
            if greeted:
                said = written.get(delivery.greeting)
                if said is None:
                    said = written[delivery.greeting] = _greeting(delivery.greeting, tags)
                add(f'{{"to": [{to}], "substitutions": {{{said}}}, {args}{id_}"}}}}')
            else:
                add(f'{{"to": [{to}], {args}{id_}"}}}}')
        return found
    for delivery, id_, url in zip(deliveries, ids, tags.urls, strict=True):
        with_url = Delivery(delivery.email, delivery.name, delivery.greeting, url)
        target = unsubscribe_target(content, with_url)
        substitutions = [_greeting(delivery.greeting, tags)] if greeted else []
        substitutions.append(f"{_string(UNSUBSCRIBE_TEXT)}: {_string(target)}")
        if not tags.one_unsubscribe_tag:
            substitutions.append(f"{_string(UNSUBSCRIBE_HTML)}: {_string(str(escape(target)))}")
        headers = _object(unsubscribe_headers(content, with_url))
        add(
            f'{{"to": [{_to(delivery)}], "substitutions": {{{", ".join(substitutions)}}}, '
            f'{args}{id_}"}}, "headers": {headers}}}'
        )
    return found


def _to(delivery: Delivery) -> str:
    address = _string(wire(delivery.email))
    name = recipient_name(delivery.name)
    if name:
        return f'{{"email": {address}, "name": {_string(name)}}}'
    return f'{{"email": {address}}}'


def _greeting(greeting: str, tags: BatchTags) -> str:
    """The greeting's substitutions (the escaped one too, in a batch that needs it)."""
    said = f"{_string(GREETING_TEXT)}: {_string(greeting)}"
    if tags.one_tag:
        return said
    return f"{said}, {_string(GREETING_HTML)}: {_string(str(escape(greeting)))}"


def _object(values: Mapping[str, Any]) -> str:
    """A dict of strings as ``json.dumps`` writes it."""
    return "{" + ", ".join(f"{_string(k)}: {_string(v)}" for k, v in values.items()) + "}"

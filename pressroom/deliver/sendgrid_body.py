"""The body of a SendGrid v3 Mail Send request, piece by piece: pure functions, no I/O.

One request per batch of up to 1,000 recipients carries the release once
(subject, text and HTML, the attachments in base64) and one personalization
per recipient, so SendGrid writes a separate message to each address.

**The greeting.** :class:`~pressroom.deliver.message.Content` has one
placeholder, ``{{greeting}}``, in its text and its HTML. SendGrid's
substitutions replace a tag with the same value everywhere, but the HTML needs
``O&#39;Brien &amp; Co`` where the text needs ``O'Brien & Co``. So the
placeholder becomes :data:`GREETING_TEXT`, and, only in a batch where some
greeting needs escaping, :data:`GREETING_HTML` in the HTML part; each
personalization substitutes the plain greeting for the first and the escaped
one for the second. Tags and keys are short because they are repeated for
every recipient (see docs/performance.md).

Everything SendGrid would refuse whatever is retried (too many recipients,
an address twice, a reserved header, a time more than 72 hours ahead, a
subject or name with a line break) is refused here as a fatal
:class:`~pressroom.deliver.transport.DeliveryFailed`
(:mod:`pressroom.deliver.sendgrid_refusals`).

The body is a dict here (:func:`mail_body`); the transport sends the bytes
:mod:`pressroom.deliver.sendgrid_wire` writes from the same pieces
(:func:`release_part`, the personalizations, :func:`closing_part`), byte for
byte ``json.dumps`` of that dict, with each release's constant part
serialised once.

**Addresses** go in their ASCII form (an internationalised domain in IDNA);
an address with non-ASCII letters before the ``@`` has none, and SendGrid's
API takes only ASCII addresses: :func:`refusal` names such a recipient before
any batch is formed, so that recipient fails alone
(:func:`~pressroom.deliver.sendgrid_refusals.refusal`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markupsafe import escape

from pressroom import clock
from pressroom.deliver.message import (
    GREETING,
    HEADER_TEST,
    TEST_PREFIX,
    UNSUBSCRIBE,
    Attachment,
    Content,
    Delivery,
    mailto_unsubscribe,
    unsubscribe_headers,
    unsubscribe_link,
    unsubscribe_target,
)
from pressroom.deliver.sendgrid_refusals import (  # where they were first defined
    MAX_REQUEST_BYTES as MAX_REQUEST_BYTES,
)
from pressroom.deliver.sendgrid_refusals import (
    MAX_SCHEDULE_AHEAD as MAX_SCHEDULE_AHEAD,
)
from pressroom.deliver.sendgrid_refusals import (
    check_ahead,
    fatal,
    refuse_count,
    refuse_duplicates,
    refuse_reserved,
    refuse_tags,
    refuse_unsafe_content,
    refuse_unsafe_names,
    wire,
)
from pressroom.deliver.transport import Schedule
from pressroom.events.parse import TEST_ARG, TEST_CATEGORY

GREETING_TEXT = "%hi%"
"""The substitution tag for the greeting in the text part (the greeting as it is),
and in the HTML part too when no greeting of the batch needs escaping there."""
GREETING_HTML = "%hi_html%"
"""The substitution tag for the greeting in the HTML part, HTML-escaped, when one needs it."""

UNSUBSCRIBE_TEXT = "%unsub%"
"""The substitution tag for the footer's unsubscribe address: each recipient's own with
``delivery.unsubscribe_url``, else the one SendGrid's subscription tracking puts there."""
UNSUBSCRIBE_HTML = "%unsub_html%"
"""Likewise in the HTML part, HTML-escaped, when an address of the batch needs it."""

TAGS = (GREETING_TEXT, GREETING_HTML, UNSUBSCRIBE_TEXT, UNSUBSCRIBE_HTML)

RECIPIENT_ARG = "rcpt"
"""The ``custom_args`` key of the recipient id: short, as it is repeated for every recipient."""


def mail_body(
    content: Content,
    deliveries: Sequence[Delivery],
    attachments: Sequence[Mapping[str, str]],
    *,
    test: bool = False,
    schedule: Schedule | None = None,
    unsubscribe_url: str | None = None,
) -> dict[str, Any]:
    """The JSON body for *deliveries*; *attachments* from :func:`encode_attachments`.

    *unsubscribe_url* (``{email}`` replaced by the address) is used for a
    delivery that carries none of its own. With a URL, each message gets
    one-click ``List-Unsubscribe`` headers; without any, SendGrid's own
    subscription tracking.
    """
    refuse_count(deliveries)
    refuse_duplicates(deliveries)
    refuse_content(content)
    refuse_unsafe_names(deliveries)
    tags = batch_tags(content, deliveries, unsubscribe_url)
    body = release_part(content, attachments, test, tags.html_tag, tags.unsubscribe_html_tag)
    body["personalizations"] = [
        _personalization(
            content, delivery, url, tags.own_unsubscribe, tags.one_tag, tags.one_unsubscribe_tag
        )
        for delivery, url in zip(deliveries, tags.urls, strict=True)
    ]
    body.update(closing_part(tags.own_unsubscribe, schedule))
    return body


@dataclass(frozen=True)
class BatchTags:
    """What one batch decides for all its personalizations: which tags the HTML part
    holds (an escaped tag only when some value of the batch needs escaping there),
    each delivery's own unsubscribe URL (None without one), and whether any has one."""

    urls: list[str | None]
    own_unsubscribe: bool
    one_tag: bool
    one_unsubscribe_tag: bool

    @property
    def html_tag(self) -> str:
        return GREETING_TEXT if self.one_tag else GREETING_HTML

    @property
    def unsubscribe_html_tag(self) -> str:
        return UNSUBSCRIBE_TEXT if self.one_unsubscribe_tag else UNSUBSCRIBE_HTML


def batch_tags(
    content: Content, deliveries: Sequence[Delivery], unsubscribe_url: str | None
) -> BatchTags:
    """The :class:`BatchTags` of *deliveries*."""
    one_tag = _as_is_in_html({d.greeting for d in deliveries})  # a batch repeats them
    if unsubscribe_url is None and not any([d.unsubscribe_url for d in deliveries]):
        return BatchTags([None] * len(deliveries), False, one_tag, True)
    urls = [_unsubscribe_url(delivery, unsubscribe_url) for delivery in deliveries]
    own_unsubscribe = any(urls)
    targets = [url or mailto_unsubscribe(content.sender) for url in urls]
    one_unsubscribe_tag = not own_unsubscribe or _as_is_in_html(targets)
    return BatchTags(urls, own_unsubscribe, one_tag, one_unsubscribe_tag)


def _as_is_in_html(texts: Iterable[str]) -> bool:
    """Whether HTML escaping leaves every one of *texts* as it is (it escapes each
    character on its own, so all of them joined are asked at once)."""
    joined = "".join(texts)
    return str(escape(joined)) == joined


def release_part(
    content: Content,
    attachments: Sequence[Mapping[str, str]],
    test: bool,
    html_tag: str,
    unsubscribe_html_tag: str,
) -> dict[str, Any]:
    """The body's keys before ``personalizations``: the same for every batch of *content*
    whose tags are the same (the subject, the parts, the attachments, the headers)."""
    body: dict[str, Any] = {
        "from": _address(content.sender, content.sender_name),
        "subject": (TEST_PREFIX if test else "") + content.subject,
        "content": [
            {
                "type": "text/plain",
                "value": content.text.replace(UNSUBSCRIBE, UNSUBSCRIBE_TEXT).replace(
                    GREETING, GREETING_TEXT
                ),
            },
            {
                "type": "text/html",
                "value": content.html.replace(UNSUBSCRIBE, unsubscribe_html_tag).replace(
                    GREETING, html_tag
                ),
            },
        ],
    }
    if content.reply_to:
        body["reply_to"] = {"email": wire(content.reply_to)}
    if attachments:
        body["attachments"] = attachments  # the same object every batch: encoded once
    headers = dict(content.headers)
    if test:
        headers[HEADER_TEST] = "yes"
    refuse_reserved(headers)
    body["headers"] = headers
    body["categories"] = _categories(content, test)
    body["custom_args"] = {
        "pressroom_release": content.release,
        "pressroom_version": content.version,
        **({TEST_ARG: "yes"} if test else {}),  # its events never suppress the writer
    }
    return body


def closing_part(own_unsubscribe: bool, schedule: Schedule | None) -> dict[str, Any]:
    """The body's keys after ``personalizations``: tracking, and the schedule's time."""
    # Our one-click header and link, or SendGrid's: never both. SendGrid puts
    # its link where the tag is (in our footer) instead of adding a footer of its own.
    tracking: dict[str, Any] = {"enable": not own_unsubscribe}
    if not own_unsubscribe:
        tracking["substitution_tag"] = UNSUBSCRIBE_TEXT
    body: dict[str, Any] = {"tracking_settings": {"subscription_tracking": tracking}}
    if schedule is not None:
        check_ahead(schedule.send_at, clock.now(), fatal)
        body["send_at"] = int(schedule.send_at.timestamp())
        if schedule.batch_id:
            body["batch_id"] = schedule.batch_id
    return body


def refuse_content(content: Content) -> None:
    """What SendGrid would refuse in the release itself, the same for every batch: a
    substitution tag in its text, a line break in its subject, sender or headers."""
    for part in (content.subject, content.text, content.html):
        refuse_tags(part, TAGS)
    refuse_unsafe_content(content)


def encode_attachments(attachments: Sequence[Attachment]) -> list[dict[str, str]]:
    """SendGrid's attachments; a picture the HTML shows (``cid:``) goes inline."""
    encoded = []
    for a in attachments:
        one = {
            "content": base64.b64encode(a.data).decode("ascii"),
            "type": a.content_type,
            "filename": a.filename,
            "disposition": "inline" if a.content_id else "attachment",
        }
        if a.content_id:
            one["content_id"] = a.content_id
        encoded.append(one)
    return encoded


def _unsubscribe_url(delivery: Delivery, template: str | None) -> str | None:
    if delivery.unsubscribe_url:
        return delivery.unsubscribe_url
    return unsubscribe_link(template, delivery.email) if template else None


def recipient_id(content: Content, address: str) -> str:
    """An opaque id for *address* in SendGrid's event data: a hash, not the address.

    Keyed by the release version, so the same person cannot be followed from
    one release to the next by this id; pressroom, which knows the address and
    the version, can compute it again.
    """
    digest = _hashed_version(content.version).copy()  # the version's part hashed once
    digest.update(address.strip().lower().encode())
    # 48 bits in 8 URL-safe characters: repeated for every recipient, so kept short
    return binascii.b2a_base64(digest.digest()[:6], newline=False).translate(_URL_SAFE).decode()


def recipient_ids(content: Content, addresses: Iterable[str]) -> list[str]:
    """:func:`recipient_id` of each of *addresses*, the same values, a batch at a time."""
    return keyed_ids(content, [address.strip().lower() for address in addresses])


def keyed_ids(content: Content, keys: Iterable[str]) -> list[str]:
    """:func:`recipient_ids` of addresses already stripped and in lower case (*keys*):
    each hashed on from the version's part, and 6 bytes being 8 base64 characters
    without padding, all of them encoded at once."""
    copy = _hashed_version(content.version).copy
    keys = list(keys)
    encoded = "\n".join(keys).encode().split(b"\n")  # one encoding for the batch
    if len(encoded) != len(keys):  # a key holding a line break: each on its own
        encoded = [key.encode() for key in keys]
    digests = []
    for key in encoded:
        digest = copy()
        digest.update(key)
        digests.append(digest.digest()[:6])
    text = binascii.b2a_base64(b"".join(digests), newline=False).translate(_URL_SAFE).decode()
    return [text[start : start + 8] for start in range(0, len(text), 8)]


_URL_SAFE = bytes.maketrans(b"+/", b"-_")
"""What ``base64.urlsafe_b64encode`` changes in standard base64."""


@lru_cache(maxsize=16)
def _hashed_version(version: str) -> Any:
    """SHA-256 fed with ``version`` and a NUL: each recipient's id goes on from a copy."""
    return hashlib.sha256(f"{version}\0".encode())


def _personalization(
    content: Content,
    delivery: Delivery,
    url: str | None,
    own_unsubscribe: bool,
    one_tag: bool,
    one_unsubscribe_tag: bool,
) -> dict[str, Any]:
    to = {"email": wire(delivery.email)}
    name = recipient_name(delivery.name)
    if name:
        to["name"] = name
    substitutions: dict[str, str] = {}
    if content.greeting is not False:  # an email without a greeting has no tag for it
        substitutions[GREETING_TEXT] = delivery.greeting
        if not one_tag:
            substitutions[GREETING_HTML] = str(escape(delivery.greeting))
    one: dict[str, Any] = {
        "to": [to],
        "substitutions": substitutions,
        "custom_args": {RECIPIENT_ARG: recipient_id(content, delivery.email)},
    }
    if own_unsubscribe:
        with_url = Delivery(delivery.email, delivery.name, delivery.greeting, url)
        one["headers"] = unsubscribe_headers(content, with_url)
        target = unsubscribe_target(content, with_url)
        substitutions[UNSUBSCRIBE_TEXT] = target
        if not one_unsubscribe_tag:
            substitutions[UNSUBSCRIBE_HTML] = str(escape(target))
    if not substitutions:
        del one["substitutions"]
    return one


def _address(email: str, name: str | None) -> dict[str, str]:
    return {"email": wire(email), "name": name} if name else {"email": wire(email)}


def recipient_name(name: str | None) -> str:
    """SendGrid misreads a comma or a semicolon in a recipient's name as a second address."""
    if not name:
        return ""
    if "," in name or ";" in name:
        name = name.replace(",", " ").replace(";", " ")
    if name.isprintable() and "  " not in name and name[0] != " " and name[-1] != " ":
        return name  # no whitespace but single spaces between words: as split and joined
    return " ".join(name.split())


def _categories(content: Content, test: bool) -> list[str]:
    """At most 10, ASCII, 255 characters each: SendGrid's limits."""
    release = "".join(c for c in content.release if c.isascii() and c.isprintable())[:255]
    categories = ["pressroom"] + ([release] if release else [])
    return categories + [TEST_CATEGORY] if test else categories

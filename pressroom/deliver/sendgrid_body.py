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
:class:`~pressroom.deliver.transport.DeliveryFailed`.

**Addresses** go in their ASCII form (an internationalised domain in IDNA);
an address with non-ASCII letters before the ``@`` has none, and SendGrid's
API takes only ASCII addresses: :func:`refusal` names such a recipient before
any batch is formed, so that recipient fails alone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
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
from pressroom.deliver.transport import DeliveryFailed, Schedule
from pressroom.events.parse import TEST_ARG, TEST_CATEGORY
from pressroom.model.address import ascii_form
from pressroom.model.header import UnsafeHeader, require_header_safe

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

RECIPIENT_ARG = "rcpt"
"""The ``custom_args`` key of the recipient id: short, as it is repeated for every recipient."""

MAX_REQUEST_BYTES = 30_000_000
"""SendGrid refuses a request body (JSON, attachments in base64 included) over 30 MB."""
MAX_PERSONALIZATIONS = 1000
MAX_SCHEDULE_AHEAD = timedelta(hours=72)
"""SendGrid holds a scheduled message for at most 72 hours."""

RESERVED_HEADERS = frozenset(
    name.lower()
    for name in (
        "x-sg-id",
        "x-sg-eid",
        "received",
        "dkim-signature",
        "Content-Type",
        "Content-Transfer-Encoding",
        "To",
        "From",
        "Subject",
        "Reply-To",
        "CC",
        "BCC",
    )
)
"""Headers SendGrid sets itself and refuses in a request."""


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
    if len(deliveries) > MAX_PERSONALIZATIONS:
        raise DeliveryFailed(
            f"{len(deliveries)} recipients in one batch; SendGrid takes at most "
            f"{MAX_PERSONALIZATIONS} per request",
            fatal=True,
        )
    _refuse_duplicates(deliveries)
    for part in (content.subject, content.text, content.html):
        _refuse_tags(part)
    _refuse_unsafe(content, deliveries)
    greetings = {d.greeting for d in deliveries}  # a batch repeats its greetings
    one_tag = all(str(escape(greeting)) == greeting for greeting in greetings)
    urls = [_unsubscribe_url(delivery, unsubscribe_url) for delivery in deliveries]
    own_unsubscribe = any(urls)
    targets = [url or mailto_unsubscribe(content.sender) for url in urls]
    one_unsubscribe_tag = not own_unsubscribe or all(str(escape(t)) == t for t in targets)
    html_tag = GREETING_TEXT if one_tag else GREETING_HTML
    unsubscribe_html_tag = UNSUBSCRIBE_TEXT if one_unsubscribe_tag else UNSUBSCRIBE_HTML
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
        body["reply_to"] = {"email": _wire(content.reply_to)}
    if attachments:
        body["attachments"] = attachments  # the same object every batch: encoded once
    headers = dict(content.headers)
    if test:
        headers[HEADER_TEST] = "yes"
    _refuse_reserved(headers)
    body["headers"] = headers
    body["categories"] = _categories(content, test)
    body["custom_args"] = {
        "pressroom_release": content.release,
        "pressroom_version": content.version,
        **({TEST_ARG: "yes"} if test else {}),  # its events never suppress the writer
    }
    body["personalizations"] = [
        _personalization(content, delivery, url, own_unsubscribe, one_tag, one_unsubscribe_tag)
        for delivery, url in zip(deliveries, urls, strict=True)
    ]
    # Our one-click header and link, or SendGrid's: never both. SendGrid puts
    # its link where the tag is (in our footer) instead of adding a footer of its own.
    tracking: dict[str, Any] = {"enable": not own_unsubscribe}
    if not own_unsubscribe:
        tracking["substitution_tag"] = UNSUBSCRIBE_TEXT
    body["tracking_settings"] = {"subscription_tracking": tracking}
    if schedule is not None:
        check_ahead(schedule.send_at, clock.now(), _fatal)
        body["send_at"] = int(schedule.send_at.timestamp())
        if schedule.batch_id:
            body["batch_id"] = schedule.batch_id
    return body


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


_URL_SAFE = bytes.maketrans(b"+/", b"-_")
"""What ``base64.urlsafe_b64encode`` changes in standard base64."""


@lru_cache(maxsize=16)
def _hashed_version(version: str) -> Any:
    """SHA-256 fed with ``version`` and a NUL: each recipient's id goes on from a copy."""
    return hashlib.sha256(f"{version}\0".encode())


def refusal(delivery: Delivery) -> str | None:
    """Why SendGrid cannot take *delivery*'s address, or None."""
    if ascii_form(delivery.email) is None:
        return (
            f"{delivery.email}: SendGrid takes no address with non-ASCII letters before "
            "the @; not sent to this address (send it through SMTP with a server that "
            "offers SMTPUTF8, or ask the journalist for an ASCII address)"
        )
    return None


def _wire(address: str) -> str:
    """The address as SendGrid takes it: ASCII, the domain in IDNA."""
    wire = ascii_form(address)
    if wire is None:
        raise DeliveryFailed(
            f"{address}: SendGrid takes no address with non-ASCII letters before the @",
            fatal=True,
        )
    return wire


def _refuse_unsafe(content: Content, deliveries: Sequence[Delivery]) -> None:
    """A subject or name with a line break or control character: never normalised away."""
    try:
        require_header_safe(content.subject, "the subject")
        require_header_safe(content.sender_name or "", "the sender's name")
        for name, value in content.headers.items():
            require_header_safe(value, name)
        for delivery in deliveries:
            require_header_safe(delivery.name or "", f"the name of {delivery.email}")
    except UnsafeHeader as exc:
        raise DeliveryFailed(str(exc), fatal=True) from None


def _personalization(
    content: Content,
    delivery: Delivery,
    url: str | None,
    own_unsubscribe: bool,
    one_tag: bool,
    one_unsubscribe_tag: bool,
) -> dict[str, Any]:
    to = {"email": _wire(delivery.email)}
    name = _recipient_name(delivery.name)
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
    return {"email": _wire(email), "name": name} if name else {"email": _wire(email)}


def _recipient_name(name: str | None) -> str:
    """SendGrid misreads a comma or a semicolon in a recipient's name as a second address."""
    if not name:
        return ""
    if "," in name or ";" in name:
        name = name.replace(",", " ").replace(";", " ")
    if name.isprintable() and "  " not in name and name[0] != " " and name[-1] != " ":
        return name  # no whitespace but single spaces between words: as split and joined
    return " ".join(name.split())


def _refuse_tags(part: str) -> None:
    """SendGrid would replace a tag the release itself contains: refuse, never garble."""
    for tag in (GREETING_TEXT, GREETING_HTML, UNSUBSCRIBE_TEXT, UNSUBSCRIBE_HTML):
        if tag in part:
            raise DeliveryFailed(
                f"the email contains {tag!r}, which pressroom uses for the greeting "
                "with SendGrid: reword it in the release",
                fatal=True,
            )


def _categories(content: Content, test: bool) -> list[str]:
    """At most 10, ASCII, 255 characters each: SendGrid's limits."""
    release = "".join(c for c in content.release if c.isascii() and c.isprintable())[:255]
    categories = ["pressroom"] + ([release] if release else [])
    return categories + [TEST_CATEGORY] if test else categories


def _refuse_duplicates(deliveries: Sequence[Delivery]) -> None:
    seen: set[str] = set()
    for delivery in deliveries:
        key = delivery.email.strip().lower()
        if key in seen:
            raise DeliveryFailed(
                f"{delivery.email} is twice in one batch; SendGrid refuses an address twice "
                "in one request",
                fatal=True,
            )
        seen.add(key)


def _refuse_reserved(headers: Mapping[str, str]) -> None:
    reserved = sorted(name for name in headers if name.lower() in RESERVED_HEADERS)
    if reserved:
        raise DeliveryFailed(
            f"SendGrid sets the header{'s' if len(reserved) > 1 else ''} "
            f"{', '.join(reserved)} itself and refuses {'them' if len(reserved) > 1 else 'it'} "
            "in a request",
            fatal=True,
        )


def check_ahead(send_at: datetime, now: datetime, error: Callable[[str], Exception]) -> None:
    ahead = send_at - now
    if ahead > MAX_SCHEDULE_AHEAD:
        hours = ahead.total_seconds() / 3600
        latest = (now + MAX_SCHEDULE_AHEAD).isoformat(timespec="minutes")
        raise error(
            f"{send_at.isoformat()} is {hours:.0f} hours ahead; SendGrid holds scheduled "
            f"messages for at most 72 hours (until {latest}): schedule it later"
        )


def _fatal(reason: str) -> DeliveryFailed:
    return DeliveryFailed(reason, fatal=True)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def too_large(content: Content, size: int) -> str:
    files = ", ".join(f"{a.filename} {_megabytes(len(a.data))}" for a in content.attachments)
    return (
        f"the request to SendGrid would be {_megabytes(size)}, over its limit of "
        f"{_megabytes(MAX_REQUEST_BYTES)} (attachments: {files or 'none'}; base64 makes each "
        "a third larger): attach fewer or smaller files (distribution.attach in the release)"
    )

"""What SendGrid refuses whatever is retried, checked before a request is sent.

Too many recipients, an address twice, a reserved header, a time more than 72
hours ahead, a subject or name with a line break, a request over 30 MB: each
is refused as a fatal :class:`~pressroom.deliver.transport.DeliveryFailed`
(the same for every batch), and an address SendGrid cannot take at all
(:func:`refusal`) fails its recipient alone. Used by
:mod:`pressroom.deliver.sendgrid_body`, which builds the request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from pressroom.deliver.message import Content, Delivery
from pressroom.deliver.transport import DeliveryFailed
from pressroom.model.address import ascii_form
from pressroom.model.header import UnsafeHeader, first_unsafe, require_header_safe

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


def refusal(delivery: Delivery) -> str | None:
    """Why SendGrid cannot take *delivery*'s address, or None."""
    if ascii_form(delivery.email) is None:
        return (
            f"{delivery.email}: SendGrid takes no address with non-ASCII letters before "
            "the @; not sent to this address (send it through SMTP with a server that "
            "offers SMTPUTF8, or ask the journalist for an ASCII address)"
        )
    return None


def refusals(deliveries: Sequence[Delivery]) -> list[str | None]:
    """:func:`refusal` of each of *deliveries*: none when every address is ASCII (an
    address has an ASCII form unless its local part has non-ASCII letters)."""
    if "".join([delivery.email for delivery in deliveries]).isascii():
        return [None] * len(deliveries)
    return [refusal(delivery) for delivery in deliveries]


def wire(address: str) -> str:
    """The address as SendGrid takes it: ASCII, the domain in IDNA."""
    wire = ascii_form(address)
    if wire is None:
        raise DeliveryFailed(
            f"{address}: SendGrid takes no address with non-ASCII letters before the @",
            fatal=True,
        )
    return wire


def refuse_unsafe(content: Content, deliveries: Sequence[Delivery]) -> None:
    """A subject or name with a line break or control character: never normalised away."""
    refuse_unsafe_content(content)
    refuse_unsafe_names(deliveries)


def refuse_unsafe_content(content: Content) -> None:
    """:func:`refuse_unsafe`'s checks of the release: the subject, the sender, the headers."""
    try:
        require_header_safe(content.subject, "the subject")
        require_header_safe(content.sender_name or "", "the sender's name")
        for name, value in content.headers.items():
            require_header_safe(value, name)
    except UnsafeHeader as exc:
        raise DeliveryFailed(str(exc), fatal=True) from None


def refuse_unsafe_names(deliveries: Sequence[Delivery]) -> None:
    """:func:`refuse_unsafe`'s checks of the recipients' names."""
    if first_unsafe("".join([d.name or "" for d in deliveries])) is None:
        return  # no name of the batch holds one (the usual case): all checked at once
    try:
        for delivery in deliveries:
            require_header_safe(delivery.name or "", f"the name of {delivery.email}")
    except UnsafeHeader as exc:
        raise DeliveryFailed(str(exc), fatal=True) from None


def refuse_tags(part: str, tags: Sequence[str]) -> None:
    """SendGrid would replace a tag the release itself contains: refuse, never garble."""
    for tag in tags:
        if tag in part:
            raise DeliveryFailed(
                f"the email contains {tag!r}, which pressroom uses for the greeting "
                "with SendGrid: reword it in the release",
                fatal=True,
            )


def refuse_duplicates(deliveries: Sequence[Delivery], keys: Sequence[str] | None = None) -> None:
    """The same address twice in a batch (in any case): SendGrid refuses the request.
    *keys*: each delivery's address stripped and in lower case, when already made."""
    if keys is None:
        keys = [d.email.strip().lower() for d in deliveries]
    if len(set(keys)) == len(deliveries):
        return  # none twice (the usual case); else find the first, to name it
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


def refuse_reserved(headers: Mapping[str, str]) -> None:
    """A header SendGrid sets itself: it refuses the request."""
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


def fatal(reason: str) -> DeliveryFailed:
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


def refuse_count(deliveries: Sequence[Delivery]) -> None:
    """More personalizations than one request takes."""
    if len(deliveries) > MAX_PERSONALIZATIONS:
        raise DeliveryFailed(
            f"{len(deliveries)} recipients in one batch; SendGrid takes at most "
            f"{MAX_PERSONALIZATIONS} per request",
            fatal=True,
        )

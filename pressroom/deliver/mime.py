"""The RFC 5322 message of one :class:`~pressroom.deliver.message.Delivery`, for the
outbox and SMTP: headers as mail providers read them, both parts quoted-printable,
the attachments' parts made once per release and shared by every message."""

from __future__ import annotations

import re
from email import policy
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime, make_msgid

from pressroom import clock
from pressroom.deliver.message import (
    HEADER_TEST,
    TEST_PREFIX,
    Attachment,
    Content,
    Delivery,
    personal_html,
    personal_text,
    unsubscribe_headers,
)
from pressroom.model.address import ascii_form, needs_smtputf8
from pressroom.model.header import require_header_safe


class ListUnsubscribeHeader(UnstructuredHeader, BaseHeader):
    """``List-Unsubscribe`` as mail providers read it (RFC 2369): the literal
    ``<https://...>, <mailto:...>``, one address a line when folded.

    The standard folding turns a line too long to fold at a space (a long
    unsubscribe URL) into RFC 2047 encoded-words, ``=?utf-8?q?=3Chttps...``,
    which no provider decodes there. The addresses are ASCII without spaces
    (DeliverySettings and :func:`unsubscribe_link` see to it), so each may
    stand on a line of its own, within RFC 5322's 998 characters.
    """

    def fold(self, *, policy: policy.Policy) -> str:
        targets = re.findall(r"<[^<>]*>", str(self)) or [str(self)]
        linesep = policy.linesep
        return f"{self.name}: " + f",{linesep} ".join(targets) + linesep


_HEADERS = HeaderRegistry()


_HEADERS.map_to_type("list-unsubscribe", ListUnsubscribeHeader)


MESSAGE_POLICY = policy.default.clone(header_factory=_HEADERS)


"""The default policy, with :class:`ListUnsubscribeHeader` (a registry of its
own: the standard library's shared one is left alone)."""


def mailbox(name: str | None, address: str) -> Address:
    """A From/To/Reply-To mailbox: the domain in ASCII (IDNA); the local part as
    written, which needs SMTPUTF8 when it is not ASCII (:func:`uses_smtputf8`)."""
    require_header_safe(name or "", "the name")
    wire = ascii_form(address)
    if wire is not None:
        return Address(name or "", addr_spec=wire)
    local, _, domain = address.rpartition("@")
    return Address(name or "", username=local, domain=domain)


def uses_smtputf8(content: Content, delivery: Delivery | None = None) -> bool:
    """Whether the message needs SMTPUTF8 (an address with non-ASCII before the ``@``)."""
    addresses = [content.sender, content.reply_to or ""] + ([delivery.email] if delivery else [])
    return any(needs_smtputf8(a) for a in addresses if a)


def as_bytes(message: EmailMessage, smtputf8: bool) -> bytes:
    """The message as sent: CRLF line ends; UTF-8 headers (RFC 6532) only when needed."""
    return message.as_bytes(policy=policy.SMTPUTF8 if smtputf8 else policy.SMTP)


def cannot_build(exc: Exception) -> str:
    """Why a message could not be built, for the send log (nothing was sent)."""
    return str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"


def mime_message(content: Content, delivery: Delivery, test: bool = False) -> EmailMessage:
    """The RFC 5322 message for one recipient.

    ``multipart/mixed``: a ``multipart/alternative`` (text/plain first, then
    text/html), then the attachments. Serialise it with :func:`as_bytes`
    (CRLF line ends), as :class:`~pressroom.deliver.outbox.Outbox` does.

    Raises :class:`~pressroom.model.header.UnsafeHeader` (a ValueError) when a
    name or the subject holds a character no header can (the models refuse
    them when files are read: this is the second wall).
    """
    msg = EmailMessage(policy=MESSAGE_POLICY)
    msg["From"] = mailbox(content.sender_name, content.sender)
    msg["To"] = mailbox(delivery.name, delivery.email)
    if content.reply_to:
        msg["Reply-To"] = mailbox(None, content.reply_to)
    subject = (TEST_PREFIX if test else "") + content.subject
    msg["Subject"] = require_header_safe(subject, "the subject")
    msg["Date"] = format_datetime(clock.now())
    msg["Message-ID"] = make_msgid(domain=content.sender_domain)
    for name, value in unsubscribe_headers(content, delivery).items():
        msg[name] = value
    headers = {name: require_header_safe(value, name) for name, value in content.headers.items()}
    for name, value in headers.items():
        if not name.lower().startswith("content-"):
            msg[name] = value
    if test:
        msg[HEADER_TEST] = "yes"
    # quoted-printable: 7-bit lines a DKIM signature survives through a relay without
    # 8BITMIME (it would re-encode an 8bit part and break the body hash)
    text, html = personal_text(content, delivery), personal_html(content, delivery)
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    html_part = msg.get_body(("html",))
    for attachment, part in zip(content.attachments, _parts_of(content.attachments), strict=True):
        if attachment.content_id and html_part is not None:
            # multipart/related: the picture travels with the HTML that shows it
            _attach(html_part, "related", part)
            continue
        _attach(msg, "mixed", part)
    for name, value in headers.items():  # Content-Language: last, as setting the body
        if name.lower().startswith("content-"):  # and making it multipart move Content-*
            msg[name] = value
    return msg


def _attach(container: MIMEPart, subtype: str, part: EmailMessage) -> None:
    """What ``add_related`` and ``add_attachment`` do, with a part made beforehand."""
    if container.get_content_maintype() != "multipart" or container.get_content_subtype() != (
        subtype
    ):
        getattr(container, f"make_{subtype}")()
    container.attach(part)


_shared: tuple[tuple[Attachment, ...], list[EmailMessage]] | None = None


def _parts_of(attachments: tuple[Attachment, ...]) -> list[EmailMessage]:
    """The MIME parts of *attachments*, encoded once per release (the same for every
    recipient, and never changed by a message they are put in): the last release's
    are kept, as the SendGrid transport keeps its base64."""
    global _shared
    if _shared is None or _shared[0] is not attachments:
        _shared = (attachments, [_part(attachment) for attachment in attachments])
    return _shared[1]


def _part(attachment: Attachment) -> EmailMessage:
    """One attachment's part, as ``add_related`` (an inline picture of the HTML) or
    ``add_attachment`` would make it."""
    maintype, _, subtype = attachment.content_type.partition("/")
    part = EmailMessage(policy=MESSAGE_POLICY)
    if attachment.content_id:
        part.set_content(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            cid=f"<{attachment.content_id}>",
            filename=attachment.filename,
            disposition="inline",
        )
        return part
    params = {"charset": "utf-8"} if maintype == "text" else {}
    part.set_content(
        attachment.data,
        maintype=maintype,
        subtype=subtype,
        filename=attachment.filename,
        params=params,
    )
    if "content-disposition" not in part:
        part["Content-Disposition"] = "attachment"
    return part

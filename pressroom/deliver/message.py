"""What is sent, independent of how: one :class:`Content` per release version,
one :class:`Delivery` per recipient, and the RFC 5322 message they make.

The content is rendered once, with the placeholder :data:`GREETING` where each
recipient's greeting goes ("Dear Ana,"). A transport either fills it in per
message (:func:`mime_message`, used by the outbox and SMTP) or hands it to
its provider as a substitution (SendGrid), so the release is rendered once
however many people receive it. Jinja's autoescape leaves ``{{greeting}}``
as it is (it escapes only ``& < > ' "``), in the HTML and the text part.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import escape

from pressroom import clock
from pressroom.errors import NotReadyToSend, Problem, RenderError
from pressroom.i18n.labels import Words, words_for
from pressroom.model.address import ascii_form, needs_smtputf8
from pressroom.model.contacts import Addressee, Recipient
from pressroom.model.greeting import greeting_of
from pressroom.model.header import UnsafeHeader, require_header_safe
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render import ics
from pressroom.render.context import Document
from pressroom.sendlog.version import release_version

if TYPE_CHECKING:
    import jinja2

GREETING = "{{greeting}}"
"""Where the recipient's greeting goes in :attr:`Content.html` and :attr:`Content.text`."""
UNSUBSCRIBE = "{{unsubscribe}}"
"""Where the recipient's unsubscribe address goes (the footer's link), likewise."""

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "vcard": "text/vcard",
    "ics": "text/calendar",
}

PICTURE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
"""The pictures an email may carry, by what Pillow reads in the file."""

HEADER_RELEASE = "X-Pressroom-Release"
HEADER_VERSION = "X-Pressroom-Version"
HEADER_TEST = "X-Pressroom-Test"
TEST_PREFIX = "[TEST] "


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "application/pdf"; text types are UTF-8
    data: bytes
    content_id: str | None = None
    """Set for a picture shown in the HTML (``<img src="cid:...">``): sent inline."""


@dataclass(frozen=True)
class Content:
    """What every recipient of one version of a release receives."""

    subject: str
    html: str  # with GREETING where the greeting goes
    text: str  # likewise
    sender: str
    sender_name: str | None
    reply_to: str | None
    attachments: tuple[Attachment, ...]
    headers: dict[str, str]  # X-Pressroom-Release, X-Pressroom-Version
    release: str  # the release's name
    version: str  # a hash of the release and room: ids only, no personal data
    words: Words = field(default_factory=lambda: words_for("en"), compare=False)
    """The words of the release's language: each recipient's greeting is written in it."""
    greeting: bool | str = True
    """The release's greeting (:func:`pressroom.model.greeting.greeting_of`): ``False``
    when the email has none (no :data:`GREETING` in it)."""

    @property
    def sender_domain(self) -> str:
        return self.sender.rpartition("@")[2]


@dataclass(frozen=True)
class Delivery:
    """One recipient of a :class:`Content`."""

    email: str
    name: str | None
    greeting: str
    unsubscribe_url: str | None = None

    @classmethod
    def to(
        cls,
        recipient: Recipient | Addressee,
        unsubscribe_url: str | None = None,
        words: Words | None = None,
        wording: bool | str = True,
    ) -> Delivery:
        greeting = greeting_for(recipient, words, wording)
        return cls(recipient.email, recipient.name, greeting, unsubscribe_url)


def greeting_for(
    recipient: Recipient | Addressee, words: Words | None = None, wording: bool | str = True
) -> str:
    """``Dear Ana,`` with a first name, ``Hello,`` without one (in *words*' language).

    *wording* is the release's ``greeting``: ``False`` gives ``""`` (the email has no
    greeting), a text (msgid form, ``%(name)s``) is used instead of ``Dear Ana,``.
    """
    words = words or words_for("en")
    if wording is False:
        return ""
    first = " ".join((recipient.first_name or "").split())
    if isinstance(wording, str):
        if first or "%(name)s" not in wording:
            return wording % {"name": first}
        return words("Hello,")
    return words("Dear %(name)s,", name=first) if first else words("Hello,")


def slug(text: str) -> str:
    """A file-name-safe form of *text*: ``Marisol Ortega`` -> ``marisol-ortega``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "contact"


def attachments_for(
    doc: Document,
    release: Release,
    artefacts: Mapping[str, bytes],
    uid_domain: str | None = None,
    page_url: str | None = None,
) -> tuple[Attachment, ...]:
    """The files ``distribution.attach`` asks for, in its order.

    *artefacts* holds the rendered ``pdf`` and ``docx`` (by format); the
    vCards and the ``.ics`` are made here (with *uid_domain* in its UID and
    *page_url*, the release's newsroom page, as its URL). A requested file
    that is missing is an error: a release is never sent without the
    attachment it promises.
    """
    where = f"{release.source or release.name}: distribution.attach"
    files: list[Attachment] = []
    for kind in release.distribution.attach:
        if kind in ("pdf", "docx"):
            data = artefacts.get(kind)
            if not data:
                raise RenderError(f"{where}: asks for {kind}, but no {kind} was rendered")
            files.append(Attachment(f"{doc.name}.{kind}", CONTENT_TYPES[kind], data))
        elif kind == "ics":
            if doc.event is None:
                raise RenderError(
                    f"{where}: asks for ics, but the release has no event "
                    "(add event:, or remove ics)"
                )
            domain = uid_domain or ics.uid_domain(None, doc.org.website)
            data = ics.render_ics(doc, domain, url=page_url)
            files.append(Attachment(f"{doc.name}.ics", CONTENT_TYPES["ics"], data))
        elif kind == "images":
            names: set[str] = set()
            for image in doc.images:
                files.append(picture(Path(image.path), unique(image.filename, names)))
        elif kind == "vcard":
            from pressroom.render.vcard import render_vcard

            used: set[str] = set()
            for contact in doc.contacts:
                name = slug(contact.name)
                n = 2
                while name in used:
                    name, n = f"{slug(contact.name)}-{n}", n + 1
                used.add(name)
                data = render_vcard(contact, doc.org, doc.words)
                files.append(Attachment(f"{name}.vcf", CONTENT_TYPES["vcard"], data))
    return tuple(files)


def unique(name: str, used: set[str]) -> str:
    """*name*, or ``2-name``, ``3-name``... when it is in *used* (then added to it)."""
    found, n = name, 2
    while found in used:
        found, n = f"{n}-{name}", n + 1
    used.add(found)
    return found


def picture(path: Path, filename: str, content_id: str | None = None) -> Attachment:
    """A JPEG or PNG file as an attachment, typed by what it is, not by its name."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as opened:
            kind = opened.format or ""
    except (OSError, UnidentifiedImageError):
        kind = ""
    content_type = PICTURE_TYPES.get(kind)
    if content_type is None:
        raise RenderError(f"{path.name}: not a JPEG or PNG picture; save it as one to send it")
    return Attachment(filename, content_type, path.read_bytes(), content_id)


def logo_attachment(doc: Document, domain: str) -> Attachment | None:
    """The logo, inline, when the email shows it and no newsroom hosts it."""
    if doc.org.logo is None or doc.org.logo_url:
        return None
    logo = Path(doc.org.logo)
    return picture(logo, logo.name, content_id=f"logo@{domain}")


def _check_weight(room: Room, release: Release, files: tuple[Attachment, ...]) -> None:
    from pressroom.check import email_weight as weight

    reason = weight.too_heavy(((f.filename, len(f.data)) for f in files), room.config)
    if reason:
        raise NotReadyToSend(
            [
                Problem(
                    release.source or release.name,
                    reason,
                    key="distribution.attach",
                    hint=weight.HINT,
                    code=weight.CODE,
                )
            ]
        )


def _check_sendable(room: Room) -> None:
    config = room.config
    problems = []
    if not config.sender.email:
        problems.append(
            Problem(
                "pressroom.yaml",
                "a sender address is required to send",
                key="sender.email",
                hint="add it under sender:, e.g. `email: press@example.org`",
            )
        )
    if not config.org.address:
        problems.append(
            Problem(
                "pressroom.yaml",
                "the organisation's postal address is required to send "
                "(it is shown in every email's footer, as CAN-SPAM requires)",
                key="org.address",
                hint="add it under org:, e.g. `address: 100 Main St, Oakland, CA 94612`",
            )
        )
    if problems:
        raise NotReadyToSend(problems)


def _require_footer(room: Room, html: str, text: str) -> None:
    """Every email ends with the postal address and an unsubscribe line; a template
    override in templates/ that leaves one out is refused before anything is sent."""
    address = " ".join((room.config.org.address or "").split())
    parts = {
        "HTML": (" ".join(html.split()), str(escape(address)), "email.html.j2"),
        "plain-text": (" ".join(text.split()), address, "email.txt.j2"),
    }
    for part, (body, shown, template) in parts.items():
        footer = template.replace("email", "email-footer")
        missing = [
            what
            for what, needle in (("unsubscribe link", UNSUBSCRIBE), ("postal address", shown))
            if needle not in body
        ]
        if missing:
            raise RenderError(
                f"the {part} email has no {' and no '.join(missing)}: a template in templates/ "
                f"({footer} or {template}) leaves {'them' if len(missing) > 1 else 'it'} out; "
                "every email must end with both (CAN-SPAM, Gmail and Yahoo's bulk sender rules). "
                f"Put `{{{{ unsubscribe }}}}` and `{{{{ doc.org.address }}}}` back in {footer}"
            )


def content_for(
    room: Room,
    release: Release,
    doc: Document,
    env: jinja2.Environment,
    artefacts: Mapping[str, bytes],
) -> Content:
    """Everything sent for *release*, the same for every recipient.

    Raises :class:`NotReadyToSend` (naming pressroom.yaml and the keys) when
    the room has no sender address or no postal address.
    """
    from pressroom.load.newsroom import newsroom_address, page_url
    from pressroom.render.email import render_email

    _check_sendable(room)
    sender = room.config.sender
    assert sender.email is not None
    logo = logo_attachment(doc, sender.email.rpartition("@")[2])
    logo_src = f"cid:{logo.content_id}" if logo else doc.org.logo_url
    wording = greeting_of(room.config, release)
    greeting = GREETING if wording is not False else None
    email = render_email(doc, env, greeting=greeting, unsubscribe=UNSUBSCRIBE, logo_src=logo_src)
    _require_footer(room, email.html, email.text)
    version = release_version(room, release)
    try:
        require_header_safe(email.subject, "the subject")
        require_header_safe(sender.name or "", "sender.name")
        require_header_safe(release.name, "the release's file name")
    except UnsafeHeader as exc:
        raise RenderError(f"{release.source or release.name}: {exc}") from None
    newsroom = newsroom_address(room)  # org.newsroom, else where `site` published it
    attachments = attachments_for(
        doc,
        release,
        artefacts,
        uid_domain=ics.uid_domain(sender.email, room.config.org.website),
        page_url=page_url(newsroom, release.name),
    ) + ((logo,) if logo else ())
    _check_weight(room, release, attachments)
    return Content(
        subject=email.subject,
        html=email.html,
        text=email.text,
        sender=sender.email,
        sender_name=sender.name,
        reply_to=sender.reply_to,
        attachments=attachments,
        headers={HEADER_RELEASE: release.name, HEADER_VERSION: version},
        release=release.name,
        version=version,
        words=doc.words,
        greeting=wording,
    )


def personal_text(content: Content, delivery: Delivery) -> str:
    # the address first: a greeting (from a list) holding the placeholder stays text
    text = content.text.replace(UNSUBSCRIBE, unsubscribe_target(content, delivery))
    return text.replace(GREETING, delivery.greeting)


def personal_html(content: Content, delivery: Delivery) -> str:
    html = content.html.replace(UNSUBSCRIBE, str(escape(unsubscribe_target(content, delivery))))
    return html.replace(GREETING, str(escape(delivery.greeting)))


def mailto_unsubscribe(sender: str) -> str:
    """The unsubscribe address every message offers: a mail to the sender."""
    return f"mailto:{sender}?subject=unsubscribe"


def unsubscribe_target(content: Content, delivery: Delivery) -> str:
    """The address behind the footer's unsubscribe link: the recipient's
    ``delivery.unsubscribe_url``, else a mail to the sender."""
    return delivery.unsubscribe_url or mailto_unsubscribe(content.sender)


def unsubscribe_link(template: str, email: str) -> str:
    """``delivery.unsubscribe_url`` for one recipient: ``{email}`` replaced, URL-quoted."""
    from urllib.parse import quote

    return template.replace("{email}", quote(email.strip(), safe=""))


def unsubscribe_headers(content: Content, delivery: Delivery) -> dict[str, str]:
    """RFC 2369 List-Unsubscribe (mailto: always, the URL when given) and RFC 8058 one-click."""
    targets = []
    if delivery.unsubscribe_url:
        targets.append(f"<{delivery.unsubscribe_url}>")
    targets.append(f"<{mailto_unsubscribe(content.sender)}>")
    headers = {"List-Unsubscribe": ", ".join(targets)}
    if delivery.unsubscribe_url:
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


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
    for name, value in content.headers.items():
        msg[name] = require_header_safe(value, name)
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
    return msg


def _attach(container: EmailMessage, subtype: str, part: EmailMessage) -> None:
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

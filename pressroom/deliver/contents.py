"""What the recipients of each language receive: one :class:`Content` per language.

A release with translations is sent as a set: each language's message is
rendered once, from the original or its translation, and carries the set's
name and version (the version covers every language's text, so one approval
covers the set, and the send log keys every recipient's row by it). The send
log keeps the fingerprints of every language's parts as proof of what went
out (:func:`set_fingerprints`). :func:`content_for` makes one language's
:class:`~pressroom.deliver.message.Content`: the email, its attachments (the
files ``distribution.attach`` names, the inline logo), weighed and checked.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import escape

from pressroom.deliver.message import (
    CONTENT_TYPES,
    GREETING,
    HEADER_LANGUAGE,
    HEADER_RELEASE,
    HEADER_VERSION,
    PICTURE_TYPES,
    UNSUBSCRIBE,
    Attachment,
    Content,
    slug,
)
from pressroom.errors import NotReadyToSend, Problem, RenderError, relative_name
from pressroom.model.greeting import greeting_of
from pressroom.model.header import UnsafeHeader, require_header_safe
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render import ics
from pressroom.render.context import Document
from pressroom.render.environment import override
from pressroom.render.wording import corrected
from pressroom.sendlog.version import release_version

if TYPE_CHECKING:
    import jinja2

DRAFT_PREFIX = "[DRAFT] "
"""Before the subject of a draft's proof (after ``[TEST]``); its body says DRAFT too."""


def artefacts(
    room: Room, release: Release, doc: Document, env: jinja2.Environment
) -> dict[str, bytes]:
    artefacts: dict[str, bytes] = {}
    if "pdf" in release.distribution.attach:
        from pressroom.render import pdf_cache
        from pressroom.render.pdf import print_job
        from pressroom.render.printer import print_pdf

        # as ``build`` printed it, if nothing it is printed from changed since
        artefacts["pdf"] = pdf_cache.printed(print_job(doc, env), print_pdf)
    if "docx" in release.distribution.attach:
        from pressroom.render.docx import render_docx

        artefacts["docx"] = render_docx(doc, override(room.templates_dir, "reference.docx"))
    return artefacts


def fingerprints(content: Content) -> dict[str, str]:
    """SHA-256 of every part sent: the send log keeps them as proof of what went out."""

    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    parts = {
        "email.html": digest(content.html.encode()),
        "email.txt": digest(content.text.encode()),
    }
    parts.update({a.filename: digest(a.data) for a in content.attachments})
    return parts


def language_content(
    room: Room, release: Release, version_of: Release, env: jinja2.Environment, correction: bool
) -> Content:
    """What everyone getting *version_of* (the release, or one of its translations)
    receives; the set's name and version on every language's message."""
    import jinja2

    from pressroom.render.context import document
    from pressroom.render.environment import template_location

    doc = document(room, version_of)
    try:
        content = content_for(room, version_of, doc, env, artefacts(room, version_of, doc, env))
    except jinja2.TemplateError as exc:  # a room's template: refused, failing or stopped
        template = template_location(exc, "a template")
        raise RenderError(
            f"{relative_name(Path(template), room.root)}: cannot render the email of "
            f"{version_of.source}: {exc.message}; fix the template under templates/, or remove "
            "it to use the bundled one"
        ) from None
    if version_of is not release:
        version = release_version(room, release)
        headers = {**content.headers, HEADER_RELEASE: release.name, HEADER_VERSION: version}
        content = dataclasses.replace(
            content, release=release.name, version=version, headers=headers
        )
    if correction:
        content = dataclasses.replace(content, subject=corrected(content.subject, doc.words))
    if release.draft:
        content = dataclasses.replace(content, subject=DRAFT_PREFIX + content.subject)
    return content


def set_fingerprints(contents: dict[str, Content], original: str) -> dict[str, str]:
    """The original's :func:`fingerprints`, and each translation's under its tag."""
    parts = fingerprints(contents[original])
    for tag, content in contents.items():
        if tag != original:
            parts.update(
                {f"{tag}/{name}": digest for name, digest in fingerprints(content).items()}
            )
    return parts


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
        headers={
            HEADER_RELEASE: release.name,
            HEADER_VERSION: version,
            HEADER_LANGUAGE: doc.language,
        },
        release=release.name,
        version=version,
        words=doc.words,
        greeting=wording,
    )

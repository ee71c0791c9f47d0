"""What the recipients of each language receive: one :class:`Content` per language.

A release with translations is sent as a set: each language's message is
rendered once, from the original or its translation, and carries the set's
name and version (the version covers every language's text, so one approval
covers the set, and the send log keys every recipient's row by it). The send
log keeps the fingerprints of every language's parts as proof of what went
out (:func:`set_fingerprints`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from pressroom.deliver.message import HEADER_RELEASE, HEADER_VERSION, Content, content_for
from pressroom.errors import RenderError, relative_name
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.environment import override
from pressroom.render.wording import corrected
from pressroom.sendlog.version import release_version

if TYPE_CHECKING:
    import jinja2

    from pressroom.render.context import Document

DRAFT_PREFIX = "[DRAFT] "
"""Before the subject of a draft's proof (after ``[TEST]``); its body says DRAFT too."""


def artefacts(
    room: Room, release: Release, doc: Document, env: jinja2.Environment
) -> dict[str, bytes]:
    artefacts: dict[str, bytes] = {}
    if "pdf" in release.distribution.attach:
        from pressroom.render.pdf import render_pdf

        artefacts["pdf"] = render_pdf(doc, env)
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

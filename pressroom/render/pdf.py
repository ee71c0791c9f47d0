"""Document -> a print-ready PDF, through WeasyPrint.

``print.html.j2`` lays the release out and includes ``print.css`` (both can be
replaced by the room's ``templates/``). The HTML is printed by
:mod:`pressroom.render.pdf_engine`, in this process (:func:`render_pdf`) or in
the PDF printer process (:mod:`pressroom.render.printer`, ``pressroom
build``), which fetches only the room's own files the Document names.
WeasyPrint is imported there, when a PDF is printed, so that commands which
never make a PDF start quickly.

Reproducibility: WeasyPrint 70 writes no date of its own (it does not read
``SOURCE_DATE_EPOCH`` and its file identifier is a hash of the content), so
the same Document always gives the same bytes. When ``SOURCE_DATE_EPOCH`` is
set we write it as the PDF's creation/modification date; without it the PDF
carries no date at all rather than the wall clock (checked in
tests/test_render_pdf.py).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

from pressroom.errors import RenderError
from pressroom.i18n.labels import pieces
from pressroom.render.deadline import RENDER_SECONDS
from pressroom.render.document import Document
from pressroom.render.environment import template_location
from pressroom.render.linkcheck import require_safe_links
from pressroom.render.pdf_engine import PDF_OPTIONS, PrintJob, write_pdf

__all__ = ["PDF_OPTIONS", "PrintJob", "print_html", "print_job", "render_pdf"]

TEMPLATE = "print.html.j2"
# Up to this many signatories, names are set one box each in three columns;
# longer lists run on in lines of a dozen (a 1,000-name letter: 5x faster).
COMPACT_SIGNATORIES_FROM = 150


def source_date() -> str | None:
    """``SOURCE_DATE_EPOCH`` as a W3C date (the PDF's dates), or None when unset."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def css_content(text: str, **values: str) -> Markup:
    """A message as the value of CSS ``content``: its words as CSS strings, each
    placeholder as the CSS given for it (``page="counter(page)"``)."""
    out = []
    for kind, words in pieces(text):
        if kind == "text":
            escaped = "".join(
                ch if ch.isalnum() or ch in " .,:-" else f"\\{ord(ch):x} " for ch in words
            )
            out.append(f'"{escaped}"')
        else:
            out.append(values[kind])
    return Markup(" ".join(out) or '""')


def print_html(doc: Document, env: jinja2.Environment) -> str:
    """The HTML document (stylesheet included) handed to WeasyPrint."""
    words = doc.words
    try:
        html = env.get_template(TEMPLATE).render(
            doc=doc,
            created=source_date(),
            compact_signatories_from=COMPACT_SIGNATORIES_FROM,
            page_counter=css_content(
                words.gettext("Page %(page)s of %(pages)s"),
                page="counter(page)",
                pages="counter(pages)",
            ),
            draft_notice=css_content(words.gettext("DRAFT \u2014 NOT FOR DISTRIBUTION")),
            **words.jinja(),
        )
    except jinja2.TemplateError as error:
        location = template_location(error, TEMPLATE)
        raise RenderError(f"{location}: cannot render the PDF template: {error}") from error
    return require_safe_links(html, f"{doc.name}: the PDF")


def allowed_files(doc: Document) -> set[Path]:
    """The only files the PDF may embed: the release's images and the org logo."""
    files = {Path(image.path).resolve() for image in doc.images}
    if doc.org.logo is not None:
        files.add(Path(doc.org.logo).resolve())
    return files


def print_job(
    doc: Document,
    env: jinja2.Environment,
    base_url: str | None = None,
    seconds: float | None = None,
) -> PrintJob:
    """What the PDF of *doc* is printed from: its HTML and the files it may embed.

    ``base_url`` (default: the current folder) resolves relative URLs in a room's
    own template; a render that takes more than *seconds* (default:
    :data:`RENDER_SECONDS`) is stopped with a
    :class:`~pressroom.render.deadline.RenderTimeout` naming the release.
    """
    return PrintJob(
        html=print_html(doc, env),
        name=doc.name,
        allowed=frozenset(allowed_files(doc)),
        base_url=base_url or Path.cwd().as_uri() + "/",
        seconds=RENDER_SECONDS if seconds is None else seconds,
    )


def render_pdf(
    doc: Document,
    env: jinja2.Environment,
    base_url: str | None = None,
    seconds: float | None = None,
) -> bytes:
    """*doc* as PDF bytes, printed in this process (:func:`print_job`)."""
    return write_pdf(print_job(doc, env, base_url, seconds))

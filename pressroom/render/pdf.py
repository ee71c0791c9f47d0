"""Document -> a print-ready PDF, through WeasyPrint.

``print.html.j2`` lays the release out and includes ``print.css`` (both can be
replaced by the room's ``templates/``). WeasyPrint is imported inside
:func:`render_pdf` so that commands which never make a PDF start quickly.

Resources: the renderer reads only the room's own files that the Document
names (its images and the org logo). Anything else (``http(s)://``, other
files, ``<img>`` in Markdown pointing elsewhere) is refused and the render
fails with a :class:`~pressroom.errors.RenderError`, so that a release can
never make the renderer touch the network or read arbitrary files.

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
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
from markupsafe import Markup

from pressroom.errors import RenderError
from pressroom.i18n.labels import pieces
from pressroom.render.context import Document
from pressroom.render.deadline import RENDER_SECONDS, time_limit
from pressroom.render.environment import template_location
from pressroom.render.linkcheck import require_safe_links

if TYPE_CHECKING:  # pragma: no cover
    from weasyprint.urls import URLFetcher

TEMPLATE = "print.html.j2"
# Up to this many signatories, names are set one box each in three columns;
# longer lists run on in lines of a dozen (a 1,000-name letter: 5x faster).
COMPACT_SIGNATORIES_FROM = 150

# Accessibility: WeasyPrint 70 tags the PDF (structure tree, /Lang from
# <html lang>, alt text; ``pdf_tags``) and writes PDF/UA-1 (``pdf_variant``).
# Decision: always on. Measured (WeasyPrint 70.0, shared 2-vCPU box): the
# example releases render in 0.2-0.3 s either way (difference lost in noise);
# a letter with 1,000 signatories takes 2.7 s with PDF/UA vs 2.45 s without
# (+10 %). No rendering failures or warnings on any example.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


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


def _url_path(url: str) -> Path:
    parts = urlsplit(url)
    return Path(url2pathname(unquote(parts.path))).resolve()


def _fetcher(doc: Document) -> URLFetcher:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    allowed = allowed_files(doc)

    class RoomFetcher(URLFetcher):
        """Fetches the room's own image files and ``data:`` URLs, nothing else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = _url_path(url)
                if path in allowed:
                    if not path.is_file():
                        raise FatalURLFetchingError(f"missing file {path}")
                    return super().fetch(path.as_uri(), headers)
            raise FatalURLFetchingError(
                f"refused to load {url}: a PDF only embeds the room's own files listed under "
                "`images:` (and org.logo)"
            )

    return RoomFetcher(allowed_protocols=["file", "data"], fail_on_errors=True)


def render_pdf(
    doc: Document,
    env: jinja2.Environment,
    base_url: str | None = None,
    seconds: float | None = None,
) -> bytes:
    """*doc* as PDF bytes. ``base_url`` resolves relative URLs in a room's own template.

    A render that takes more than *seconds* (default: :data:`RENDER_SECONDS`) is
    stopped with a :class:`~pressroom.render.deadline.RenderTimeout` naming the release.
    """
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    html = print_html(doc, env)
    try:
        limit = RENDER_SECONDS if seconds is None else seconds
        with time_limit(limit, f"{doc.name}: the PDF"):
            document = weasyprint.HTML(
                string=html,
                base_url=base_url or Path.cwd().as_uri() + "/",
                url_fetcher=_fetcher(doc),
            )
            pdf = document.write_pdf(**PDF_OPTIONS)
    except RenderError:
        raise
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error
        raise RenderError(f"{doc.name}: cannot make the PDF: {cause}") from error
    except Exception as error:  # WeasyPrint raises anything from its parsers and layout
        raise RenderError(
            f"{doc.name}: WeasyPrint failed to make the PDF: {type(error).__name__}: {error}"
        ) from error
    if pdf is None:  # pragma: no cover - write_pdf() without target returns bytes
        raise RenderError(f"{doc.name}: WeasyPrint produced no PDF")
    return bytes(pdf)

"""HTML -> PDF bytes, through WeasyPrint: the last step of :mod:`pressroom.render.pdf`.

This module imports nothing of pressroom's model, Jinja or Markdown, so that
the PDF printer process (:mod:`pressroom.render.printer`) can load it beside
WeasyPrint alone. What it prints from is a :class:`PrintJob`: the HTML that
:func:`pressroom.render.pdf.print_html` made, and the room's files the PDF may
embed.

Resources: the renderer reads only the room's own files that the Document
names (its images and the org logo). Anything else (``http(s)://``, other
files, ``<img>`` in Markdown pointing elsewhere) is refused and the render
fails with a :class:`~pressroom.errors.RenderError`, so that a release can
never make the renderer touch the network or read arbitrary files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from pressroom.errors import RenderError
from pressroom.render.deadline import time_limit

if TYPE_CHECKING:  # pragma: no cover
    from weasyprint.urls import URLFetcher

# Accessibility: WeasyPrint 70 tags the PDF (structure tree, /Lang from
# <html lang>, alt text; ``pdf_tags``) and writes PDF/UA-1 (``pdf_variant``).
# Decision: always on. Measured (WeasyPrint 70.0, shared 2-vCPU box): the
# example releases render in 0.2-0.3 s either way (difference lost in noise);
# a letter with 1,000 signatories takes 2.7 s with PDF/UA vs 2.45 s without
# (+10 %). No rendering failures or warnings on any example.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


@dataclass(frozen=True)
class PrintJob:
    """Everything one PDF is made from (plain data: it crosses to the printer process)."""

    html: str
    name: str
    """The release's name, which every message starts with."""
    allowed: frozenset[Path]
    """The only files the PDF may embed (resolved paths)."""
    base_url: str
    """Resolves relative URLs in a room's own template."""
    seconds: float
    """The time limit of the render (:func:`~pressroom.render.deadline.time_limit`)."""


def _url_path(url: str) -> Path:
    parts = urlsplit(url)
    return Path(url2pathname(unquote(parts.path))).resolve()


def _fetcher(allowed: frozenset[Path]) -> URLFetcher:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

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


def write_pdf(job: PrintJob) -> bytes:
    """The PDF of *job*: a :class:`RenderError` naming the release if WeasyPrint fails,
    refuses a resource, or takes longer than ``job.seconds``
    (:class:`~pressroom.render.deadline.RenderTimeout`)."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    try:
        with time_limit(job.seconds, f"{job.name}: the PDF"):
            document = weasyprint.HTML(
                string=job.html, base_url=job.base_url, url_fetcher=_fetcher(job.allowed)
            )
            pdf = document.write_pdf(**PDF_OPTIONS)
    except RenderError:
        raise
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error
        raise RenderError(f"{job.name}: cannot make the PDF: {cause}") from error
    except Exception as error:  # WeasyPrint raises anything from its parsers and layout
        raise RenderError(
            f"{job.name}: WeasyPrint failed to make the PDF: {type(error).__name__}: {error}"
        ) from error
    if pdf is None:  # pragma: no cover - write_pdf() without target returns bytes
        raise RenderError(f"{job.name}: WeasyPrint produced no PDF")
    return bytes(pdf)

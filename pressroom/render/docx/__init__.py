"""Document -> a Word (.docx) file that staff can restyle in Word.

Everything is laid out with named Word styles, never with direct formatting:
the built-in ones where Word has one (``Title`` for the headline,
``Subtitle``, ``Heading 1``/``2``, ``Quote``, ``List Bullet``, ``List Number``,
``Caption``, ``Hyperlink``, ``Strong``) and a few of our own where it has
none (``Release Line``, ``Update Banner``, ``Attribution``, ``Contact Block``,
``Signatory``, ``Event Field``, ``End Mark``, the ``Dateline`` and ``Alert``
character styles, ...). Markdown emphasis stays bold/italic runs, as pandoc
writes it. Changing a style in Word therefore restyles every release.

The room's ``templates/reference.docx`` (like pandoc's reference doc) supplies
the styles and the page setup: its body is dropped, its styles and section
settings are kept, and only the styles it lacks are added with our defaults.
To make one, render any release to .docx, change its styles in Word and save
it as ``templates/reference.docx``.

The package, in the order a render uses it:

- this module: :func:`render_docx`, opening the reference document, the core
  properties (title, author, dates) and the reproducible zip;
- :mod:`~pressroom.render.docx.styles`: :class:`StyleSpec`, the :data:`STYLES`
  table and applying it (fonts, borders, shading, page setup, language);
- :mod:`~pressroom.render.docx.writer`: :class:`DocumentWriter`, which writes the
  release's content in order;
- :mod:`~pressroom.render.docx.oxml`: low-level OXML building (qualified names,
  elements, fields, hyperlinks, section columns).

python-docx is imported inside functions, never at module level, so that
commands which never write Word files start quickly. With ``SOURCE_DATE_EPOCH``
set, the document's dates and the zip entries' timestamps come from it and two
renders are byte-identical.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pressroom import clock
from pressroom.errors import RenderError
from pressroom.render.document import Document
from pressroom.render.docx.styles import ensure_styles, page_setup, set_language
from pressroom.render.docx.writer import DocumentWriter

__all__ = ["render_docx"]


def render_docx(doc: Document, reference: Path | None = None) -> bytes:
    """The release as a .docx file; *reference* (a .docx) supplies styles and page setup."""
    import docx

    if reference is not None:
        word = _open_reference(docx, reference)
        word.element.body.clear_content()
    else:
        word = docx.Document()
        page_setup(word)
    ensure_styles(word, restyle=reference is None)
    set_language(word, doc.language)
    _drop_thumbnail(word)
    moment = _moment()
    writer = DocumentWriter(word, doc)
    writer.header_footer()
    writer.content()
    _core_properties(word, doc, moment)
    out = io.BytesIO()
    word.save(out)
    return _normalised_zip(out.getvalue(), moment)


# -- the Word file: reference document, properties, reproducible zip -------------------


def _open_reference(docx: Any, reference: Path) -> Any:
    from docx.image.exceptions import UnrecognizedImageError
    from docx.opc.exceptions import OpcError

    hint = (
        "save a Word document (.docx) from Word or LibreOffice in its place, "
        "or delete it to use pressroom's own styles"
    )
    if not reference.is_file():
        raise RenderError(f"{reference}: no such reference document ({hint})")
    try:
        return docx.Document(str(reference))
    except (
        OpcError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        SyntaxError,
        OSError,
        UnrecognizedImageError,
    ) as error:
        raise RenderError(
            f"{reference}: not a valid Word reference document ({error}); {hint}"
        ) from error


def _moment() -> datetime:
    """Creation date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise RenderError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970 "
                "(set it to an integer such as the last commit's date, or unset it)"
            ) from None
    return clock.now().astimezone(UTC)


def _core_properties(word: Any, doc: Document, moment: datetime) -> None:
    props = word.core_properties
    naive = moment.replace(tzinfo=None, microsecond=0)
    props.title = doc.full_headline
    props.author = doc.org.name
    props.last_modified_by = doc.org.name
    props.subject = doc.type_label
    props.category = doc.type_label
    props.keywords = ", ".join(f"#{tag.lstrip('#')}" for tag in doc.hashtags)
    props.language = doc.language
    props.comments = doc.release_line
    props.created = naive
    props.modified = naive
    props.revision = 1


def _drop_thumbnail(word: Any) -> None:
    """The template's preview image shows some other document: leave it out."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = word.part.package.rels
    for rel_id in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rel_id]


def _normalised_zip(data: bytes, moment: datetime) -> bytes:
    """The same zip with every entry dated *moment* (zip entries carry timestamps)."""
    stamp = max(moment, datetime(1980, 1, 1, tzinfo=UTC)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()

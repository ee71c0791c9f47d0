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

python-docx is imported inside :func:`render_docx` so that commands which
never write Word files start quickly. With ``SOURCE_DATE_EPOCH`` set, the
document's dates and the zip entries' timestamps come from it and two renders
are byte-identical.
"""

from __future__ import annotations

import io
import os
import zipfile
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pressroom import clock
from pressroom.errors import RenderError
from pressroom.render.context import Contact, Document, Event, Rich
from pressroom.render.markup import Para, Span

SERIF = "Georgia"
SANS = "Arial"
MONO = "Consolas"
TEXT = "1B1F23"
MUTED = "5B6670"
ACCENT = "17605A"  # the logo's teal
ALERT = "B42318"  # embargo and BREAKING
LINK = "0B5CAD"

LOGO_WIDTH_CM = 4.0
IMAGE_WIDTH_CM = 12.0
EVENT_LABEL_CM = 3.6
TWO_COLUMNS_FROM = 10  # signatories; fewer stay in one column


@dataclass(frozen=True)
class StyleSpec:
    """Our default look for one style (``None``: leave the template's value)."""

    name: str
    kind: str = "paragraph"  # paragraph | character
    base: str | None = "Normal"
    font: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    color: str | None = None
    underline: bool | None = None
    before: float | None = None
    after: float | None = None
    line: float | None = None
    align: str | None = None  # left | center | right
    indent: float | None = None  # cm
    right_indent: float | None = None
    first_line: float | None = None
    keep_with_next: bool | None = None
    border: str | None = None  # "left:COLOR" | "bottom:COLOR" | "none"
    shading: str | None = None


# fmt: off
STYLES = [
    StyleSpec("Normal", base=None, font=SERIF, size=11, color=TEXT, after=8, line=1.15),
    StyleSpec("Title", font=SANS, size=22, bold=True, color=TEXT, before=16, after=6, line=1.05,
              keep_with_next=True, border="none"),
    StyleSpec("Subtitle", font=SANS, size=13, italic=False, color=MUTED, after=16, line=1.1),
    StyleSpec("Heading 1", font=SANS, size=13, bold=True, color=ACCENT, before=16, after=4,
              keep_with_next=True),
    StyleSpec("Heading 2", font=SANS, size=11, bold=True, color=ACCENT, before=10, after=3,
              keep_with_next=True),
    StyleSpec("Heading 3", font=SANS, size=10.5, bold=True, italic=False, color=TEXT, before=8,
              after=2, keep_with_next=True),
    StyleSpec("Quote", font=SERIF, size=11.5, italic=True, color=TEXT, before=4, after=4,
              indent=0.8, right_indent=0.8, border=f"left:{ACCENT}"),
    StyleSpec("Attribution", font=SANS, size=9.5, color=MUTED, after=12, indent=0.8,
              border=f"left:{ACCENT}"),
    StyleSpec("List Bullet", after=4),
    StyleSpec("List Bullet 2", after=4),
    StyleSpec("List Bullet 3", after=4),
    StyleSpec("List Number", after=4),
    StyleSpec("List Number 2", after=4),
    StyleSpec("List Number 3", after=4),
    StyleSpec("List Continue", after=4),
    StyleSpec("List Continue 2", after=4),
    StyleSpec("Caption", font=SANS, size=9, bold=False, italic=False, color=MUTED, after=14,
              line=1.0),
    StyleSpec("Header", font=SANS, size=8.5, color=MUTED, after=0, line=1.0),
    StyleSpec("Footer", font=SANS, size=8.5, color=MUTED, after=0, line=1.0, align="center"),
    StyleSpec("Letterhead", font=SANS, size=16, bold=True, color=ACCENT, after=2, line=1.0),
    StyleSpec("Letterhead Details", font=SANS, size=8.5, color=MUTED, after=14, line=1.0,
              border=f"bottom:{ACCENT}"),
    StyleSpec("Figure", after=4, align="center", keep_with_next=True, line=1.0),
    StyleSpec("Release Line", font=SANS, size=10, bold=True, color=ACCENT, before=0, after=10),
    StyleSpec("Update Banner", font=SANS, size=10, color=TEXT, before=2, after=10, line=1.1,
              indent=0.25, border="left:D97706", shading="FFF4D6"),
    StyleSpec("Contact Block", font=SANS, size=9.5, color=TEXT, after=6, line=1.0),
    StyleSpec("Address Block", after=10, line=1.0),
    StyleSpec("Event Field", after=6, indent=EVENT_LABEL_CM, first_line=-EVENT_LABEL_CM),
    StyleSpec("Signatory", size=10, after=2, line=1.0, indent=0.4, first_line=-0.4),
    StyleSpec("Hashtags", font=SANS, size=10, bold=True, color=ACCENT, before=6),
    StyleSpec("End Mark", font=SANS, size=11, bold=True, before=18, after=0, align="center"),
    StyleSpec("Dateline", kind="character", base=None, bold=True),
    StyleSpec("Field Label", kind="character", base=None, font=SANS, size=9, bold=True,
              color=ACCENT),
    StyleSpec("Alert", kind="character", base=None, bold=True, color=ALERT),
    StyleSpec("Strong", kind="character", base=None, bold=True),
    StyleSpec("Emphasis", kind="character", base=None, italic=True),
    StyleSpec("Code", kind="character", base=None, font=MONO, size=10),
    StyleSpec("Hyperlink", kind="character", base=None, color=LINK, underline=True),
]
# fmt: on


def render_docx(doc: Document, reference: Path | None = None) -> bytes:
    """The release as a .docx file; *reference* (a .docx) supplies styles and page setup."""
    import docx

    if reference is not None:
        word = _open_reference(docx, reference)
        word.element.body.clear_content()
    else:
        word = docx.Document()
        _page_setup(word)
    _ensure_styles(word, restyle=reference is None)
    _set_language(word, doc.language)
    _drop_thumbnail(word)
    moment = _moment()
    writer = _Writer(word, doc)
    writer.header_footer()
    writer.content()
    _core_properties(word, doc, moment)
    out = io.BytesIO()
    word.save(out)
    return _normalised_zip(out.getvalue(), moment)


# -- the package ---------------------------------------------------------------------------


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


# -- styles --------------------------------------------------------------------------------


def _page_setup(word: Any) -> None:
    from docx.shared import Cm

    for section in word.sections:
        section.left_margin = section.right_margin = Cm(2.3)
        section.top_margin = Cm(2.2)
        section.bottom_margin = Cm(2.0)
        section.header_distance = section.footer_distance = Cm(1.0)


def _ensure_styles(word: Any, restyle: bool) -> None:
    """Add the styles the document lacks; with *restyle*, give every one our look."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = word.styles
    for spec in STYLES:
        kind = WD_STYLE_TYPE.CHARACTER if spec.kind == "character" else WD_STYLE_TYPE.PARAGRAPH
        try:
            style = styles[spec.name]
        except KeyError:
            style = styles.add_style(spec.name, kind)
            if spec.base:
                style.base_style = styles[spec.base]
            style.quick_style = True
        else:
            if not restyle:
                continue
        _apply(style, spec)
    if restyle:
        _header_tabs(word)


def _apply(style: Any, spec: StyleSpec) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    font = style.font
    if spec.font:
        _font_name(style, spec.font)
    if spec.size is not None:
        font.size = Pt(spec.size)
    if spec.bold is not None:
        font.bold = spec.bold
    if spec.italic is not None:
        font.italic = spec.italic
    if spec.color:
        font.color.rgb = RGBColor.from_string(spec.color)
    if spec.underline is not None:
        font.underline = spec.underline
    if spec.kind == "character":
        return
    para = style.paragraph_format
    if spec.before is not None:
        para.space_before = Pt(spec.before)
    if spec.after is not None:
        para.space_after = Pt(spec.after)
    if spec.line is not None:
        para.line_spacing = spec.line
    if spec.align:
        para.alignment = getattr(WD_ALIGN_PARAGRAPH, spec.align.upper())
    if spec.indent is not None:
        para.left_indent = Cm(spec.indent)
    if spec.right_indent is not None:
        para.right_indent = Cm(spec.right_indent)
    if spec.first_line is not None:
        para.first_line_indent = Cm(spec.first_line)
    if spec.keep_with_next is not None:
        para.keep_with_next = spec.keep_with_next
    if spec.name == "Event Field":
        para.tab_stops.add_tab_stop(Cm(EVENT_LABEL_CM))
    pPr = style.element.get_or_add_pPr()
    if spec.border:
        _border(pPr, spec.border)
    if spec.shading:
        _shading(pPr, spec.shading)
    if spec.name in ("Title", "Subtitle"):  # the template spaces the letters out
        for child in style.element.rPr.findall(_qn("w:spacing")):
            style.element.rPr.remove(child)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _element(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(_qn(f"w:{key}"), value)
    return el


def _font_name(style: Any, name: str) -> None:
    """Set the font for every script, dropping the theme fonts that would override it."""
    rFonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rFonts.attrib.pop(_qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        rFonts.set(_qn(f"w:{attr}"), name)


def _border(pPr: Any, spec: str) -> None:
    for old in pPr.findall(_qn("w:pBdr")):
        pPr.remove(old)
    if spec == "none":
        pPr.append(_element("w:pBdr"))  # an empty border list overrides the base style
        _reorder(pPr)
        return
    side, color = spec.split(":")
    border = _element("w:pBdr")
    border.append(
        _element(
            f"w:{side}",
            val="single",
            sz="12" if side == "left" else "6",
            space="8" if side == "left" else "6",
            color=color,
        )
    )
    pPr.append(border)
    _reorder(pPr)


def _shading(pPr: Any, fill: str) -> None:
    for old in pPr.findall(_qn("w:shd")):
        pPr.remove(old)
    pPr.append(_element("w:shd", val="clear", color="auto", fill=fill))
    _reorder(pPr)


# w:pPr children must come in schema order for Word to open the file
_PPR_ORDER = """
pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers
pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct
autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing
mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl
divId cnfStyle rPr sectPr pPrChange
""".split()


def _reorder(pPr: Any) -> None:
    def rank(child: Any) -> int:
        local = child.tag.rsplit("}", 1)[-1]
        return _PPR_ORDER.index(local) if local in _PPR_ORDER else len(_PPR_ORDER)

    children = sorted(pPr, key=rank)
    for child in children:
        pPr.append(child)


def _header_tabs(word: Any) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Emu

    section = word.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    tabs = word.styles["Header"].paragraph_format.tab_stops
    tabs.clear_all()
    tabs.add_tab_stop(Emu(width), WD_TAB_ALIGNMENT.RIGHT)


def _set_language(word: Any, language: str) -> None:
    """Spelling and hyphenation in the release's language."""
    defaults = word.styles.element.find(_qn("w:docDefaults"))
    if defaults is None:
        return
    rPr = defaults.find(f"{_qn('w:rPrDefault')}/{_qn('w:rPr')}")
    if rPr is None:
        return
    lang = rPr.find(_qn("w:lang"))
    if lang is None:
        lang = _element("w:lang")
        rPr.append(lang)
    lang.set(_qn("w:val"), language)


# -- content -------------------------------------------------------------------------------


class _Writer:
    """Writes one Document into a python-docx document, top to bottom."""

    def __init__(self, word: Any, doc: Document):
        self.word = word
        self.doc = doc
        self.lead_in = doc.lead_in

    # paragraphs and runs

    def para(self, style: str, text: str = "", run_style: str | None = None) -> Any:
        paragraph = self.word.add_paragraph(style=style)
        if text:
            paragraph.add_run(text, style=run_style)
        return paragraph

    def link(self, paragraph: Any, text: str, href: str) -> Any:
        """A real hyperlink: ``w:hyperlink`` with an external relationship, 'Hyperlink' style."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        if ":" not in href:  # an anchor or a path we cannot resolve: plain text
            return paragraph.add_run(text)
        rel_id = self.word.part.relate_to(href, RT.HYPERLINK, is_external=True)
        hyperlink = _element("w:hyperlink")
        hyperlink.set(_qn("r:id"), rel_id)
        paragraph._p.append(hyperlink)
        run = paragraph.add_run(text, style="Hyperlink")
        hyperlink.append(run._r)
        return run

    def spans(self, paragraph: Any, spans: tuple[Span, ...] | list[Span]) -> None:
        for span in spans:
            if span.href:
                run = self.link(paragraph, span.text, span.href)
            else:
                run = paragraph.add_run(span.text, style="Code" if span.code else None)
            if span.bold:
                run.bold = True
            if span.italic:
                run.italic = True

    def rich(
        self,
        rich: Rich | None,
        style: str = "Normal",
        prefix: tuple[str, str | None] | None = None,
        suffix: str = "",
        flat: bool = False,
    ) -> list[Any]:
        """Markdown paragraphs, list items and headings, as Word paragraphs.

        *prefix* (text, character style) starts the first paragraph, *suffix* ends the
        last; *flat* keeps every piece in *style* (lists marked with text, headings as
        paragraphs), for fields laid out in a column such as an event's WHO.
        """
        if rich is None:
            return []
        paragraphs = []
        numbered_before = False
        for index, para in enumerate(rich.paras):
            paragraph = self.word.add_paragraph(
                style=style if flat else self.para_style(para, style)
            )
            if index == 0 and prefix:
                paragraph.add_run(prefix[0], style=prefix[1])
            elif flat and index:
                paragraph.add_run("\t")
            if index == 0 and self.lead_in and style == "Normal" and para.kind == "paragraph":
                paragraph.add_run(f"{self.lead_in} ", style="Dateline")
                self.lead_in = None
            if flat:
                if para.kind in ("bullet", "number"):
                    paragraph.add_run(_text_marker(para))
            else:
                self.list_marker(paragraph, para, restart=not numbered_before)
            numbered_before = para.kind == "number"
            spans = list(para.spans)
            if suffix and index == len(rich.paras) - 1:
                spans.append(Span(suffix))
            self.spans(paragraph, spans)
            paragraphs.append(paragraph)
        return paragraphs

    @staticmethod
    def para_style(para: Para, style: str) -> str:
        depth = "" if para.level == 0 else f" {min(para.level + 1, 3)}"
        if para.kind == "heading":
            return "Heading 2" if para.level <= 2 else "Heading 3"
        if para.kind == "bullet":
            return f"List Bullet{depth}"
        if para.kind == "number":
            return f"List Number{depth}"
        if para.level:
            return f"List Continue{' 2' if para.level > 1 else ''}"
        return style

    def list_marker(self, paragraph: Any, para: Para, restart: bool) -> None:
        """Numbered lists restart at their own number; a style without numbering gets text."""
        if para.kind not in ("bullet", "number"):
            return
        style = paragraph.style
        pPr = style.element.pPr
        numPr = pPr.numPr if pPr is not None else None
        if numPr is None or numPr.numId is None:
            paragraph.add_run(_text_marker(para))
            return
        if para.kind == "number" and restart:
            numbering = self.word.part.numbering_part.element
            num = numbering.num_having_numId(numPr.numId.val)
            ilvl = numPr.ilvl.val if numPr.ilvl is not None else 0
            new = numbering.add_num(num.abstractNumId.val)
            new.add_lvlOverride(ilvl=ilvl).add_startOverride(para.number or 1)
            own = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            own.get_or_add_ilvl().val = ilvl
            own.get_or_add_numId().val = new.numId

    def picture(self, path: Path, width_cm: float, alt: str, style: str) -> Any:
        from docx.image.exceptions import UnrecognizedImageError
        from docx.shared import Cm

        paragraph = self.word.add_paragraph(style=style)
        try:
            paragraph.add_run().add_picture(str(path), width=Cm(width_cm))
        except (OSError, UnrecognizedImageError) as error:
            raise RenderError(
                f"{path}: cannot put this image in the Word document ({error or 'unreadable'}); "
                "use a PNG or JPEG file"
            ) from error
        for doc_pr in paragraph._p.xpath(".//wp:docPr"):
            doc_pr.set("descr", alt)
        return paragraph

    # page furniture

    def header_footer(self) -> None:
        doc = self.doc
        for section in self.word.sections:
            headers = [section.header]
            footers = [section.footer]
            if section.different_first_page_header_footer:
                headers.append(section.first_page_header)
                footers.append(section.first_page_footer)
            for header in headers:
                paragraph = _cleared(header)
                paragraph.style = self.word.styles["Header"]
                paragraph.add_run(doc.org.name)
                paragraph.add_run("\t")
                if doc.draft:
                    paragraph.add_run("DRAFT \u00b7 ", style="Alert")
                run_style = "Alert" if doc.is_embargoed else "Strong"
                paragraph.add_run(doc.release_line, style=run_style)
            for footer in footers:
                paragraph = _cleared(footer)
                paragraph.style = self.word.styles["Footer"]
                paragraph.add_run("Page ")
                _field(paragraph, "PAGE", "1")
                paragraph.add_run(" of ")
                _field(paragraph, "NUMPAGES", "1")

    # the release, in the PDF's order

    def content(self) -> None:
        doc = self.doc
        self.letterhead()
        release = self.para("Release Line")
        release.add_run(doc.release_line, style="Alert" if doc.is_embargoed else None)
        if doc.is_letter and doc.date_text:
            self.para("Normal", doc.date_text)
        self.contacts()
        for update in doc.updates:
            label = update.label + (f" ({update.date_text})" if update.date_text else "") + ": "
            self.rich(update.rich, "Update Banner", prefix=(label, "Strong"))
        title = self.para("Title")
        if doc.headline_prefix:
            title.add_run(doc.headline_prefix, style="Alert")
        title.add_run(doc.headline)
        if doc.subheadline:
            self.para("Subtitle", doc.subheadline)
        self.addressees()
        self.rich(doc.salutation)
        self.body()
        if doc.event is not None:
            self.event(doc.event)
        for image in doc.images:
            self.picture(image.path, IMAGE_WIDTH_CM, image.alt or image.caption or "", "Figure")
            if image.caption or image.credit:
                caption = self.para("Caption", image.caption or "")
                if image.credit:
                    caption.add_run((" " if image.caption else "") + image.credit, "Emphasis")
        self.rich(doc.closing)
        self.signatories()
        if doc.ps:
            written = doc.ps.text.lstrip().upper().startswith(("P.S", "PS:", "PS "))
            self.rich(doc.ps, prefix=None if written else ("P.S. ", "Strong"))
        if doc.hashtags:
            self.para("Hashtags", " ".join(f"#{tag.lstrip('#')}" for tag in doc.hashtags))
        if doc.boilerplate:
            self.para("Heading 1", doc.about_heading)
            self.rich(doc.boilerplate)
        self.para("End Mark", doc.end_mark)

    def letterhead(self) -> None:
        org = self.doc.org
        if org.logo is not None:
            self.picture(org.logo, LOGO_WIDTH_CM, org.name, "Letterhead")
        else:
            self.para("Letterhead", org.name)
        details = self.para("Letterhead Details")
        parts: list[tuple[str, str | None]] = []
        if org.logo is not None:
            parts.append((org.name, None))
        if org.website:
            parts.append((org.website_label, org.website))
        if org.address:
            parts.append((org.address, None))
        for index, (text, href) in enumerate(parts):
            if index:
                details.add_run("  \u00b7  ")
            if href:
                self.link(details, text, href)
            else:
                details.add_run(text, style="Strong" if index == 0 and org.logo else None)

    def contacts(self) -> None:
        if not self.doc.contacts:
            return
        label = "Media contacts" if len(self.doc.contacts) > 1 else "Media contact"
        self.para("Contact Block", label.upper(), "Field Label")
        for contact in self.doc.contacts:
            paragraph = self.para("Contact Block")
            self.contact_lines(paragraph, contact, separator="\n")

    def contact_lines(self, paragraph: Any, contact: Contact, separator: str) -> None:
        name = contact.name + (f" ({contact.pronouns})" if contact.pronouns else "")
        paragraph.add_run(name, style="Strong" if separator == "\n" else None)
        if contact.affiliation:
            paragraph.add_run(separator + contact.affiliation)
        if contact.email:
            paragraph.add_run(separator)
            self.link(paragraph, contact.email, f"mailto:{contact.email}")
        if contact.phone:
            paragraph.add_run(separator + contact.phone)

    def addressees(self) -> None:
        for addressee in self.doc.addressees:
            lines = [addressee.name, addressee.title or ""]
            lines += (addressee.address or "").splitlines()
            self.para("Address Block", "\n".join(line for line in lines if line))

    def body(self) -> None:
        for block in self.doc.blocks:
            first_is_text = (
                block.kind == "paragraph"
                and block.rich is not None
                and bool(block.rich.paras)
                and block.rich.paras[0].kind == "paragraph"
            )
            if self.lead_in and not first_is_text:
                self.para("Normal", self.lead_in, "Dateline")
                self.lead_in = None
            if block.kind == "heading":
                self.para("Heading 1", block.heading)
            elif block.kind == "quote":
                text = block.rich.text if block.rich else ""
                quoted = text.lstrip().startswith(("\u201c", '"'))
                self.rich(
                    block.rich,
                    "Quote",
                    prefix=None if quoted else ("\u201c", None),
                    suffix="" if quoted else "\u201d",
                )
                if block.attribution:
                    self.para("Attribution", f"\u2014 {block.attribution}")
            else:
                self.rich(block.rich)
        if self.lead_in:  # a body without text paragraphs still carries its dateline
            self.para("Normal", self.lead_in, "Dateline")
            self.lead_in = None

    def event(self, event: Event) -> None:
        where = ", ".join(part for part in (event.venue, event.address) if part)
        fields: list[tuple[str, Rich | str | Contact | None]] = [
            ("WHAT", event.what),
            ("WHEN", event.when_text),
            ("WHERE", where),
            ("WHO", event.who),
            ("WHY", event.why),
            ("VISUALS", event.visuals),
            ("ON-SITE CONTACT", event.onsite_contact),
            ("RSVP", event.rsvp),
        ]
        for label, value in fields:
            if not value:
                continue
            prefix = (f"{label}\t", "Field Label")
            if isinstance(value, Rich):
                self.rich(value, "Event Field", prefix=prefix, flat=True)
                continue
            paragraph = self.para("Event Field")
            paragraph.add_run(prefix[0], style=prefix[1])
            if isinstance(value, Contact):
                self.contact_lines(paragraph, value, separator=" \u00b7 ")
            elif label == "RSVP" and event.rsvp_href:
                self.link(paragraph, value, event.rsvp_href)
            else:
                paragraph.add_run(value)

    def signatories(self) -> None:
        doc = self.doc
        if not doc.signatory_groups:
            return
        heading = self.para("Heading 1", f"Signatories ({doc.signatory_count})")
        columns = doc.signatory_count >= TWO_COLUMNS_FROM
        if columns:
            _end_section(self.word, heading, columns=1)
        last = heading
        for group in doc.signatory_groups:
            if group.label:
                self.para("Heading 2", f"{group.label} ({group.count})")
            for signatory in group.signatories:
                last = self.para("Signatory")
                # names alone read as a list; with details, the name stands out
                if signatory.url:
                    run = self.link(last, signatory.name, signatory.url)
                    run.bold = bool(signatory.details) or None
                else:
                    last.add_run(signatory.name, style="Strong" if signatory.details else None)
                if signatory.details:
                    last.add_run(f" \u2014 {signatory.details}")
        if columns:
            _end_section(self.word, last, columns=2)


def _text_marker(para: Para) -> str:
    indent = "\u2003" * para.level
    return indent + ("\u2022\u00a0" if para.kind == "bullet" else f"{para.number}.\u00a0")


def _cleared(header: Any) -> Any:
    """The header's (or footer's) only paragraph, everything else removed."""
    element = header._element
    for child in list(element):
        element.remove(child)
    return header.add_paragraph()


def _field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) that Word and LibreOffice update on display."""
    field = _element("w:fldSimple", instr=f" {instruction} \\* MERGEFORMAT ")
    run = _element("w:r")
    text = _element("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _end_section(word: Any, paragraph: Any, columns: int) -> None:
    """End a continuous section at *paragraph*, laid out in *columns* columns.

    The document's last ``w:sectPr`` describes the final section; a copy placed in
    a paragraph ends a section there (Word's own way of writing section breaks).
    """
    from docx.enum.section import WD_SECTION

    body_sectPr = word.element.body.get_or_add_sectPr()
    sectPr = deepcopy(body_sectPr)
    if columns > 1:
        for ref in sectPr.xpath("w:headerReference|w:footerReference|w:titlePg"):
            sectPr.remove(ref)
        sectPr.start_type = WD_SECTION.CONTINUOUS
    _columns(sectPr, columns)
    paragraph._p.set_sectPr(sectPr)
    # what follows starts without a page break, in one column
    body_sectPr.start_type = WD_SECTION.CONTINUOUS
    _columns(body_sectPr, 1)


def _columns(sectPr: Any, count: int) -> None:
    cols = _element("w:cols", num=str(count), space="567")
    old = sectPr.find(_qn("w:cols"))
    if old is not None:
        old.addprevious(cols)
        sectPr.remove(old)
        return
    # in schema order: after the page setup, before w:titlePg, w:docGrid and the rest
    later = ("formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter")
    for child in sectPr:
        if child.tag.rsplit("}", 1)[-1] in (*later, "docGrid", "printerSettings", "sectPrChange"):
            child.addprevious(cols)
            return
    sectPr.append(cols)

"""Our Word styles: the default look of each named style, and applying it.

:data:`STYLES` lists every style the renderer uses, with pressroom's default
fonts, sizes, colours, spacing, borders and shading. :func:`ensure_styles` adds
the styles a document lacks (a reference document keeps its own look for the
rest); without a reference document every style gets our look.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pressroom.render.docx.oxml import element, qn, reorder

SERIF = "Georgia"
SANS = "Arial"
MONO = "Consolas"
TEXT = "1B1F23"
MUTED = "5B6670"
ACCENT = "17605A"  # the logo's teal
ALERT = "B42318"  # embargo and BREAKING
LINK = "0B5CAD"
EVENT_LABEL_CM = 3.6


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


def page_setup(word: Any) -> None:
    from docx.shared import Cm

    for section in word.sections:
        section.left_margin = section.right_margin = Cm(2.3)
        section.top_margin = Cm(2.2)
        section.bottom_margin = Cm(2.0)
        section.header_distance = section.footer_distance = Cm(1.0)


def ensure_styles(word: Any, restyle: bool) -> None:
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
        for child in style.element.rPr.findall(qn("w:spacing")):
            style.element.rPr.remove(child)


def _font_name(style: Any, name: str) -> None:
    """Set the font for every script, dropping the theme fonts that would override it."""
    rFonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rFonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        rFonts.set(qn(f"w:{attr}"), name)


def _border(pPr: Any, spec: str) -> None:
    for old in pPr.findall(qn("w:pBdr")):
        pPr.remove(old)
    if spec == "none":
        pPr.append(element("w:pBdr"))  # an empty border list overrides the base style
        reorder(pPr)
        return
    side, color = spec.split(":")
    border = element("w:pBdr")
    border.append(
        element(
            f"w:{side}",
            val="single",
            sz="12" if side == "left" else "6",
            space="8" if side == "left" else "6",
            color=color,
        )
    )
    pPr.append(border)
    reorder(pPr)


def _shading(pPr: Any, fill: str) -> None:
    for old in pPr.findall(qn("w:shd")):
        pPr.remove(old)
    pPr.append(element("w:shd", val="clear", color="auto", fill=fill))
    reorder(pPr)


def _header_tabs(word: Any) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Emu

    section = word.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    tabs = word.styles["Header"].paragraph_format.tab_stops
    tabs.clear_all()
    tabs.add_tab_stop(Emu(width), WD_TAB_ALIGNMENT.RIGHT)


def set_language(word: Any, language: str) -> None:
    """Spelling and hyphenation in the release's language."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rPr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rPr is None:
        return
    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = element("w:lang")
        rPr.append(lang)
    lang.set(qn("w:val"), language)

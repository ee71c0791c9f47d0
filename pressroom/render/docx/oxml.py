"""Low-level Office Open XML: elements python-docx has no API for.

Qualified names, bare ``w:`` elements, schema order inside ``w:pPr``, fields
(``PAGE``, ``NUMPAGES``), external hyperlinks, cleared headers and footers, and
section breaks with columns. python-docx is imported inside each function.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from pressroom.model.links import link_allowed


def qn(tag: str) -> str:
    """Clark notation for a prefixed tag: ``w:pBdr`` -> ``{http://...}pBdr``."""
    from docx.oxml.ns import qn as docx_qn

    return str(docx_qn(tag))


def element(tag: str, **attrs: str) -> Any:
    """A new *tag* element with ``w:``-prefixed attributes."""
    from docx.oxml import OxmlElement

    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


# w:pPr children must come in schema order for Word to open the file
_PPR_ORDER = """
pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers
pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct
autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing
mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl
divId cnfStyle rPr sectPr pPrChange
""".split()


def reorder(pPr: Any) -> None:
    """Put the children of a ``w:pPr`` back in schema order."""

    def rank(child: Any) -> int:
        local = child.tag.rsplit("}", 1)[-1]
        return _PPR_ORDER.index(local) if local in _PPR_ORDER else len(_PPR_ORDER)

    children = sorted(pPr, key=rank)
    for child in children:
        pPr.append(child)


def hyperlink(word: Any, paragraph: Any, text: str, href: str) -> Any:
    """A real hyperlink: ``w:hyperlink`` with an external relationship, 'Hyperlink' style."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    if ":" not in href or not link_allowed(href):
        # an anchor, a path we cannot resolve, or a scheme pressroom never writes: plain text
        return paragraph.add_run(text)
    rel_id = word.part.relate_to(href, RT.HYPERLINK, is_external=True)
    link = element("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    paragraph._p.append(link)
    run = paragraph.add_run(text, style="Hyperlink")
    link.append(run._r)
    return run


def field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) that Word and LibreOffice update on display."""
    simple = element("w:fldSimple", instr=f" {instruction} \\* MERGEFORMAT ")
    run = element("w:r")
    text = element("w:t")
    text.text = placeholder
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def cleared(header: Any) -> Any:
    """The header's (or footer's) only paragraph, everything else removed."""
    el = header._element
    for child in list(el):
        el.remove(child)
    return header.add_paragraph()


def end_section(word: Any, paragraph: Any, columns: int) -> None:
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
    cols = element("w:cols", num=str(count), space="567")
    old = sectPr.find(qn("w:cols"))
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

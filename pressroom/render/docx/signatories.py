"""An open letter's signatories, written into the Word document in bulk.

A letter may carry tens of thousands of names (a signatory list is a partner's
spreadsheet, untrusted). Through python-docx's API each name cost a style
lookup by name (a scan of every style), a paragraph inserted with an XPath
search for its place, and a hyperlink relationship numbered by a scan of all
the others: a letter with 40,000 signatories took two minutes. Here the
style ids are looked up once, each paragraph is built directly as
``w:p`` elements with lxml and moved in place before the section properties, and links
get their relationships from a counter and a dictionary of the addresses
already related. The XML is the same as python-docx writes: a ``Signatory``
paragraph, the name (``Strong`` when details follow, or a ``Hyperlink`` run
in a ``w:hyperlink``), then `` — details``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml.etree import SubElement

from pressroom.model.links import link_allowed
from pressroom.render.document import Signatory
from pressroom.render.docx.oxml import qn

TAGS = ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "b", "t", "hyperlink")

_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\v": " ", "\f": " "})


class Links:
    """External hyperlink relationships of one document, added in O(1) each."""

    def __init__(self, part: Any):
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self.kind = RT.HYPERLINK
        self.rels = part.rels
        self.known = {
            rel.target_ref: rel.rId
            for rel in self.rels.values()
            if rel.is_external and rel.reltype == self.kind
        }
        self.next = len(self.rels) + 1

    def rel_id(self, href: str) -> str:
        if href not in self.known:
            while f"rId{self.next}" in self.rels:
                self.next += 1
            rid = f"rId{self.next}"
            self.rels.add_relationship(self.kind, href, rid, is_external=True)
            self.known[href] = rid
        return self.known[href]


class SignatoryParagraphs:
    """Builds ``Signatory`` paragraphs for one document."""

    def __init__(self, word: Any):
        from docx.enum.style import WD_STYLE_TYPE

        def style_id(name: str, kind: Any) -> str | None:
            return word.part.get_style_id(name, kind)  # type: ignore[no-any-return]

        self.body = word.element.body
        self.tags = {tag: qn(f"w:{tag}") for tag in TAGS}
        self.paragraph_style = style_id("Signatory", WD_STYLE_TYPE.PARAGRAPH)
        self.strong = style_id("Strong", WD_STYLE_TYPE.CHARACTER)
        self.hyperlink = style_id("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        self.links = Links(word.part)
        self.val = qn("w:val")
        self.space = "{http://www.w3.org/XML/1998/namespace}space"
        self.rid = qn("r:id")

    def run(self, parent: Any, text: str, style: str | None, bold: bool = False) -> None:
        tag = self.tags
        r = SubElement(parent, tag["r"])
        if style or bold:
            props = SubElement(r, tag["rPr"])
            if style:
                SubElement(props, tag["rStyle"], {self.val: style})
            if bold:
                SubElement(props, tag["b"])
        t = SubElement(r, tag["t"])
        t.text = text = text.translate(_BREAKS)
        if text != text.strip():
            t.set(self.space, "preserve")

    def paragraph(self, signatory: Signatory) -> Any:
        """A ``w:p`` for *signatory*, made at the end of the body (where it is moved from)."""
        tag = self.tags
        p = SubElement(self.body, tag["p"])  # made in the document: its namespaces, no copies
        if self.paragraph_style:
            SubElement(SubElement(p, tag["pPr"]), tag["pStyle"], {self.val: self.paragraph_style})
        # names alone read as a list; with details, the name stands out
        url = signatory.url
        if url and ":" in url and link_allowed(url):
            link = SubElement(p, tag["hyperlink"], {self.rid: self.links.rel_id(url)})
            self.run(link, signatory.name, self.hyperlink, bold=bool(signatory.details))
        else:
            self.run(p, signatory.name, self.strong if signatory.details else None)
        if signatory.details:
            self.run(p, f" \u2014 {signatory.details}", None)
        return p

    def paragraphs(self, signatories: list[Signatory]) -> Iterator[Any]:
        return (self.paragraph(signatory) for signatory in signatories)


def add_signatories(word: Any, builder: SignatoryParagraphs, signatories: list[Signatory]) -> Any:
    """Append a paragraph for each of *signatories* to the body; the last one, as a
    python-docx paragraph (None when there are none)."""
    from docx.text.paragraph import Paragraph

    body = word.element.body
    section = body.find(qn("w:sectPr"))
    last = None
    for last in builder.paragraphs(signatories):
        if section is not None:
            section.addprevious(last)
        else:
            body.append(last)
    return Paragraph(last, word._body) if last is not None else None

"""A Word document (.docx from Word, Google Docs or LibreOffice) -> a :class:`Draft`.

Only the main document part, its styles, numbering and relationships, the core
properties and (for the release line alone) the page headers are read, each
through :class:`~pressroom.drafts.importing.container.Package`. Paragraph
styles become roles by name (``Title``, ``Subtitle``, ``Heading N``,
``Quote``, ``Caption``, ``List Bullet``/``List Number`` or a numbered
paragraph); bold and italic come from the run's own formatting or its
character style (``Strong``, ``Emphasis``); links from ``w:hyperlink`` and
``HYPERLINK`` fields. Tracked changes are taken as accepted (insertions kept,
deletions dropped) and comments ignored, each with a note. Pictures embedded in
the file are taken with their alt text; a picture, a template or anything else
the document only links to is never fetched.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from pressroom.drafts.importing.container import Package, refused
from pressroom.drafts.importing.language import document_language
from pressroom.drafts.importing.markdown import Run
from pressroom.drafts.importing.source import Draft, Picture, Piece
from pressroom.drafts.importing.wordparts import (
    CP,
    DC,
    OFFICE_DOCUMENT,
    STRICT,
    WP,
    A,
    R,
    Relationship,
    Style,
    V,
    W,
    flag,
    read_numbering,
    read_styles,
    relationships,
    role_of,
)

_RECURSE = {"smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "bdo", "dir", "moveTo"}
_SKIP = {"del", "moveFrom", "commentRangeStart", "commentRangeEnd", "bookmarkStart",
         "bookmarkEnd", "proofErr", "permStart", "permEnd", "rPr", "pPr", "sdtPr",
         "sdtEndPr", "oMath", "oMathPara"}  # fmt: skip


@dataclass
class _Reader:
    package: Package
    draft: Draft
    rels: dict[str, Relationship]
    styles: dict[str, Style]
    numbering: dict[tuple[str, int], str]
    fields: list[list[str]] = field(default_factory=list)  # open fields: [state, instruction]
    extra: list[Piece] = field(default_factory=list)  # text boxes met inside a paragraph
    count: int = 0

    # styles

    def _chain(self, style_id: str | None) -> list[Style]:
        chain: list[Style] = []
        while style_id and style_id in self.styles and len(chain) < 20:
            style = self.styles[style_id]
            chain.append(style)
            style_id = style.based_on
        return chain

    def paragraph_role(self, p: Element) -> tuple[str, int, str]:
        ppr = p.find(W + "pPr")
        style_el = ppr.find(W + "pStyle") if ppr is not None else None
        style_id = style_el.get(W + "val") if style_el is not None else None
        chain = self._chain(style_id)
        name = chain[0].name if chain else ""
        role, level = "normal", 0
        for style in chain:
            role, level = role_of(style.name)
            if role != "normal":
                break
        num = ppr.find(W + "numPr") if ppr is not None else None
        numbered: tuple[str, int] | None = None
        if num is not None and num.find(W + "numId") is not None:
            level_el = num.find(W + "ilvl")
            numbered = (
                num.find(W + "numId").get(W + "val", ""),  # type: ignore[union-attr]
                int(level_el.get(W + "val", "0")) if level_el is not None else 0,
            )
        else:
            numbered = next((s.numbered for s in chain if s.numbered), None)
        if numbered and numbered[0] != "0" and role in ("normal", "bullet", "number"):
            fmt = self.numbering.get(numbered, "bullet" if role == "bullet" else "decimal")
            role = "bullet" if fmt in ("bullet", "none") else "number"
            level = numbered[1]
        return role, level, name

    def run_format(self, r: Element) -> tuple[bool, bool]:
        rpr = r.find(W + "rPr")
        bold, italic = flag(rpr, "b"), flag(rpr, "i")
        style_el = rpr.find(W + "rStyle") if rpr is not None else None
        for style in self._chain(style_el.get(W + "val") if style_el is not None else None):
            bold = bold or style.bold or style.name.lower() == "strong"
            italic = italic or style.italic or style.name.lower() == "emphasis"
        return bold, italic

    # text

    def link(self, el: Element) -> str | None:
        rel = self.rels.get(el.get(R + "id", ""))
        return rel.target if rel is not None and rel.external else None

    def inline(self, el: Element, runs: list[Run], pieces: list[Piece], href: str | None) -> None:
        for child in el:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "r":
                self.run(child, runs, pieces, href)
            elif tag == "hyperlink":
                self.inline(child, runs, pieces, self.link(child) or href)
            elif tag == "ins":
                self.draft.note("tracked changes were taken as accepted")
                self.inline(child, runs, pieces, href)
            elif tag in ("del", "moveFrom"):
                self.draft.note("tracked changes were taken as accepted")
            elif tag == "fldSimple":
                instr = child.get(W + "instr", "")
                self.inline(child, runs, pieces, _field_link(instr) or href)
            elif tag in _RECURSE:
                self.inline(child, runs, pieces, href)
            elif tag == "commentRangeStart":
                self.draft.note("comments were left out")

    def run(self, r: Element, runs: list[Run], pieces: list[Piece], href: str | None) -> None:
        bold, italic = self.run_format(r)
        text: list[str] = []
        for child in r:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    self.fields.append(["instr", ""])
                elif kind == "separate" and self.fields:
                    self.fields[-1][0] = "result"
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag == "instrText" and self.fields:
                self.fields[-1][1] += child.text or ""
            elif self.fields and self.fields[-1][0] == "instr":
                continue
            elif tag == "t":
                text.append(child.text or "")
            elif tag == "tab":
                text.append("\t")
            elif tag in ("br", "cr"):
                text.append("\n" if child.get(W + "type") in (None, "textWrapping") else " ")
            elif tag == "noBreakHyphen":
                text.append("-")
            elif tag == "commentReference":
                self.draft.note("comments were left out")
            elif tag in ("drawing", "pict", "object"):
                self.drawing(child, pieces)
        field_href = next(
            (_field_link(instr) for state, instr in self.fields if state == "result"), None
        )
        if text:
            runs.append(Run("".join(text), bold, italic, href or field_href))

    def drawing(self, el: Element, pieces: list[Piece]) -> None:
        doc_pr = next(el.iter(WP + "docPr"), None)
        alt = (doc_pr.get("descr") or "") if doc_pr is not None else ""
        for blip in el.iter(A + "blip"):
            self.picture(blip.get(R + "embed"), blip.get(R + "link"), alt, pieces)
        for data in el.iter(V + "imagedata"):
            self.picture(data.get(R + "id"), None, alt or data.get(_O_TITLE, ""), pieces)
        if el.tag.endswith("object"):
            self.draft.note("embedded objects (OLE) were left out")
        for box in el.iter(W + "txbxContent"):
            for p in box.iter(W + "p"):
                self.extra.extend(self.paragraph(p))

    def picture(self, embed: str | None, link: str | None, alt: str, pieces: list[Piece]) -> None:
        rel = self.rels.get(embed or "") or self.rels.get(link or "")
        if rel is None:
            return
        if rel.external:
            self.draft.note(f"a linked picture ({rel.target[:80]}) was not fetched")
            return
        if not self.package.has(rel.target):
            return
        picture = Picture(self.package.read(rel.target), posixpath.basename(rel.target), alt)
        pieces.append(Piece([], role="picture", where=self.where, picture=picture))

    @property
    def where(self) -> str:
        return f"paragraph {self.count}"

    def paragraph(self, p: Element) -> list[Piece]:
        self.count += 1
        role, level, style = self.paragraph_role(p)
        runs: list[Run] = []
        pictures: list[Piece] = []
        self.inline(p, runs, pictures, None)
        pieces = []
        if "".join(run.text for run in runs).strip():
            pieces.append(Piece(runs, role, self.where, level, style))
        for picture in pictures:
            picture.style = style
        return pieces + pictures

    def block(self, el: Element) -> list[Piece]:
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            pieces = self.paragraph(el)
            pieces += self.extra
            self.extra = []
            return pieces
        if tag == "tbl":
            return self.table(el)
        if tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
            return [piece for child in el for piece in self.block(child)]
        if tag == "altChunk":
            self.draft.note("an embedded document (altChunk) was left out")
        return []

    def table(self, tbl: Element) -> list[Piece]:
        rows: list[Piece] = []
        for tr in tbl.iter(W + "tr"):
            cells = []
            for tc in tr.findall(W + "tc"):
                parts = [piece.markdown for child in tc for piece in self.block(child)]
                cells.append("\\\n".join(part for part in parts if part))
            if any(cells):
                rows.append(Piece([], "row", self.where, cells=cells))
        return rows


_O_TITLE = "{urn:schemas-microsoft-com:office:office}title"


def _field_link(instruction: str) -> str | None:
    words = instruction.split()
    if len(words) >= 2 and words[0].upper() == "HYPERLINK" and not words[1].startswith("\\"):
        return words[1].strip('"')
    return None


def read_docx(package: Package) -> Draft:
    """The pieces of a Word document, in reading order."""
    display = package.display
    draft = Draft("Word document")
    main = next(
        (
            rel.target
            for rel in relationships(package, "").values()
            if rel.kind.endswith(OFFICE_DOCUMENT) and not rel.external
        ),
        "word/document.xml",
    )
    root = package.xml(main)
    if root is None:
        raise refused(display, "it is a zip but not a Word document (no word/document.xml)")
    if root.tag.startswith("{" + STRICT):
        raise refused(display, "it is saved as Strict Open XML", "save it as Word Document (.docx)")
    body = root.find(W + "body")
    if body is None:
        raise refused(display, "the Word document has no body")
    rels = relationships(package, main)
    reader = _Reader(package, draft, rels, read_styles(package), read_numbering(package))
    for child in body:
        draft.pieces.extend(reader.block(child))
    _furniture(package, draft, rels, reader)
    draft.language = document_language((package.xml("word/styles.xml"), root), W) or ""
    return draft


def _furniture(
    package: Package, draft: Draft, rels: dict[str, Relationship], reader: _Reader
) -> None:
    """Headers, notes, comments, macros, templates, properties: what surrounds the body."""
    for rel in rels.values():
        if rel.kind.endswith("/header") and package.has(rel.target):
            header = package.xml(rel.target)
            for p in header.iter(W + "p") if header is not None else ():
                text = "".join(t.text or "" for t in p.iter(W + "t")).strip()
                if text:
                    draft.header_text.append(text)
        elif rel.kind.endswith(("/footnotes", "/endnotes")) and package.has(rel.target):
            notes = package.xml(rel.target)
            for note in list(notes) if notes is not None else ():
                if note.get(W + "type") in ("separator", "continuationSeparator"):
                    continue
                for p in note.iter(W + "p"):
                    for piece in reader.paragraph(p):
                        piece.where = "a footnote"
                        draft.pieces.append(piece)
        elif rel.kind.endswith("/comments"):
            draft.note("comments were left out")
        elif rel.external and not rel.kind.endswith("/hyperlink"):
            draft.note(f"an external reference ({rel.target[:80]}) was not fetched")
    if any(name.lower().endswith("vbaproject.bin") for name in package.names):
        draft.note("macros were ignored (never run)")
    for rel in relationships(package, "word/settings.xml").values():
        if rel.external:
            draft.note(f"a remote template ({rel.target[:80]}) was not fetched")
    core = package.xml("docProps/core.xml")
    if core is not None:
        draft.subject = (core.findtext(DC + "subject") or "").strip()
        draft.keywords = (core.findtext(CP + "keywords") or "").strip()
        draft.title = (core.findtext(DC + "title") or "").strip()

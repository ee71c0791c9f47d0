"""An OpenDocument text (.odt, from LibreOffice or Google Docs) -> a :class:`Draft`.

``content.xml`` holds the text; paragraph styles are followed through their
parents to a name (``Title``, ``Subtitle``, ``Heading_20_1``, ``Quotations``);
bold and italic come from the text properties of a span's or paragraph's style;
``text:a`` is a link; ``text:list`` items are bullets or numbers by their list
style. Tracked changes are taken as accepted (ODF keeps deleted text in
``text:tracked-changes``, which is skipped) and annotations (comments) are
ignored, each with a note. Pictures stored in the file are taken; a picture
the document only links to is never fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from pressroom.drafts.importing.container import Package, refused
from pressroom.drafts.importing.language import odf_language
from pressroom.drafts.importing.markdown import Run
from pressroom.drafts.importing.source import Draft, Picture, Piece
from pressroom.drafts.importing.wordparts import role_of

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
XLINK = "{http://www.w3.org/1999/xlink}"
DC = "{http://purl.org/dc/elements/1.1/}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
MIMETYPE = "application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class _Style:
    parent: str | None
    display: str
    bold: bool
    italic: bool


def _styles(*roots: Element | None) -> tuple[dict[str, _Style], dict[str, str]]:
    """Text and paragraph styles by name, and list styles by name -> "bullet"/"number"."""
    styles: dict[str, _Style] = {}
    lists: dict[str, str] = {}
    for root in roots:
        if root is None:
            continue
        for el in root.iter(STYLE + "style"):
            props = el.find(STYLE + "text-properties")
            weight = props.get(FO + "font-weight", "") if props is not None else ""
            posture = props.get(FO + "font-style", "") if props is not None else ""
            name = el.get(STYLE + "name", "")
            styles[name] = _Style(
                el.get(STYLE + "parent-style-name"),
                el.get(STYLE + "display-name") or name.replace("_20_", " "),
                weight == "bold" or weight.isdigit() and int(weight) >= 600,
                posture in ("italic", "oblique"),
            )
        for el in root.iter(TEXT + "list-style"):
            first = next(iter(el), None)
            kind = "number" if first is not None and first.tag.endswith("number") else "bullet"
            lists[el.get(STYLE + "name", "")] = kind
    return styles, lists


@dataclass
class _Reader:
    package: Package
    draft: Draft
    styles: dict[str, _Style]
    lists: dict[str, str]
    count: int = 0
    pieces: list[Piece] = field(default_factory=list)

    def chain(self, name: str | None) -> list[_Style]:
        out: list[_Style] = []
        while name and name in self.styles and len(out) < 20:
            out.append(self.styles[name])
            name = self.styles[name].parent
        return out

    def format(self, name: str | None, bold: bool, italic: bool) -> tuple[bool, bool]:
        for style in self.chain(name):
            bold, italic = bold or style.bold, italic or style.italic
        return bold, italic

    def inline(
        self, el: Element, runs: list[Run], bold: bool, italic: bool, href: str | None
    ) -> None:
        if el.text:
            runs.append(Run(el.text, bold, italic, href))
        for child in el:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "span":
                b, i = self.format(child.get(TEXT + "style-name"), bold, italic)
                self.inline(child, runs, b, i, href)
            elif tag == "a":
                self.inline(child, runs, bold, italic, child.get(XLINK + "href") or href)
            elif tag == "s":
                runs.append(
                    Run(" " * min(int(child.get(TEXT + "c", "1") or 1), 100), bold, italic, href)
                )
            elif tag == "tab":
                runs.append(Run("\t", bold, italic, href))
            elif tag == "line-break":
                runs.append(Run("\n", bold, italic, href))
            elif tag == "annotation":
                self.draft.note("comments were left out")
            elif tag in ("change", "change-start", "change-end"):
                self.draft.note("tracked changes were taken as accepted")
            elif tag == "frame":
                self.frame(child)
            elif tag in ("note", "annotation-end", "bookmark", "bookmark-start", "bookmark-end"):
                pass
            else:  # meta fields, ruby, soft page breaks: their text
                self.inline(child, runs, bold, italic, href)
            if child.tail:
                runs.append(Run(child.tail, bold, italic, href))

    def frame(self, frame: Element) -> None:
        alt = (frame.findtext(SVG + "desc") or frame.findtext(SVG + "title") or "").strip()
        for image in frame.iter(DRAW + "image"):
            target = image.get(XLINK + "href", "")
            if "://" in target or target.startswith("/"):
                self.draft.note(f"a linked picture ({target[:80]}) was not fetched")
            elif self.package.has(target.removeprefix("./")):
                data = self.package.read(target.removeprefix("./"))
                name = target.rsplit("/", 1)[-1]
                self.pieces.append(
                    Piece([], "picture", self.where, picture=Picture(data, name, alt))
                )
        for box in frame.iter(DRAW + "text-box"):
            self.blocks(box, None, 0)

    @property
    def where(self) -> str:
        return f"paragraph {self.count}"

    def paragraph(self, el: Element, list_kind: str | None, level: int) -> None:
        self.count += 1
        style_name = el.get(TEXT + "style-name")
        chain = self.chain(style_name)
        role, role_level = "normal", 0
        for style in chain:
            role, role_level = role_of(style.display)
            if role != "normal":
                break
        if el.tag == TEXT + "h":
            role = role if role in ("title", "subtitle") else "heading"
            role_level = int(el.get(TEXT + "outline-level", "1") or 1)
        if list_kind and role == "normal":
            role, role_level = list_kind, level
        bold, italic = self.format(style_name, False, False)
        runs: list[Run] = []
        at = len(self.pieces)
        self.inline(el, runs, bold, italic, None)
        if "".join(run.text for run in runs).strip():
            display = chain[0].display if chain else ""
            self.pieces.insert(at, Piece(runs, role, self.where, role_level, display))

    def blocks(self, parent: Element, list_kind: str | None, level: int) -> None:
        for child in parent:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag in ("p", "h"):
                self.paragraph(child, list_kind, level)
            elif tag == "list":
                kind = self.lists.get(child.get(TEXT + "style-name", ""), list_kind or "bullet")
                for item in child:
                    self.blocks(item, kind, level + (1 if list_kind else 0))
            elif tag == "table":
                self.table(child)
            elif tag == "tracked-changes":
                self.draft.note("tracked changes were taken as accepted")
            elif tag in ("section", "list-item", "list-header", "index-body"):
                self.blocks(child, list_kind, level)

    def table(self, table: Element) -> None:
        for row in table.iter(TABLE + "table-row"):
            cells = []
            for cell in row.findall(TABLE + "table-cell"):
                inner = _Reader(self.package, self.draft, self.styles, self.lists, self.count)
                inner.blocks(cell, None, 0)
                cells.append("\\\n".join(p.markdown for p in inner.pieces if p.markdown))
            if any(cells):
                self.pieces.append(Piece([], "row", self.where, cells=cells))


def read_odt(package: Package) -> Draft:
    """The pieces of an OpenDocument text, in reading order."""
    display = package.display
    if package.has("mimetype"):
        mimetype = package.read("mimetype").decode("ascii", "replace").strip()
        if mimetype != MIMETYPE:
            raise refused(display, f"it is an OpenDocument file of another kind ({mimetype[:60]})")
    content = package.xml("content.xml")
    text = content.find(f"{OFFICE}body/{OFFICE}text") if content is not None else None
    if text is None:
        raise refused(display, "it is not an OpenDocument text (no office:text in content.xml)")
    draft = Draft("OpenDocument text")
    styles, lists = _styles(package.xml("styles.xml"), content)
    reader = _Reader(package, draft, styles, lists)
    reader.blocks(text, None, 0)
    draft.pieces = reader.pieces
    draft.language = odf_language((package.xml("styles.xml"), content), FO) or ""
    if any(name.lower().startswith("basic/") for name in package.names):
        draft.note("macros were ignored (never run)")
    meta = package.xml("meta.xml")
    if meta is not None:
        draft.subject = (next(meta.iter(DC + "subject"), Element("x")).text or "").strip()
        draft.title = (next(meta.iter(DC + "title"), Element("x")).text or "").strip()
        draft.keywords = ", ".join((k.text or "").strip() for k in meta.iter(META + "keyword"))
    return draft

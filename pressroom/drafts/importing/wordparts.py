"""The parts of a Word document read around its text: the XML namespaces, the
relationships of a part, the styles (and the role each paragraph style's name
says: title, heading, quote...), and the numbering of lists.

:mod:`.wordml` reads the text with them; :mod:`.odf` shares :func:`role_of`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from pressroom.drafts.importing.container import Package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
V = "{urn:schemas-microsoft-com:vml}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DC = "{http://purl.org/dc/elements/1.1/}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
OFFICE_DOCUMENT = "/officeDocument"
STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"

ON = {None, "1", "true", "on"}


@dataclass(frozen=True)
class Relationship:
    target: str
    kind: str
    external: bool


@dataclass(frozen=True)
class Style:
    name: str
    based_on: str | None
    bold: bool
    italic: bool
    numbered: tuple[str, int] | None  # (numId, level) from the style's numbering


def flag(props: Element | None, tag: str) -> bool:
    if props is None:
        return False
    el = props.find(W + tag)
    return el is not None and el.get(W + "val") in ON


def relationships(package: Package, part: str) -> dict[str, Relationship]:
    folder, name = posixpath.split(part)
    root = package.xml(posixpath.join(folder, "_rels", name + ".rels"))
    rels: dict[str, Relationship] = {}
    for rel in root.iter(PR + "Relationship") if root is not None else ():
        external = rel.get("TargetMode") == "External"
        target = rel.get("Target", "")
        if not external:
            target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
        rels[rel.get("Id", "")] = Relationship(target, rel.get("Type", ""), external)
    return rels


def read_styles(package: Package) -> dict[str, Style]:
    root = package.xml("word/styles.xml")
    styles: dict[str, Style] = {}
    for el in root.iter(W + "style") if root is not None else ():
        name_el = el.find(W + "name")
        based = el.find(W + "basedOn")
        rpr = el.find(W + "rPr")
        num = el.find(f"{W}pPr/{W}numPr")
        numbered = None
        if num is not None and num.find(W + "numId") is not None:
            num_id = num.find(W + "numId").get(W + "val", "")  # type: ignore[union-attr]
            level_el = num.find(W + "ilvl")
            numbered = (num_id, int(level_el.get(W + "val", "0")) if level_el is not None else 0)
        styles[el.get(W + "styleId", "")] = Style(
            name=name_el.get(W + "val", "") if name_el is not None else "",
            based_on=based.get(W + "val") if based is not None else None,
            bold=flag(rpr, "b"),
            italic=flag(rpr, "i"),
            numbered=numbered,
        )
    return styles


def read_numbering(package: Package) -> dict[tuple[str, int], str]:
    """(numId, level) -> the number format ("bullet", "decimal", ...)."""
    root = package.xml("word/numbering.xml")
    if root is None:
        return {}
    abstract: dict[str, dict[int, str]] = {}
    for el in root.iter(W + "abstractNum"):
        levels = {}
        for lvl in el.iter(W + "lvl"):
            fmt = lvl.find(W + "numFmt")
            levels[int(lvl.get(W + "ilvl", "0"))] = (
                fmt.get(W + "val", "decimal") if fmt is not None else "decimal"
            )
        abstract[el.get(W + "abstractNumId", "")] = levels
    formats: dict[tuple[str, int], str] = {}
    for num in root.iter(W + "num"):
        ref = num.find(W + "abstractNumId")
        levels = abstract.get(ref.get(W + "val", "") if ref is not None else "", {})
        for level, kind in levels.items():
            formats[(num.get(W + "numId", ""), level)] = kind
    return formats


def role_of(name: str) -> tuple[str, int]:
    """A paragraph style's name -> (role, level): Word's, Google's and LibreOffice's names."""
    low = name.lower().replace("_", " ").strip()
    if low == "title":
        return "title", 0
    if low == "subtitle":
        return "subtitle", 0
    if low.startswith("heading") and low[7:].strip().isdigit():
        return "heading", int(low[7:].strip())
    if low in ("quote", "intense quote", "quotations", "block text"):
        return "quote", 0
    if low == "caption":
        return "caption", 0
    if low.startswith("list bullet"):
        return "bullet", 0
    if low.startswith("list number"):
        return "number", 0
    return "normal", 0

"""What every reader makes of a document: pieces in reading order, pictures and notes.

A reader (:mod:`.wordml` for .docx, :mod:`.odf` for .odt, :mod:`.plaintext` for
Markdown and text) turns a document into a :class:`Draft`: a flat list of
:class:`Piece` (one per paragraph, list item or table row), the pictures the
document embeds, and :class:`Note` for what it read but did not take (tracked
changes accepted, comments ignored, linked images never fetched). The
structure finder (:mod:`.assemble`) then reads only this, whatever the format,
so a rule about headlines or quotes is written once.

A piece keeps the paragraph style it was written in, translated to a small
vocabulary (:data:`ROLES`), and the raw style name, so that pressroom's own
Word output ("Release Line", "Attribution", "Signatory") is recognised exactly
and drafts from elsewhere by their shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pressroom.drafts.importing.markdown import Run, to_markdown

ROLES = ("title", "subtitle", "heading", "bullet", "number", "quote", "caption", "row", "picture",
         "normal")  # fmt: skip
"""title, subtitle, heading (with a level), list items, a quote paragraph, a caption,
a table row (with cells), an embedded picture, or a plain paragraph."""


@dataclass(frozen=True)
class Picture:
    """An image embedded in the document (never one it only links to)."""

    data: bytes
    name: str = ""
    alt: str = ""


@dataclass
class Piece:
    """One paragraph of the source, with its formatting and where it was."""

    runs: list[Run]
    role: str = "normal"
    where: str = ""
    level: int = 0
    style: str = ""
    """The style name as the document spells it ("Release Line", "Heading 1")."""
    cells: list[str] = field(default_factory=list)
    """A table row: the Markdown of each cell."""
    picture: Picture | None = None

    @property
    def text(self) -> str:
        if self.cells:
            return " | ".join(self.cells)
        return "".join(run.text for run in self.runs).strip()

    @property
    def markdown(self) -> str:
        if self.cells:
            return " | ".join(self.cells)
        return to_markdown(self.runs)

    @property
    def bold(self) -> bool:
        """Every visible character is bold (a bold first line serves as a headline)."""
        visible = [run for run in self.runs if run.text.strip()]
        return bool(visible) and all(run.bold for run in visible)

    @property
    def italic(self) -> bool:
        visible = [run for run in self.runs if run.text.strip()]
        return bool(visible) and all(run.italic for run in visible)


@dataclass(frozen=True)
class Note:
    """Something the reader saw and did not take as text: said once, as a warning."""

    message: str
    where: str = ""


@dataclass
class Draft:
    """A document read: its pieces in order, what it says about itself, and notes."""

    kind: str
    """What the document was: "Word document", "OpenDocument text", "Markdown", "text"."""
    pieces: list[Piece] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    subject: str = ""
    """The document's subject property (pressroom's own .docx writes the release type)."""
    keywords: str = ""
    title: str = ""
    """The document's title property: a stand-in headline for a draft without one."""
    language: str = ""
    """The language tag the document itself names (Word's ``w:lang``), if any."""
    header_text: list[str] = field(default_factory=list)
    """Text of the page headers (a release line written there is taken; the rest is furniture)."""

    def note(self, message: str, where: str = "") -> None:
        if all(n.message != message for n in self.notes):
            self.notes.append(Note(message, where))

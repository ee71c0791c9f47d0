"""The release being read: :class:`Builder` takes pieces one kind at a time.

:mod:`.assemble` walks the pieces and decides what each is; the builder
holds what was found so far and turns a piece (or a run of them) into keys:
the furniture before the headline, a paragraph with its dateline, a list, a
quote with its speaker, an advisory's field, a signatory. A piece nothing
fits goes to the body through :meth:`Builder.place`, never away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pressroom.drafts.importing import back, front, quotes
from pressroom.drafts.importing.advisory import bullets, row_label
from pressroom.drafts.importing.markdown import Run, to_markdown
from pressroom.drafts.importing.moments import parse_span_text
from pressroom.drafts.importing.people import (
    EMAIL,
    PHONE,
    Roster,
    looks_like_name,
    split_attribution,
)
from pressroom.drafts.importing.source import Draft, Picture, Piece
from pressroom.drafts.importing.wording import alternation, type_of_label
from pressroom.model.room import Room

SHORT = 300
"""Characters: a subheadline, a name or a label is shorter than a paragraph of prose."""
FURNITURE_STYLES = ("Letterhead", "Letterhead Details")
"""pressroom's own letterhead: the room's name, website and address, from pressroom.yaml."""
SALUTATION = re.compile(r"^\s*" + alternation("salutation") + r"[\s,]\s*[^\n]{2,200}[,:]\s*$")
TEMPORARY = re.compile(r"[,:;]$")


@dataclass(frozen=True)
class Unplaced:
    block: int
    where: str
    why: str


@dataclass
class Found:
    """What an import makes of a draft: the release's keys and what it said about them."""

    release: dict[str, Any]
    said: list[str] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    pictures: list[tuple[Picture, dict[str, str]]] = field(default_factory=list)
    """Each embedded picture and its image entry (caption, credit, alt) before it has a file."""
    missing_headline: bool = False
    """No headline was found: a stand-in was written (and the command warns at it)."""


class Builder:
    """The release as it is being read: keys found so far, the body, people met."""

    def __init__(self, draft: Draft, room: Room, roster: Roster):
        self.draft = draft
        self.room = room
        self.roster = roster
        self.zone = room.config.timezone
        self.r: dict[str, Any] = {}
        self.body: list[Any] = []
        self.unplaced: list[Unplaced] = []
        self.updates: list[dict[str, Any]] = []
        self.addressees: list[dict[str, str]] = []
        self.groups: dict[str | None, list[Any]] = {}
        self.group: str | None = None
        self.fields: dict[str, str] = {}
        self.field: str | None = None
        self.when: dict[str, Any] | None = None
        self.about: list[str] | None = None
        self.contacts: list[str] = []
        self.hashtags: list[str] = []
        self.pictures: list[tuple[Picture, dict[str, str]]] = []
        self.said: list[str] = []
        self.mode = "body"
        self.pending_who: str | None = None
        self.quotes: list[str] = []
        self.missing_headline = False
        self.contact_after_body = False  # a media contact block stood after the body began
        self.prose = False  # a paragraph of the body was read (the dateline opens the first)

    # -- helpers ---------------------------------------------------------------------

    def place(self, piece: Piece, why: str, markdown: str | None = None) -> None:
        self.body.append(markdown if markdown is not None else piece.markdown)
        self.unplaced.append(Unplaced(len(self.body) - 1, piece.where, why))

    @property
    def started(self) -> bool:
        return bool(self.body)

    def logo(self) -> bytes | None:
        logo = self.room.config.org.logo
        try:
            return logo.path.read_bytes() if logo is not None else None
        except OSError:
            return None

    # -- the top -----------------------------------------------------------------------

    def front_piece(self, pieces: list[Piece], i: int) -> int | None:
        """Take the furniture at *i* before the headline; the next index, or None."""
        piece = pieces[i]
        text = piece.text
        line = front.release_line(text, self.zone)
        if line is not None:
            self.status(line)
            return i + 1
        if front.TYPE_LINE.match(text) and piece.role != "title":
            kind = type_of_label(text)
            if kind is not None and kind != "press-release":
                self.r["type"] = kind
            self.said.append(f"release type line: {text.strip()}")
            return i + 1
        update = front.update_banner(piece.markdown, text)
        if update is not None or piece.style == "Update Banner":
            self.update(piece, update)
            return i + 1
        if piece.style == "Contact Block" or back.contact_label(text) is not None:
            return self.contact_block(pieces, i)
        return None

    def status(self, line: front.ReleaseLine) -> None:
        if "status" in self.r and line.status == "immediate":
            return
        self.r["status"] = line.status
        if line.status == "embargoed":
            if line.embargo:
                self.r["embargo"] = line.embargo
                self.said.append(f"embargoed until {line.embargo}")
            else:
                self.said.append(f"embargoed, but the time could not be read: {line.when_text!r}")
        else:
            self.said.append(f"release line: {line.status}")

    def update(self, piece: Piece, update: tuple[str, Any, str] | None) -> None:
        if update is None:
            self.place(piece, "an update banner whose label could not be read")
            return
        label, day, text = update
        entry: dict[str, Any] = {}
        if day is not None:
            entry["date"] = day.isoformat()
        entry["label"] = label
        entry["text"] = text
        self.updates.append(entry)

    def contact_block(self, pieces: list[Piece], i: int) -> int:
        piece = pieces[i]
        rest = back.contact_label(piece.text)
        lines: list[str] = []
        if rest is None:  # pressroom's own Contact Block paragraph, no label
            lines += piece.text.split("\n")
        elif rest:
            lines += rest.split("\n")
        j = i + 1
        while j < len(pieces):
            nxt = pieces[j]
            ahead = " ".join(p.text for p in pieces[j : j + 3])
            if nxt.style == "Contact Block" and back.contact_label(nxt.text) is None:
                lines += [""] + nxt.text.split("\n")
            elif (
                nxt.role == "normal"
                and not nxt.style
                and len(nxt.text) <= 120
                and not nxt.bold
                and (EMAIL.search(ahead) or PHONE.search(ahead))
                and not front.release_line(nxt.text, self.zone)
            ):
                lines += nxt.text.split("\n")
            else:
                break
            j += 1
        entries = back.contact_entries(lines)
        readable = [
            entry
            for entry in entries
            if looks_like_name(entry["name"] or "")
            or self.roster.match(entry["name"] or "", entry["email"])
        ]
        if not entries or len(readable) < len(entries):  # not a block of people: keep its words
            for taken in pieces[i:j]:
                self.place(taken, "a contact block whose people could not be read")
            return j
        for entry in entries:
            name = entry["name"] or ""
            title, org = None, None
            if entry["affiliation"]:
                _, title, org = split_attribution(f"{name}, {entry['affiliation']}")
            key = self.roster.person(
                name, title, org, piece.where, email=entry["email"], phone=entry["phone"]
            )
            if key not in self.contacts:
                self.contacts.append(key)
        return j

    # -- the body ----------------------------------------------------------------------

    def paragraph(self, piece: Piece) -> None:
        runs = piece.runs
        first, self.prose = not self.prose and "dateline" not in self.r, True
        if first and self.r.get("type") != "open-letter":
            found = front.dateline(piece.text)
            if found is not None:
                place, day, length = found
                self.r["dateline"] = place
                if day is not None:
                    self.r.setdefault("date", day.isoformat())
                runs = front.without_prefix(runs, length)
                self.said.append(f"dateline: {place}" + (f", {day.isoformat()}" if day else ""))
        markdown = to_markdown(runs)
        if markdown:
            self.body.append(markdown)

    def list_items(self, pieces: list[Piece], i: int) -> int:
        lines = []
        number = 0
        while i < len(pieces) and pieces[i].role in ("bullet", "number"):
            piece = pieces[i]
            number = number + 1 if piece.role == "number" else 0
            marker = "- " if piece.role == "bullet" else f"{number}. "
            indent = "  " * min(piece.level, 4)
            lines.append(indent + marker + piece.markdown.replace("\\\n", " "))
            i += 1
        text = "\n".join(lines)
        if self.body and isinstance(self.body[-1], str) and self.body[-1].rstrip().endswith(":"):
            self.body[-1] = self.body[-1] + "\n\n" + text
        else:
            self.body.append(text)
        return i

    def quote(self, pieces: list[Piece], i: int) -> int | None:
        """A quote block from *i*; the next index, or None when *i* is no attributed quote."""
        piece = pieces[i]
        if piece.role != "quote":
            inline = quotes.said_after(piece.markdown)
            if inline is not None:
                said, speaker, rest = inline
                key = self.roster.attributed(speaker, piece.where)
                if key is None:
                    return None
                text = quotes.unquoted(said, True, True)
                if not text.endswith((".", "!", "?", "\u2026", "*")):
                    text += "."  # „…“, sagte X: the comma stands outside the marks
                self.add_quote(key, text)
                if rest:
                    self.body.append(rest)
                return i + 1
        j = i
        if piece.role == "quote":
            while (
                j < len(pieces) and pieces[j].role == "quote" and pieces[j].style != "Attribution"
            ):
                if quotes.ATTRIBUTION.match(pieces[j].text):
                    break
                j += 1
        else:
            j = i + 1
            if not quotes.closes(piece.text):
                while (
                    j < len(pieces) and quotes.opens(pieces[j].text) and pieces[j].role == "normal"
                ):
                    j += 1
                    if quotes.closes(pieces[j - 1].text):
                        break
        who = None
        after = j
        if j < len(pieces):
            match = quotes.ATTRIBUTION.match(pieces[j].text)
            if match or pieces[j].style == "Attribution":
                who = match["who"] if match else pieces[j].text
                after = j + 1
        if who is None and self.pending_who:
            who = self.pending_who
        if who is None:
            return None
        key = self.roster.attributed(who, pieces[i].where)
        if key is None:
            return None
        self.pending_who = None
        chosen = pieces[i:j]
        text = "\n\n".join(
            quotes.unquoted(p.markdown, k == 0, k == len(chosen) - 1) for k, p in enumerate(chosen)
        )
        self.add_quote(key, text)
        return after

    def add_quote(self, key: str, text: str) -> None:
        self.body.append({"quote": key, "text": text})
        self.quotes.append(key)

    def event_piece(self, piece: Piece, label: tuple[str, int] | None) -> None:
        if piece.cells:
            key = row_label(piece.cells) or ""
            value = "\n".join(piece.cells[1:]).replace("\\\n", "\n")
        elif label is not None:
            key = label[0]
            value = to_markdown(front.without_prefix(piece.runs, label[1]))
        else:  # a continuation: pressroom's tab-indented lines, a list item
            key = self.field or "what"
            marker = "- " if piece.role == "bullet" else ""
            value = marker + piece.markdown
            self.fields[key] = (self.fields.get(key, "") + "\n" + bullets(value)).strip()
            return
        self.field = key
        if key == "when":
            span = parse_span_text(piece.text, self.zone)
            if span is None:
                self.place(piece, "a WHEN whose date and time could not be read")
                return
            self.when = {"start": span[0]} | ({"end": span[1]} if span[1] else {})
            return
        if key == "onsite_contact":
            entries = back.contact_entries([value.replace("\\", "")])
            if entries:
                entry = entries[0]
                self.fields[key] = self.roster.person(
                    entry["name"] or "", None, None, piece.where, email=entry["email"],
                    phone=entry["phone"],
                )  # fmt: skip
            return
        if key == "rsvp":
            value = re.sub(r"\[([^\]]*)\]\((?:mailto:)?[^)]*\)", r"\1", value).replace("\\", "")
        self.fields[key] = bullets(value)

    def signatory_piece(self, piece: Piece) -> None:
        text = piece.text
        group = back.GROUP.match(text)
        if (
            piece.role == "heading"
            or (group and group["count"])
            or (group and piece.bold and len(text) < 60)
        ):
            self.group = group["label"] if group else text
            self.groups.setdefault(self.group, [])
            return
        lines = text.split("\n") if "\n" in text else None
        entries = (
            [back.signatory([Run(line)]) for line in lines if line.strip()]
            if lines
            else [back.signatory(piece.runs)]
        )
        for entry in entries:
            self.groups.setdefault(self.group, []).append(
                entry["name"] if list(entry) == ["name"] else entry
            )

"""The pieces of a draft -> the keys of a release, and what could not be placed.

:func:`assemble` reads a :class:`~.source.Draft` top to bottom, the way an
editor would: the furniture before the headline (release line, update banners,
a media contact block), the headline (the Title style, else a first Heading 1,
else a bold first line, else the first line), the subheadline, then the body,
in which it recognises the dateline, quotes (:mod:`.quotes`), headings and
lists, an open letter's parts (place and date, addressees, salutation,
closing, signatories), a media advisory's fields (:mod:`.advisory`), pictures
with their captions, and the furniture at the end (:mod:`.back`);
:mod:`.finish` then settles what only the whole draft tells.

A piece it cannot place is never dropped: it stays in the body where it
stood and is listed in :attr:`Found.unplaced`, so that the command can say
where it landed. People are matched or added through a
:class:`~.people.Roster`; nothing is written here.
"""

from __future__ import annotations

import re

from pressroom.drafts.importing import back, front, quotes
from pressroom.drafts.importing.advisory import field_label, row_label
from pressroom.drafts.importing.builder import (
    FURNITURE_STYLES,
    SALUTATION,
    SHORT,
    Builder,
    Found,
)
from pressroom.drafts.importing.finish import SIGNATORIES_FROM, finish, name_like
from pressroom.drafts.importing.markdown import Run, to_markdown
from pressroom.drafts.importing.people import Roster, name_key
from pressroom.drafts.importing.source import Draft, Piece
from pressroom.errors import DocumentRefused
from pressroom.model.room import Room

ABOUT_PARAGRAPHS = 4
"""Paragraphs an About section of another organisation may have at the end of a draft."""


def assemble(draft: Draft, room: Room, roster: Roster, display: str) -> Found:
    """The release *draft* holds, for *room*."""
    b = Builder(draft, room, roster)
    logo = b.logo()
    pieces = [
        p
        for p in draft.pieces
        if p.style not in FURNITURE_STYLES
        and not (p.picture is not None and logo is not None and p.picture.data == logo)
    ]
    i = _front(b, pieces)
    if i >= len(pieces) and not b.body:
        raise DocumentRefused(f"{display}: the document holds no text to import")
    if i < len(pieces) and not _not_a_headline(b, pieces[i]):
        _headline(b, pieces[i])
        i += 1
    else:
        b.r["headline"] = _stand_in(draft, display)
        b.missing_headline = True
        b.said.append("no headline: the file's name stands in for it")
    if i < len(pieces) and _is_subheadline(b, pieces[i]):
        b.r["subheadline"] = _plain(pieces[i].runs)
        b.said.append("subheadline")
        i += 1
    _walk(b, pieces, i)
    return finish(b, draft, room, display)


def _front(b: Builder, pieces: list[Piece]) -> int:
    """Take the furniture before the headline; the index of the headline."""
    title = next((k for k, p in enumerate(pieces) if p.role == "title"), None)
    i = 0
    while i < len(pieces):
        nxt = b.front_piece(pieces, i)
        if nxt is None:
            if title is None or i >= title:
                break
            b.place(pieces[i], "text above the headline")
            nxt = i + 1
        i = nxt
    if "status" not in b.r:
        for text in b.draft.header_text:
            line = front.release_line(text, b.zone)
            if line is not None:
                b.status(line)
                break
    if title is not None:
        return max(i, title)
    for k in range(i, min(i + 12, len(pieces))):
        piece = pieces[k]
        if piece.role == "heading" and piece.level <= 1 or piece.bold and len(piece.text) <= SHORT:
            for skipped in pieces[i:k]:
                b.place(skipped, "text above the headline")
            return k
        if len(piece.text) > SHORT:
            break
    while i < len(pieces) and pieces[i].role == "picture":
        i += 1
    return i


def _not_a_headline(b: Builder, piece: Piece) -> bool:
    """A salutation, a dateline or a quote opens the text: the draft has no headline."""
    text = piece.text
    if piece.role == "title":
        return False
    return bool(
        SALUTATION.match(text)
        or front.dateline(text)
        or quotes.opens(text)
        or len(text) > SHORT
        or piece.role in ("bullet", "number", "quote", "picture", "row")
    )


def _stand_in(draft: Draft, display: str) -> str:
    """A headline for a draft without one: its title property, else the file's name."""
    if draft.title.strip():
        return " ".join(draft.title.split())
    stem = display.rsplit(".", 1)[0] if "." in display else display
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else "Imported draft"


def _plain(runs: list[Run]) -> str:
    """A one-line value (headline, subheadline): no bold, line breaks as spaces."""
    return to_markdown([Run(r.text.replace("\n", " "), False, r.italic, r.href) for r in runs])


def _headline(b: Builder, piece: Piece) -> None:
    runs = piece.runs
    prefix = front.BREAKING_PREFIX.match(piece.text)
    if prefix:
        runs = front.without_prefix(runs, prefix.end())
        b.r["status"] = "breaking"
    b.r["headline"] = _plain(runs)
    b.said.append("headline" + (" (BREAKING)" if prefix else ""))


def _is_subheadline(b: Builder, piece: Piece) -> bool:
    text = piece.text
    if piece.role == "subtitle" or (piece.role == "heading" and piece.level >= 2):
        return True
    if piece.role != "normal" or len(text) > SHORT or "\n" in text or piece.style:
        return False
    if (
        front.dateline(text)
        or front.place_and_date(text)
        or SALUTATION.match(text)
        or quotes.opens(text)
        or field_label(text)
        or back.contact_label(text) is not None
        or front.release_line(text, b.zone)
    ):
        return False
    return piece.italic or piece.bold or not text.rstrip().endswith((".", ":", ";"))


def _walk(b: Builder, pieces: list[Piece], i: int) -> None:
    salutation_ahead = any(SALUTATION.match(p.text) for p in pieces[i:])
    while i < len(pieces):
        piece = pieces[i]
        text = piece.text
        if piece.role == "picture":
            i = _picture(b, pieces, i)
            continue
        if back.is_end_mark(text) or piece.style == "End Mark":
            b.mode = "end"
            b.said.append("end mark")
            i += 1
            continue
        tags = back.hashtags(text)
        if tags:
            b.hashtags += [tag for tag in tags if tag not in b.hashtags]
            i += 1
            continue
        ps = back.postscript(piece.markdown)
        if ps is not None and "ps" not in b.r:
            b.r["ps"] = ps
            b.mode = "body" if b.mode == "signatories" else b.mode
            i += 1
            continue
        if piece.style == "Contact Block" or back.contact_label(text) is not None:
            b.contact_after_body = b.contact_after_body or b.started
            i = b.contact_block(pieces, i)
            continue
        if back.about(text) and _about_here(b, pieces, i):
            b.mode, b.about = "about", b.about or []
            i += 1
            continue
        if b.mode == "about":
            b.about = (b.about or []) + [piece.markdown]
            i += 1
            continue
        label = field_label(text) if piece.role in ("normal", "heading") else None
        if label or (piece.cells and row_label(piece.cells)):
            b.mode = "event"
            b.event_piece(piece, label)
            i += 1
            continue
        if b.mode == "event" and (
            piece.role in ("bullet", "number") or piece.style == "Event Field"
        ):
            b.event_piece(piece, None)
            i += 1
            continue
        if b.mode == "event":
            b.mode = "body"
        i = _letter_or_body(b, pieces, i, salutation_ahead)


def _about_here(b: Builder, pieces: list[Piece], i: int) -> bool:
    """``About <org>`` opens the About section: it names the room's organisation, or
    stands after the end mark, or is a heading followed by a few paragraphs only."""
    match = back.ABOUT.match(pieces[i].text)
    if match and (
        match["org"] is None or name_key(match["org"]) == name_key(b.room.config.org.name)
    ):
        return True
    if b.mode in ("end", "about"):
        return True
    if b.contact_after_body and not pieces[i].text.rstrip().endswith("."):
        return True  # "Über den Mieterbund" after the media contact at the end
    if not (pieces[i].role == "heading" or pieces[i].bold):
        return False
    rest = []
    for piece in pieces[i + 1 :]:
        if back.is_end_mark(piece.text) or back.contact_label(piece.text) is not None:
            break
        rest.append(piece)
    return len(rest) <= ABOUT_PARAGRAPHS and all(p.role == "normal" for p in rest)


def _letter_or_body(b: Builder, pieces: list[Piece], i: int, salutation_ahead: bool) -> int:
    piece = pieces[i]
    text = piece.text
    if not b.started and "salutation" not in b.r:
        if SALUTATION.match(text):
            b.r["salutation"] = piece.markdown
            b.r["type"] = "open-letter"
            b.said.append("salutation")
            return i + 1
        found = front.place_and_date(text)
        if found is not None:
            place, day = found
            if place:
                b.r["dateline"] = place
            b.r.setdefault("date", day.isoformat())
            b.said.append("place and date")
            return i + 1
        if piece.style == "Address Block" or (salutation_ahead and "\n" in text):
            lines = [line.strip() for line in text.split("\n") if line.strip()]
            entry = {"name": lines[0]}
            if len(lines) > 1:
                entry["title"] = lines[1]
            if len(lines) > 2:
                entry["address"] = ", ".join(lines[2:])
            b.addressees.append(entry)
            return i + 1
    if back.CLOSING.match(text) and ("salutation" in b.r or _names_follow(pieces, i + 1)):
        b.r["closing"] = piece.markdown
        b.mode = "signatories"
        return i + 1
    if back.SIGNATORIES.match(text):
        b.mode = "signatories"
        return i + 1
    if b.mode == "signatories":
        b.signatory_piece(piece)
        return i + 1
    if b.mode == "end":
        b.place(piece, "text after the end mark")
        return i + 1
    said = quotes.SAID_BEFORE.match(text)
    if said and i + 1 < len(pieces) and quotes.opens(pieces[i + 1].text):
        b.pending_who = said["who"]
        nxt = b.quote(pieces, i + 1)
        if nxt is not None:
            return nxt
        b.pending_who = None
    if piece.role == "quote" or quotes.opens(text):
        nxt = b.quote(pieces, i)
        if nxt is not None:
            return nxt
    if piece.role == "heading" or piece.role == "title":
        b.body.append({"heading": _plain(piece.runs)})
        return i + 1
    if piece.role in ("bullet", "number"):
        return b.list_items(pieces, i)
    if piece.cells:
        b.place(piece, "a table, kept as a paragraph")
        return i + 1
    if piece.role in ("caption", "subtitle"):
        b.place(piece, f"a {piece.role} without its picture")
        return i + 1
    b.paragraph(piece)
    return i + 1


def _names_follow(pieces: list[Piece], i: int) -> bool:
    names = [p for p in pieces[i : i + SIGNATORIES_FROM] if name_like(p.text)]
    return len(names) >= SIGNATORIES_FROM or (
        i < len(pieces) and back.SIGNATORIES.match(pieces[i].text) is not None
    )


def _picture(b: Builder, pieces: list[Piece], i: int) -> int:
    picture = pieces[i].picture
    assert picture is not None
    entry: dict[str, str] = {}
    j = i + 1
    if j < len(pieces) and (pieces[j].role == "caption" or pieces[j].style == "Caption"):
        caption, credit = back.caption_and_credit(pieces[j].runs)
        if caption:
            entry["caption"] = caption
        if credit:
            entry["credit"] = credit
        j += 1
    if picture.alt:
        entry["alt"] = " ".join(picture.alt.split())
    b.pictures.append((picture, entry))
    return j

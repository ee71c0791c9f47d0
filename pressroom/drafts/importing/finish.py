"""The end of an import's walk: what only the whole draft tells, and the keys in order.

After :mod:`.assemble` has read every piece, :func:`finish` compares the About
section with the room's boilerplate (the same words: left to the room;
different: the release's own), drops the room's boilerplate pasted without a
heading, takes a letter's trailing names as its signatories, decides the type
(from what was found, else the document's subject, else "Statement" in the
headline) and writes the keys in the order of the format, with ``draft: true``.
"""

from __future__ import annotations

import re
from typing import Any

from pressroom.drafts.importing import quotes
from pressroom.drafts.importing.advisory import event_of
from pressroom.drafts.importing.builder import Builder, Found, Unplaced
from pressroom.drafts.importing.people import looks_like_name
from pressroom.drafts.importing.source import Draft
from pressroom.drafts.importing.wording import type_of_label
from pressroom.errors import DocumentRefused
from pressroom.model.release import TYPE_LABELS
from pressroom.model.room import Room
from pressroom.render.markup import Markdown

ORDER = (
    "type status embargo date dateline headline subheadline updates addressees salutation "
    "body closing signatories event ps contacts boilerplate hashtags images draft"
).split()
STATEMENT = (
    r"\b(?:Statement|Stellungnahme|Erklärung|Déclaration|Declaración|Dichiarazione|Verklaring"
    r"|Declaração)\b"
)
SIGNATORIES_FROM = 3
"""Names in a row at the end of a letter that are taken as its signatories."""


def name_like(text: str) -> bool:
    return (
        0 < len(text) <= 120
        and len(text.split()) <= 14
        and not text.rstrip().endswith((".", ":", ";", "?", "!"))
        and not quotes.opens(text)
        and "\n" not in text
    ) or ("\u2014" in text and looks_like_name(text.split("\u2014")[0].strip()))


def _words(markdown: str, website: str | None) -> list[str]:
    """The words a reader sees in *markdown* (link targets aside), for comparing texts."""
    paras = Markdown(website).rich(markdown).paras
    text = " ".join(span.text for para in paras for span in para.spans)
    return re.findall(r"\w+", text.casefold())


def _room_boilerplate(room: Room) -> str:
    text: Any = room.config.org.boilerplate
    if isinstance(text, dict):
        text = next(iter(text.values()), "")
    return str(text or "")


def finish(b: Builder, draft: Draft, room: Room, display: str) -> Found:
    website = room.config.org.website
    own = _words(_room_boilerplate(room), website)
    if b.about is not None:
        about = "\n\n".join(b.about)
        if own and _words(about, website) == own:
            b.said.append("About section: the room's boilerplate")
        elif about:
            b.r["boilerplate"] = about
            b.said.append("About section: the release's own boilerplate")
    for index in range(len(b.body) - 1, -1, -1):  # the room's boilerplate pasted without a heading
        block = b.body[index]
        if isinstance(block, str) and own and _words(block, website) == own:
            del b.body[index]
            b.unplaced = [
                u if u.block < index else Unplaced(u.block - 1, u.where, u.why)
                for u in b.unplaced
                if u.block != index
            ]
            b.said.append("the room's boilerplate")
    if not b.groups and ("salutation" in b.r or b.r.get("type") == "open-letter"):
        _trailing_signatories(b)
    r = b.r
    if b.updates:
        r["updates"] = b.updates
    if b.addressees:
        r["addressees"] = b.addressees
    if b.groups:
        groups = {k: v for k, v in b.groups.items() if v}
        r["signatories"] = (
            groups[None]
            if list(groups) == [None]
            else {(k or "Signatories"): v for k, v in groups.items()}
        )
        r.setdefault("type", "open-letter")
        b.said.append(f"{sum(len(v) for v in groups.values())} signatories")
    if b.fields or b.when:
        r["event"] = event_of(b.fields, b.when)
        r["type"] = "media-advisory"
        b.said.append("event: " + ", ".join(k.upper() for k in r["event"]))
    if b.contacts and b.contacts != list(room.config.contacts):
        r["contacts"] = b.contacts
    if b.contacts:
        b.said.append("media contact: " + ", ".join(b.contacts))
    if b.hashtags:
        r["hashtags"] = b.hashtags
    if "type" not in r:
        subject = draft.subject.strip().lower()
        label = next((k for k, v in TYPE_LABELS.items() if v.lower() == subject), None)
        label = label or type_of_label(subject)
        if label is None and re.search(STATEMENT, r.get("headline", "")):
            label = "statement"
        r["type"] = label or "press-release"
    if b.quotes:
        b.said.append(f"{len(b.quotes)} quote{'s' if len(b.quotes) != 1 else ''}")
    if not b.body:
        raise DocumentRefused(
            f"{display}: found no paragraph of text after the headline to make the body"
        )
    r["body"] = b.body
    r["draft"] = True
    ordered = {key: r[key] for key in ORDER if key in r}
    return Found(ordered, b.said, b.unplaced, b.pictures, b.missing_headline)


def _trailing_signatories(b: Builder) -> None:
    """A letter's names at its end, one a paragraph, with no heading: its signatories."""
    start = len(b.body)
    while start > 0 and isinstance(b.body[start - 1], str) and name_like(b.body[start - 1]):
        start -= 1
    names = b.body[start:]
    if len(names) < SIGNATORIES_FROM or any(u.block >= start for u in b.unplaced):
        return
    del b.body[start:]
    b.groups[None] = [re.sub(r"\\(.)", r"\1", name) for name in names]

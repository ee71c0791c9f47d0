"""What "the same release" means for an import's round trip: what a journalist reads.

A release is reduced to its text keys as rendered (each Markdown field as
words tagged bold, italic and link, so that ``'`` and ``’``, ``--`` and ``—``
or a line break inside a paragraph make no difference), its quotes with the
name, title and organisation of who said them, its media contacts, its
signatories by group with their details, its event, its status and times. Not
compared: what no Word file carries (``distribution``, ``draft``, the event's
``title`` that only the .ics invitation shows) and the file name of a picture
(compared by its bytes instead).
"""

from __future__ import annotations

import hashlib
from typing import Any

from pressroom.model.body import HeadingBlock, QuoteBlock
from pressroom.model.people import Person
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.markup import Markdown


def _rich(md: Markdown, text: str | None) -> Any:
    if not text:
        return None
    paras = []
    for para in md.rich(text).paras:
        words = [
            (word, span.bold, span.italic, span.href)
            for span in para.spans
            for word in span.text.split()
        ]
        paras.append((para.kind, para.level, tuple(words)))
    return tuple(paras)


def _line(md: Markdown, text: str | None) -> str | None:
    return md.line(text) or None if text else None


def _person(md: Markdown, person: Person | None) -> Any:
    if person is None:
        return None
    line = (_line(md, person.name), _line(md, person.title), _line(md, person.org))
    return (*line, person.email, person.phone)


def canonical(room: Room, release: Release) -> dict[str, Any]:
    md = Markdown(room.config.org.website)
    body = []
    for block in release.body:
        if isinstance(block, QuoteBlock):
            body.append(("quote", _person(md, block.quote), _rich(md, block.text)))
        elif isinstance(block, HeadingBlock):
            body.append(("heading", _rich(md, block.heading)))
        else:
            body.append(("paragraph", _rich(md, block)))
    event = None
    if release.event is not None:
        ev = release.event
        event = {
            "what": _rich(md, ev.what),
            "start": ev.when.start.at,
            "end": ev.when.end.at if ev.when.end else None,
            "where": (_line(md, ev.where.venue), ev.where.address) if ev.where else None,
            "who": _rich(md, ev.who),
            "why": _rich(md, ev.why),
            "visuals": _rich(md, ev.visuals),
            "onsite_contact": _person(md, ev.onsite_contact),
            "rsvp": ev.rsvp,
        }
    return {
        "type": release.type,
        "status": release.status,
        "embargo": release.embargo.at if release.embargo else None,
        "date": release.date,
        "dateline": _line(md, release.dateline),
        "headline": _rich(md, release.headline),
        "subheadline": _rich(md, release.subheadline),
        "updates": [(u.label, u.date, _rich(md, u.text)) for u in release.updates],
        "addressees": [
            (_line(md, a.name), _line(md, a.title), a.address) for a in release.addressees
        ],
        "salutation": _rich(md, release.salutation),
        "body": body,
        "closing": _rich(md, release.closing),
        "signatories": [
            (
                _line(md, label),
                [(_line(md, s.name), _line(md, s.details), s.url) for s in people],
            )
            for label, people in release.signatory_groups
        ],
        "event": event,
        "ps": _rich(md, release.ps),
        "contacts": [_person(md, person) for person in release.contacts],
        "boilerplate": _rich(md, release.about),
        "hashtags": release.hashtags,
        "images": [
            (
                image.caption,
                image.credit,
                image.alt,
                hashlib.sha256(image.file.path.read_bytes()).hexdigest(),
            )
            for image in release.images
        ],
    }

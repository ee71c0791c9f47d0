"""A media contact as a vCard, to drop into a journalist's address book.

vCard 3.0 (RFC 2426), not 4.0 (RFC 6350): Outlook for Windows and many CRM
and media-database importers still read 4.0 badly or not at all, while every
address book reads 3.0. Nothing we write needs 4.0. The file is UTF-8 (sent as
``text/vcard; charset=utf-8``), lines end with CRLF and are folded at 75
octets, and text values are escaped as in iCalendar. Pronouns have no
property in either version, so they go into ``NOTE`` ("Pronouns: she/her"),
which every address book shows.
"""

from __future__ import annotations

from pressroom.i18n.labels import Words, words_for
from pressroom.model.links import WEB, link_allowed, scheme_of
from pressroom.render.document import Contact, Org
from pressroom.render.ics import content_lines, escape_text

_PREFIXES = {"dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx", "mx.", "prof", "prof."}


def structured_name(name: str) -> str:
    """``N``: family;given;additional;prefix;suffix, from a name written in one piece.

    The last word is taken as the family name and a leading honorific as the
    prefix: ``Dr. Ruth Kaplan`` -> ``Kaplan;Ruth;;Dr.;``.
    """
    words = name.split()
    prefix = ""
    if len(words) > 1 and words[0].lower() in _PREFIXES:
        prefix = words.pop(0)
    family = words.pop() if words else ""
    given = words.pop(0) if words else ""
    return ";".join(escape_text(part) for part in (family, given, " ".join(words), prefix, ""))


def render_vcard(contact: Contact, org: Org | None = None, words: Words | None = None) -> bytes:
    """The ``.vcf`` file of *contact*; *org* is the room's, for the website.

    The organisation shown is the contact's own (``people.<key>.org``, which
    defaults to the room's name); an empty ``org`` leaves ``ORG`` out.
    """
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "FN:" + escape_text(contact.name),
        "N:" + structured_name(contact.name),
    ]
    if contact.org:
        lines.append("ORG:" + escape_text(contact.org))
    if contact.title:
        lines.append("TITLE:" + escape_text(contact.title))
    if contact.email:
        lines.append("EMAIL;TYPE=INTERNET,WORK:" + contact.email)
    if contact.phone:
        lines.append("TEL;TYPE=WORK,VOICE:" + escape_text(contact.phone))
    if (
        org is not None
        and org.website
        and contact.org == org.name
        and scheme_of(org.website) in WEB  # the second wall: only a web address
        and link_allowed(org.website, WEB)
    ):
        lines.append("URL:" + org.website)
    if contact.pronouns:
        words = words or words_for("en")
        lines.append(
            "NOTE:" + escape_text(words("Pronouns: %(pronouns)s", pronouns=contact.pronouns))
        )
    lines.append("END:VCARD")
    return content_lines(lines)

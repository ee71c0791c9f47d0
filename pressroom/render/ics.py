"""A media advisory's event as an iCalendar invitation (RFC 5545).

One ``VCALENDAR`` with one ``VEVENT``, ``METHOD:PUBLISH`` (an announcement to
add to a calendar, not a meeting request awaiting replies). Times are written
in UTC (``20261204T150000Z``), so no ``VTIMEZONE`` is needed and every
calendar shows the event at the right local time.

A corrected advisory must update the event already in a journalist's calendar,
not add a second one nor be ignored (RFC 5545 3.8.7.4), so:

- the ``UID`` is the release's name at the organisation's domain
  (:func:`uid_domain`: the sender's domain, else the website's), the same in
  the emailed invitation and the newsroom's;
- the ``SEQUENCE`` is the number of update banners of the release
  (``updates:``): it lives in the release file, so it is the same wherever the
  invitation is made, and it rises with every announced change
  (``send --correction`` refuses a correction of an advisory that does not
  raise it).

The ``SUMMARY`` is a short title (``event.title``, else the headline), the
``URL`` the release's page in the newsroom when its address is known.

The content-line helpers (:func:`escape_text`, :func:`fold`,
:func:`content_lines`) are shared with :mod:`pressroom.render.vcard`, whose
format has the same line syntax.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from pressroom import __version__, clock
from pressroom.errors import RenderError
from pressroom.i18n.typography import space_punctuation
from pressroom.model.links import WEB, link_allowed, scheme_of
from pressroom.render.document import Document
from pressroom.render.markup import Rich, plain_text

CRLF = "\r\n"
LINE_OCTETS = 75
PRODID = f"-//pressroom//pressroom {__version__}//EN"
_UNWRAPPED = 10_000  # plain text without hard line breaks inside paragraphs


def escape_text(value: str) -> str:
    """A TEXT value: backslashes, semicolons, commas and newlines escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value, quoted when it holds ``:;,`` (DQUOTE is not allowed at all)."""
    value = " ".join(value.replace('"', "'").split())
    return f'"{value}"' if any(ch in value for ch in ":;,") else value


def fold(line: str) -> str:
    """*line* folded into physical lines of at most 75 octets, never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, LINE_OCTETS
        current += char
        size += width
    out.append(current)
    return CRLF.join(out)


def content_lines(lines: Iterable[str]) -> bytes:
    """Logical lines -> the file: folded, each ended by CRLF, UTF-8."""
    return "".join(fold(line) + CRLF for line in lines).encode("utf-8")


def utc_stamp(moment: datetime) -> str:
    """``20261204T150000Z``; *moment* must be timezone-aware."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no time zone")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(rich: Rich | None) -> str:
    if not rich:
        return ""
    return plain_text(rich.paras, width=_UNWRAPPED).strip()


def _description(doc: Document) -> str:
    event = doc.event
    assert event is not None
    parts = []
    what, who, why = _text(event.what), _text(event.who), _text(event.why)
    if what:
        parts.append(what)
    words = doc.words

    def label(text: str) -> str:
        return space_punctuation(text.upper() + ":", words.typography.punctuation_space)

    if who:
        parts.append(f"{label(words('Who'))}\n{who}")
    if why:
        parts.append(f"{label(words('Why'))}\n{why}")
    if event.rsvp:
        parts.append(f"{label(words('RSVP'))} {event.rsvp}")
    return "\n\n".join(parts)


def uid_domain(sender_email: str | None, website: str | None) -> str:
    """The domain of every UID of a room: the sender's, else the website's host."""
    if sender_email and "@" in sender_email:
        return sender_email.rpartition("@")[2].lower()
    host = (website or "").split("://", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.").lower() or "pressroom.invalid"


def sequence(doc: Document) -> int:
    """The revision of the invitation: one per update banner of the release."""
    return len(doc.updates)


def render_ics(
    doc: Document,
    uid_domain: str,
    url: str | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """The ``.ics`` file of *doc*'s event.

    *uid_domain* (:func:`uid_domain`) makes the UID; *url* is the release's
    page; *stamp* is the ``DTSTAMP`` (default: now; the newsroom passes the
    release's last update so that a rebuild writes the same bytes).
    """
    event = doc.event
    if event is None:
        raise RenderError(f"{doc.name}: an .ics invitation needs an event (event: in the release)")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{doc.name}@{uid_domain}",
        f"DTSTAMP:{utc_stamp(stamp or clock.now())}",
        f"SEQUENCE:{sequence(doc)}",
        f"DTSTART:{utc_stamp(event.start)}",
    ]
    if event.end is not None:
        lines.append(f"DTEND:{utc_stamp(event.end)}")
    lines.append("SUMMARY:" + escape_text(" ".join((event.title or doc.headline).split())))
    location = ", ".join(part for part in (event.venue, event.address) if part)
    if location:
        lines.append("LOCATION:" + escape_text(location))
    description = _description(doc)
    if description:
        lines.append("DESCRIPTION:" + escape_text(description))
    contact = event.onsite_contact
    if contact is not None and contact.email:
        lines.append(f"ORGANIZER;CN={param_value(contact.name)}:mailto:{contact.email}")
    if url and scheme_of(url) in WEB and link_allowed(url, WEB):  # the second wall
        lines.append(f"URL:{url}")
    lines += ["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return content_lines(lines)

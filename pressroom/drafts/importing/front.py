"""The top of a release: release line, update banners, headline, dateline.

* The release line: ``FOR IMMEDIATE RELEASE``; ``EMBARGOED UNTIL 9:00 AM EST,
  Tuesday, December 1, 2026`` (also ``EMBARGOED FOR RELEASE UNTIL``, ``HOLD FOR
  RELEASE UNTIL``) gives ``status: embargoed`` and the embargo; ``BREAKING``
  (alone, as ``BREAKING NEWS``, or ``BREAKING:`` before the headline) gives
  ``status: breaking``.
* An update banner: ``UPDATE (November 23, 2026): text`` or ``CORRECTION: text``.
* The dateline opening the first paragraph: ``BALTIMORE, Md., Dec. 1, 2026 —``,
  ``WASHINGTON (Dec. 1, 2026) --``, ``OAKLAND —``; a letter's own line of place
  and date (``TOWSON, Md., December 8, 2026``) is recognised whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pressroom.drafts.importing.markdown import Run
from pressroom.drafts.importing.moments import find_date, parse_moment_text
from pressroom.drafts.importing.wording import alternation, update_label

_IMMEDIATE = alternation("immediate")
_BREAKING = alternation("breaking")
_DASH = r"[\u2014\u2013:-]+"
RELEASE_LINE = re.compile(
    r"^\s*(?:(?P<immediate>" + _IMMEDIATE + r")"
    r"|(?P<breaking>" + _BREAKING + r")\s*(?:" + _DASH + r"\s*" + _IMMEDIATE + r")?"
    r"|(?P<embargo>" + alternation("embargo") + r")\s*:?\s*(?P<when>.*))"
    r"\s*[.:]?\s*$",
    re.IGNORECASE | re.DOTALL,
)
TYPE_LINE = re.compile(r"^\s*(?P<type>" + alternation("types") + r")\s*:?\s*$", re.IGNORECASE)
BREAKING_PREFIX = re.compile(r"^\s*" + _BREAKING + r"\s*[:\u2014\u2013-]\s*", re.IGNORECASE)
UPDATE = re.compile(
    r"^\s*(?P<label>UPDATE[D]?|CORRECTION|CLARIFICATION|EDITOR[\u2019']S NOTE|"
    + alternation("update")[3:-1]
    + "|"
    + alternation("correction")[3:-1]
    + r")"
    r"(?:\s*\((?P<when>[^)]{4,60})\))?\s*[:\u2014\u2013-]\s*(?P<text>.+)$",
    re.DOTALL,
)
_MONTH_WORD = r"\b[^\W\d_]{3,10}\.?"
_DATE = (
    r"\b(?:(?:[^\W\d_]{2,13}\.?,?\s+)?" + _MONTH_WORD + r"\s+\d{1,2},?\s+\d{4}"
    r"|(?:[^\W\d_]{2,13},?\s+)?(?:(?:le|el|il|den|am)\s+)?\d{1,2}(?:\.|er|º)?\s+(?:de\s+)?"
    + _MONTH_WORD
    + r",?\s+(?:de\s+)?\d{4})"
)
_UPPER = "A-Z\u00c0-\u00de"
DATELINE = re.compile(
    r"^(?P<place>[" + _UPPER + r"][" + _UPPER + r"'\u2019.\- ]*[" + _UPPER + r".]"
    r"(?:,\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)?)"
    r"(?:\s*,\s*|\s*\(\s*)?(?P<date>" + _DATE + r")?\)?\s*\.?\s*(?:\u2014|\u2013|--|-)\s*"
)
PLACE_AND_DATE = re.compile(
    r"^(?:(?P<place>[" + _UPPER + r"](?:[^\W\d_]|['\u2019.\- ]){1,40}"
    r"(?:,\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)?),\s*)?"
    r"(?P<date>" + _DATE + r")\.?$"
)


@dataclass(frozen=True)
class ReleaseLine:
    status: str
    embargo: str | None = None
    when_text: str = ""


def release_line(text: str, room_zone: str) -> ReleaseLine | None:
    match = RELEASE_LINE.match(text)
    if not match or len(text) > 160:
        return None
    if match["immediate"]:
        return ReleaseLine("immediate")
    if match["breaking"]:
        return ReleaseLine("breaking")
    when = (match["when"] or "").strip()
    return ReleaseLine("embargoed", parse_moment_text(when, room_zone), when)


def update_banner(markdown: str, text: str) -> tuple[str, date | None, str] | None:
    """(label, date, text) of an update banner."""
    match = UPDATE.match(text)
    if not match:
        return None
    found = find_date(match["when"] or "")
    body = UPDATE.match(markdown.replace("**", ""))
    words = body["text"] if body else match["text"]
    label = match["label"].upper()
    label = "UPDATE" if label == "UPDATED" else update_label(label) or label
    return label, found[0] if found else None, words.strip()


def dateline(text: str) -> tuple[str, date | None, int] | None:
    """(place, date, length of the lead-in) of a paragraph that opens with a dateline."""
    match = DATELINE.match(text)
    if not match or len(match["place"]) < 3:
        return None
    place = match["place"].strip().rstrip(",")
    city = place.split(",")[0]
    if city.upper() != city or not any(ch.isalpha() for ch in city):
        return None
    found = find_date(match["date"]) if match["date"] else None
    return place, found[0] if found else None, match.end()


def place_and_date(text: str) -> tuple[str | None, date] | None:
    """A letter's line of place and date: ``TOWSON, Md., December 8, 2026``."""
    match = PLACE_AND_DATE.match(text.strip())
    if not match:
        return None
    found = find_date(match["date"])
    if not found:
        return None
    return (match["place"] or None), found[0]


def without_prefix(runs: list[Run], length: int) -> list[Run]:
    """*runs* less their first *length* characters (counted after leading whitespace)."""
    joined = "".join(run.text for run in runs)
    length += len(joined) - len(joined.lstrip())
    out: list[Run] = []
    for run in runs:
        if length >= len(run.text):
            length -= len(run.text)
            continue
        out.append(Run(run.text[length:], run.bold, run.italic, run.href))
        length = 0
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].bold, out[0].italic, out[0].href)
    return out

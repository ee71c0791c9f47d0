"""Dates and times as drafts write them -> the forms a release file takes.

``Tuesday, December 1, 2026``, ``Dec. 1, 2026``, ``1 December 2026`` and
``2026-12-01`` are dates; ``9:00 AM``, ``9 a.m.``, ``09:00`` and ``noon`` are
times; ``EST``, ``ET``, ``PDT``, ``CET``, ``UTC`` are zones, read as the room's
own zone when it goes by that name on that day, else as the usual IANA zone
for the abbreviation. A time is written back as ``2026-12-01 09:00
America/New_York`` (the zone only when the text names one: without it the
room's ``timezone`` applies, and ``check`` says so).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from pressroom.drafts.importing.wording import months
from pressroom.model.moments import zone_named

MONTHS = months()
"""Month names and abbreviations in every language the import reads (Babel's)."""
_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_WEEKDAY = r"(?:(?!Uhr\b|heures?\b|horas?\b|uur\b)[^\W\d_]{3,13}\.?,?\s+)?"
DATE = re.compile(
    _WEEKDAY
    + r"(?:"
    + _MONTH
    + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    + r"|(?P<day2>\d{1,2})(?:\.|er|º|°)?\s+(?:de\s+)?(?P<month2>[^\W\d_]{3,10})\.?,?\s+(?:de\s+)?"
    + r"(?P<year2>\d{4})"
    + r"|(?P<iso>\d{4}-\d{2}-\d{2}))",
    re.IGNORECASE,
)
TIME = re.compile(
    r"(?<![\d:.])(?P<hour>\d{1,2})(?:(?:[:.]|\s?h\s?)(?P<minute>\d{2}))?\s*"
    r"(?:(?P<half>[ap]\.?\s?m\.?(?![a-z]))|(?P<clock>Uhr\b|h\b|heures?\b|horas?\b|ore\b|uur\b))?"
    r"|(?P<noon>\bnoon\b|\bmidday\b|\bmidi\b|\bMittag\b)|(?P<midnight>\bmidnight\b|\bminuit\b)",
    re.IGNORECASE,
)
ZONES = {
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage", "AKDT": "America/Anchorage", "HST": "Pacific/Honolulu",
    "GMT": "UTC", "UTC": "UTC", "BST": "Europe/London", "WET": "Europe/Lisbon",
    "CET": "Europe/Berlin", "CEST": "Europe/Berlin", "EET": "Europe/Athens",
    "EEST": "Europe/Athens", "JST": "Asia/Tokyo", "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney", "MEZ": "Europe/Berlin", "MESZ": "Europe/Berlin",
    "OEZ": "Europe/Athens", "OESZ": "Europe/Athens", "WEZ": "Europe/Lisbon",
    "HNEC": "Europe/Paris", "HAEC": "Europe/Paris", "HEC": "Europe/Paris",
}  # fmt: skip
_ZONE = re.compile(r"\b(" + "|".join(sorted(ZONES, key=len, reverse=True)) + r")\b")
_OFFSET = re.compile(r"\bUTC\s*(?P<sign>[+-\u2212])(?P<h>\d{1,2}):?(?P<m>\d{2})?")


def find_date(text: str) -> tuple[date, re.Match[str]] | None:
    """The first date written in *text*, and where."""
    for match in DATE.finditer(text):
        try:
            if match["iso"]:
                return date.fromisoformat(match["iso"]), match
            month = MONTHS.get((match["month"] or match["month2"]).lower().rstrip("."))
            if month is None:
                continue
            day = int(match["day"] or match["day2"])
            return date(int(match["year"] or match["year2"]), month, day), match
        except ValueError:
            continue
    return None


def _times(text: str) -> list[tuple[int, int]]:
    """The times of day in *text* (dates taken out first), in order."""
    found = find_date(text)
    if found:
        text = text[: found[1].start()] + " " + text[found[1].end() :]
    times: list[tuple[int, int]] = []
    matches = list(TIME.finditer(text))
    for index, match in enumerate(matches):
        if match["noon"]:
            times.append((12, 0))
        elif match["midnight"]:
            times.append((0, 0))
        elif match["hour"]:
            half = match["half"]
            if not half and not match["minute"] and not match["clock"]:
                # "10-11 a.m.": the first hour takes the second's half of the day
                later = matches[index + 1] if index + 1 < len(matches) else None
                if later is None or not later["half"]:
                    continue
                half = later["half"]
            hour, minute = int(match["hour"]), int(match["minute"] or 0)
            if half:
                pm = half.lower().startswith("p")
                if hour > 12:
                    continue
                hour = hour % 12 + (12 if pm else 0)
            if hour < 24 and minute < 60:
                times.append((hour, minute))
    return times


def zone_in(text: str, day: date, room_zone: str) -> str | None:
    """The IANA zone (or ``+HH:MM`` offset) *text* names, if any."""
    offset = _OFFSET.search(text)
    if offset:
        sign = "-" if offset["sign"] in "-\u2212" else "+"
        return f"{sign}{int(offset['h']):02d}:{offset['m'] or '00'}"
    match = _ZONE.search(text)
    if not match:
        return None
    abbreviation = match[1]
    try:
        own = datetime(day.year, day.month, day.day, 12, tzinfo=zone_named(room_zone))
        if own.tzname() == abbreviation or ZONES[abbreviation] == room_zone:
            return room_zone
    except ValueError:
        pass
    return ZONES[abbreviation]


def _moment(day: date, time: tuple[int, int], zone: str | None) -> str:
    text = f"{day.isoformat()} {time[0]:02d}:{time[1]:02d}"
    if zone is None:
        return text
    return text + (zone if zone[0] in "+-" else f" {zone}")


def parse_moment_text(text: str, room_zone: str) -> str | None:
    """``9:00 AM EST, Tuesday, December 1, 2026`` -> ``2026-12-01 09:00 America/New_York``."""
    found = find_date(text)
    times = _times(text)
    if not found or not times:
        return None
    return _moment(found[0], times[0], zone_in(text, found[0], room_zone))


def parse_span_text(text: str, room_zone: str) -> tuple[str, str | None] | None:
    """An event's time: ``Friday, December 4, 2026, 10:00 AM – 11:00 AM EST`` -> start, end."""
    found = find_date(text)
    times = _times(text)
    if not found or not times:
        return None
    zone = zone_in(text, found[0], room_zone)
    start = _moment(found[0], times[0], zone)
    end = _moment(found[0], times[1], zone) if len(times) > 1 and times[1] > times[0] else None
    return start, end

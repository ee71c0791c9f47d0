"""Dates and times written the way the room's locale writes them (Babel)."""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_date, format_datetime, format_time

from pressroom.model.moments import Moment, zone_named

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
"""Unicode's other spaces (no-break, narrow no-break as in Babel's "9:00\u202fAM", thin...)."""


def plain_spaces(text: str) -> str:
    """*text* with every kind of space made the plain one, so that searching an
    inbox (or a terminal's output) for "9:00 AM" finds it."""
    return _SPACES.sub(" ", text)


def long_date(day: date, locale: str) -> str:
    """``November 30, 2026`` (en_US), ``30 November 2026`` (en_GB)."""
    return format_date(day, "long", locale=locale)


_ABBREVIATION = re.compile(r"[A-Z]{2,5}")


def zone_label(at: datetime, locale: str | None = None) -> str:
    """``EST``, ``CET``; in the *locale*'s own abbreviation where it has one (German
    ``MEZ``, ``MESZ``; Brazilian ``BRT``); a fixed offset reads ``UTC-05:00``."""
    if locale is not None:
        own = format_datetime(at, "z", locale=locale)
        if _ABBREVIATION.fullmatch(own):
            return own
    return at.strftime("%Z") or "UTC"


def date_and_time(at: datetime, locale: str) -> str:
    """``November 20, 2026, 3:30 PM EST``: a date with its time, in *at*'s zone."""
    return plain_spaces(
        f"{format_date(at.date(), 'long', locale=locale)}, "
        f"{format_time(at, 'short', locale=locale)} {zone_label(at, locale)}"
    )


def moment_text(moment: Moment, locale: str) -> str:
    """``9:00 AM EST, Tuesday, December 1, 2026``: time and zone first, as wires do."""
    at = moment.at
    return (
        f"{format_time(at, 'short', locale=locale)} {zone_label(at, locale)}, "
        f"{format_date(at.date(), 'full', locale=locale)}"
    )


def span_text(start: Moment, end: Moment | None, locale: str) -> str:
    """``Friday, December 4, 2026, 10:00 AM – 11:00 AM EST`` for an event."""
    first = start.at
    day = format_date(first.date(), "full", locale=locale)
    begins = format_time(first, "short", locale=locale)
    if end is None:
        return f"{day}, {begins} {zone_label(first, locale)}"
    last = end.at.astimezone(first.tzinfo)
    if last.date() == first.date():
        ends = format_time(last, "short", locale=locale)
        return f"{day}, {begins} \u2013 {ends} {zone_label(last, locale)}"
    return (
        f"{day}, {begins} {zone_label(first, locale)} \u2013 "
        f"{format_date(last.date(), 'full', locale=locale)}, "
        f"{format_time(last, 'short', locale=locale)} {zone_label(last, locale)}"
    )


def _in_zone(at: datetime | str, zone: str) -> datetime:
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    if moment.tzinfo is None:
        raise ValueError(f"{at!r} has no time zone")
    return moment.astimezone(zone_named(zone))


def local_text(at: datetime | str, zone: str, locale: str) -> str:
    """An instant (or an ISO 8601 string) as people read it, in the room's *zone*:
    ``8:00 AM EST, Tuesday, November 24, 2026``, with plain spaces."""
    return plain_spaces(moment_text(Moment(_in_zone(at, zone)), locale))


def short_local_text(at: datetime | str, zone: str, locale: str) -> str:
    """The same, short, for tables: ``Nov 24, 2026, 8:00 AM EST``."""
    moment = _in_zone(at, zone)
    return plain_spaces(
        f"{format_date(moment.date(), 'medium', locale=locale)}, "
        f"{format_time(moment, 'short', locale=locale)} {zone_label(moment, locale)}"
    )

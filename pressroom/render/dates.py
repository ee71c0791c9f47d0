"""Dates and times written the way the room's locale writes them (Babel)."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_time

from pressroom.model.moments import Moment


def long_date(day: date, locale: str) -> str:
    """``November 30, 2026`` (en_US), ``30 November 2026`` (en_GB)."""
    return format_date(day, "long", locale=locale)


def zone_label(at: datetime) -> str:
    """``EST``, ``CET``; a fixed offset reads ``UTC-05:00``."""
    return at.strftime("%Z") or "UTC"


def moment_text(moment: Moment, locale: str) -> str:
    """``9:00 AM EST, Tuesday, December 1, 2026``: time and zone first, as wires do."""
    at = moment.at
    return (
        f"{format_time(at, 'short', locale=locale)} {zone_label(at)}, "
        f"{format_date(at.date(), 'full', locale=locale)}"
    )


def short_moment(at: datetime, locale: str) -> str:
    """``Dec 1, 2026, 9:00 AM EST``: a time the tool reports (sent, approved, scheduled)."""
    return f"{format_date(at.date(), 'medium', locale=locale)}, " + (
        f"{format_time(at, 'short', locale=locale)} {zone_label(at)}"
    )


def span_text(start: Moment, end: Moment | None, locale: str) -> str:
    """``Friday, December 4, 2026, 10:00 AM – 11:00 AM EST`` for an event."""
    first = start.at
    day = format_date(first.date(), "full", locale=locale)
    begins = format_time(first, "short", locale=locale)
    if end is None:
        return f"{day}, {begins} {zone_label(first)}"
    last = end.at.astimezone(first.tzinfo)
    if last.date() == first.date():
        return (
            f"{day}, {begins} \u2013 {format_time(last, 'short', locale=locale)} {zone_label(last)}"
        )
    return (
        f"{day}, {begins} {zone_label(first)} \u2013 "
        f"{format_date(last.date(), 'full', locale=locale)}, "
        f"{format_time(last, 'short', locale=locale)} {zone_label(last)}"
    )

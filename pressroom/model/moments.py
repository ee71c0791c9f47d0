"""Times as press officers write them: ``2026-12-01 09:00 America/New_York``.

A time is accepted as ISO 8601 with an offset (``2026-12-01T09:00:00-05:00``),
or as a local time followed by an IANA zone, or as a bare local time, which is
then read in the room's ``timezone`` (and ``check`` warns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import ValidationInfo

from pressroom.model.base import suggestion

_MOMENT = re.compile(
    r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})[T ]+(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?"
    r"(?:\s+(?P<zone>[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*))?$"
)

EXAMPLE = "2026-12-01 09:00 America/New_York"


@dataclass(frozen=True)
class Moment:
    """An instant, with the zone it should be shown in."""

    at: datetime
    zone_given: bool = True

    @property
    def zone(self) -> tzinfo:
        assert self.at.tzinfo is not None
        return self.at.tzinfo

    def __str__(self) -> str:
        return self.at.isoformat()


@lru_cache(maxsize=64)
def zone_named(name: str) -> ZoneInfo:
    """The IANA zone called *name*; ValueError with a suggestion if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a folder: IsADirectoryError
        raise ValueError(
            f"unknown time zone '{name}'{suggestion(name, available_timezones())}; "
            "use an IANA name such as America/New_York or Europe/London"
        ) from None


def context_zone(info: ValidationInfo) -> str:
    """The room's time zone, as validation was told it (``UTC`` when not)."""
    return str((info.context or {}).get("timezone", "UTC"))


def parse_moment(value: object, default_zone: str) -> Moment:
    """Read a time as users write it; raise ValueError with a helpful message."""
    if isinstance(value, datetime):
        text = value.isoformat()
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValueError(f"expected a time such as {EXAMPLE}")
    match = _MOMENT.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a time; write it like {EXAMPLE}")
    try:
        local = datetime.fromisoformat(f"{_pad_date(match['date'])}T{_pad_time(match['time'])}")
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a valid time ({exc})") from None
    offset, zone_name = match["offset"], match["zone"]
    if zone_name:
        zone = zone_named(zone_name)
        at = local.replace(tzinfo=zone)
        if offset:
            given = _offset(offset)
            if at.utcoffset() != given:
                raise ValueError(
                    f"the offset {offset} does not match {zone_name} on that day "
                    f"({_format_offset(at.utcoffset())}); give one or the other"
                )
        return Moment(at, zone_given=True)
    if offset:
        return Moment(local.replace(tzinfo=timezone(_offset(offset))), zone_given=True)
    return Moment(local.replace(tzinfo=zone_named(default_zone)), zone_given=False)


def local_date(moment: Moment) -> date:
    return moment.at.date()


def _pad_date(text: str) -> str:
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _pad_time(text: str) -> str:
    hours, rest = text.split(":", 1)
    return f"{int(hours):02d}:{rest}"


def _offset(text: str) -> timedelta:
    if text == "Z":
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def _format_offset(delta: timedelta | None) -> str:
    if delta is None:
        return "?"
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"

"""Copy mistakes ``check`` catches: what a tired writer types that the reader sees.

- ``headline-breaking`` (error): "BREAKING:" typed in the headline of a release
  whose ``status: breaking`` already makes pressroom print it in front of the
  headline (PDF, Word, email, newsroom), so readers would see it twice. An error,
  not a silent fix: the file says what is sent.
- ``date-name`` (warning): a file named ``2026-12-01-...`` whose ``date:`` is
  another day; the newsroom and the send log know the release by its name.
- ``update-future`` (warning): an update or correction dated after today (in the
  room's time zone), or after now when its date gives the time.

The rules take a :class:`~pressroom.check.findings.Findings` as every rule of
:data:`pressroom.check.rules.RULES` does.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from pressroom.model.moments import zone_named
from pressroom.model.names import date_in_name
from pressroom.model.release import Release
from pressroom.model.room import Room

if TYPE_CHECKING:
    from pressroom.check.findings import Findings

BREAKING_TYPED = re.compile(r"^\s*BREAKING(?:\s+NEWS)?\s*[:\-\u2013\u2014|]", re.IGNORECASE)


def article(word: str) -> str:
    """ "a" or "an" before *word* (pressroom's own words: status and type names)."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def breaking_typed(found: Findings, room: Room, release: Release, now: datetime) -> None:
    typed = BREAKING_TYPED.match(release.headline)
    if release.status == "breaking" and typed:
        found.error(
            "headline-breaking",
            ("headline",),
            f'the headline starts with "{typed[0].strip()}", which pressroom already '
            "prints in front of a breaking release's headline: readers would see it twice",
            f'remove it from the headline ("{release.headline[typed.end() :].strip()}")',
        )


def name_and_date(found: Findings, room: Room, release: Release, now: datetime) -> None:
    named = date_in_name(release.name)
    if release.date is None or release.date_from_name or named is None or named == release.date:
        return
    found.warning(
        "date-name",
        ("date",),
        f"the release is dated {release.date}, but its file name says {named}",
        f"fix date:, or rename the file to {release.date}{release.name[10:]}.yaml "
        "(before it is sent: the send log knows it by its name)",
    )


def future_updates(found: Findings, room: Room, release: Release, now: datetime) -> None:
    today = now.astimezone(zone_named(room.config.timezone)).date()
    for index, update in enumerate(release.updates):
        if update.at is not None:
            late = update.at > now
            when = update.at.isoformat(" ", "minutes")
        else:
            late = update.date is not None and update.date > today
            when = str(update.date)
        if late:
            label = (update.label or "").strip().lower() or "update"
            found.warning(
                "update-future",
                ("updates", index, "date"),
                f"{article(label)} {label} dated {when}, in the future",
                f"date it when it was made (today is {today})",
            )

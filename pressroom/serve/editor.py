"""What the editor pages are given: the release to edit is fetched by the page itself
from the JSON API (:mod:`pressroom.serve.api`); this module gives the choices the
form offers (people of pressroom.yaml, media lists, types, statuses) and the
token the page's writes carry (:mod:`pressroom.serve.guard`).

The editor never sends: it saves files. Its choices of people come from
``people`` in pressroom.yaml, and of lists from the file names in ``contacts/``
(no address is read).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressroom.load.room import load_room
from pressroom.model.release import TYPE_LABELS
from pressroom.serve.files import NoSuchRelease

STATUSES = {
    "immediate": "For immediate release",
    "embargoed": "Embargoed until a time",
    "breaking": "Breaking",
}
COMMON_ZONES = (
    "UTC", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "Europe/London", "Europe/Paris", "Europe/Berlin", "Africa/Lagos", "Asia/Kolkata",
    "Asia/Tokyo", "Australia/Sydney",
)  # fmt: skip
"""Offered for an embargo's zone (any IANA zone may be typed)."""
ATTACH = ("pdf", "docx", "vcard", "ics", "images")


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    title: str


@dataclass(frozen=True)
class EditorPage:
    name: str
    token: str
    types: dict[str, str]
    statuses: dict[str, str]
    people: list[Person]
    lists: list[str]
    attach: tuple[str, ...] = ATTACH
    timezone: str = ""
    zones: list[str] = field(default_factory=list)

    def choices(self) -> dict[str, Any]:
        """What the page's script offers in the form (read from the page as JSON)."""
        return {
            "name": self.name,
            "types": self.types,
            "statuses": self.statuses,
            "people": [vars(person) for person in self.people],
            "lists": self.lists,
            "attach": list(self.attach),
            "timezone": self.timezone,
            "zones": self.zones,
        }


def editor_page(root: Path, name: str, token: str) -> EditorPage:
    """The editor of release *name* (a file under releases/)."""
    from pressroom.drafts.save import NameRefused, release_path

    try:
        path = release_path(root, name)
    except NameRefused:
        raise NoSuchRelease(f"no release '{name}' under releases/") from None
    if not path.is_file():
        raise NoSuchRelease(f"no release '{name}' under releases/")
    return _page(root, path.stem, token)


def new_page(root: Path, token: str) -> EditorPage:
    return _page(root, "", token)


def _page(root: Path, name: str, token: str) -> EditorPage:
    room = load_room(root)
    people = [
        Person(key, person.name, person.title or "") for key, person in room.config.people.items()
    ]
    folder = root / "contacts"
    lists = sorted(
        {p.stem for p in folder.glob("*") if p.suffix in (".csv", ".yaml", ".yml")}
        if folder.is_dir()
        else set()
    )
    zones = sorted({room.config.timezone, *COMMON_ZONES})
    return EditorPage(
        name=name,
        token=token,
        types=dict(TYPE_LABELS),
        statuses=STATUSES,
        people=people,
        lists=lists,
        timezone=room.config.timezone,
        zones=zones,
    )

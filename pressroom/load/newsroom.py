"""Where the newsroom is published, and where a release's page is in it.

The emails need to know it at send time, the newsroom (``pressroom site``) when
it writes its pages.

An email's calendar invitation (.ics) links to the release's page in the
newsroom. The address is ``org.newsroom`` when pressroom.yaml gives it; else
the address ``pressroom site`` last published the newsroom at (``--base-url``),
recorded in the room's ``.pressroom/`` folder by a real build (not a rehearsal
under ``PRESSROOM_NOW``, and https:// only, so that a local test build never
reaches an email); else ``org.website``. The record is this computer's only:
``org.newsroom`` tells every clone of the room.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from pressroom.model.links import BadLink, WebUrl
from pressroom.model.room import Room

RECORD = Path(".pressroom") / "newsroom-address"


def record_published_address(room: Room, base: str) -> bool:
    """Remember *base* as where the newsroom is published; False (nothing kept) for an
    address that is not https://."""
    if not base.startswith("https://"):
        return False
    path = room.root / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(base + "\n", encoding="utf-8")
    partial.replace(path)
    return True


def published_address(room: Room) -> str | None:
    """The address ``pressroom site`` last published at, if recorded and still valid."""
    try:
        text = (room.root / RECORD).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    try:
        WebUrl.parse(text)
    except BadLink:
        return None
    return text if text.startswith("https://") else None


def newsroom_address(room: Room) -> str | None:
    """The newsroom's address for emails: ``org.newsroom``, else where ``site`` last
    published it, else ``org.website``."""
    org = room.config.org
    return org.newsroom or published_address(room) or org.website


def page_path(name: str) -> str:
    """The relative URL of a release's page in the newsroom: ``<name>/``, %-encoded."""
    return quote(name) + "/"


def page_url(base: str | None, name: str) -> str | None:
    """The release's page in the newsroom at *base* (None when the address is unknown)."""
    return base.rstrip("/") + "/" + page_path(name) if base else None

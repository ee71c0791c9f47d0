"""Which file a preview page is of: the releases it lists, and a release by its name.

A name comes from the address bar, so it is checked here, once, before any
file is opened: only a file directly under ``releases/`` is ever a release.
Translations (``releases/NAME.LANG.yaml``) are shown on their original's page,
not listed on their own.
"""

from __future__ import annotations

from pathlib import Path

from pressroom.errors import PressroomError
from pressroom.load.translations import is_translation_file
from pressroom.model.names import is_name
from pressroom.model.room import Room


class NoSuchRelease(PressroomError):
    """The page asked for a release that has no file under releases/."""


def release_path(room: Room, name: str) -> Path:
    """The file of the release called *name* (its file name without .yaml)."""
    if is_name(name):
        for suffix in (".yaml", ".yml"):
            path = room.releases_dir / f"{name}{suffix}"
            if path.is_file() and path.parent == room.releases_dir:
                return path
    raise NoSuchRelease(f"no release '{name}' under releases/")


def release_paths(room: Room) -> list[Path]:
    """The release files the index lists, by name (translations left out)."""
    if not room.releases_dir.is_dir():
        return []
    return sorted(
        path
        for path in room.releases_dir.iterdir()
        if path.suffix in (".yaml", ".yml")
        and path.is_file()
        and not path.name.startswith(".")
        and not is_translation_file(path)  # shown on its original's page
    )

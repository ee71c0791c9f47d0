"""Harness: a release file, loaded (:func:`pressroom.load.room.load_release`) and checked.

The input is the release's YAML; the room around it is the example room, so
that its people, pictures and signatory lists resolve. A release that loads
is also checked (:func:`pressroom.check.rules.check_release`): the rules read its
text with regular expressions, which hostile text must not stall.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fuzz import scratch
from pressroom.check.rules import check_release
from pressroom.load.room import load_release, load_room
from pressroom.model.room import Room

TIME_BOUND = 5
MAX_LEN = 16384

_room: Room | None = None
_path = Path()


def seeds() -> Iterator[bytes]:
    yield from scratch.files("releases/*.yaml")
    yield from scratch.seed_files("release")


def setup() -> None:
    global _room, _path
    _room = load_room(scratch.example_room())
    _path = _room.root / "releases" / "2026-12-01-fuzzed.yaml"


def one_input(data: bytes) -> None:
    assert _room is not None
    _path.write_bytes(data)
    release = load_release(_room, _path)
    check_release(_room, release, scratch.NOW)

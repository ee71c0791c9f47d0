"""Harness: pressroom.yaml, loaded (:func:`pressroom.load.room.load_room`) and checked.

The input is the room's own file; its pictures and lists are the example
room's. A room that loads is checked (:func:`pressroom.check.rules.check_room`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fuzz import scratch
from pressroom.check.rules import check_room
from pressroom.load.room import load_room

TIME_BOUND = 5
MAX_LEN = 16384

_root = Path()


def seeds() -> Iterator[bytes]:
    yield from scratch.files("pressroom.yaml")
    yield from scratch.seed_files("room_config")


def setup() -> None:
    global _root
    _root = scratch.example_room()


def one_input(data: bytes) -> None:
    (_root / "pressroom.yaml").write_bytes(data)
    check_room(load_room(_root))

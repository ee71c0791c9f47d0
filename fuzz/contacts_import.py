"""Harness: ``pressroom contacts import`` of an export (``contacts.importing.import_csv``).

The first byte of the input chooses how: odd, merged into the example room's
list ``national-press``; even, written as a new list. The rest is the export.
The list written is read back as ``send`` would read it: an import must never
write a list pressroom then refuses.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from fuzz import scratch
from pressroom.contacts.importing import import_csv
from pressroom.load.contacts import load_list
from pressroom.load.room import load_room
from pressroom.model.room import Room

TIME_BOUND = 5
MAX_LEN = 16384

_room: Room | None = None
_export = Path()
_original = Path()


def seeds() -> Iterator[bytes]:
    for number, data in enumerate(
        [*scratch.files("contacts/*.csv"), *scratch.seed_files("contacts_import")]
    ):
        yield bytes([number % 2]) + data


def setup() -> None:
    global _room, _export, _original
    _room = load_room(scratch.example_room())
    _export = _room.root / "export.csv"
    _original = _room.root / "national-press.csv.orig"
    shutil.copy(_room.contacts_dir / "national-press.csv", _original)


def one_input(data: bytes) -> None:
    assert _room is not None
    merge = bool(data[:1]) and data[0] % 2 == 1
    _export.write_bytes(data[1:])
    shutil.copy(_original, _room.contacts_dir / "national-press.csv")
    (_room.contacts_dir / "imported.csv").unlink(missing_ok=True)
    name = "national-press" if merge else "imported"
    summary = import_csv(_export, _room, name, merge=merge)
    for problem in summary.problems:
        str(problem)
    written = load_list(_room, summary.target)
    if written.problems or written.invalid:
        raise AssertionError(f"the imported list does not load: {written.problems}")

"""What the two media-list harnesses share: one list file, read as ``send`` reads it."""

from __future__ import annotations

from pathlib import Path

from fuzz import scratch
from pressroom.load.contacts import load_list
from pressroom.load.room import load_room
from pressroom.model.room import Room


class ListHarness:
    """Writes each input as ``contacts/fuzzed<suffix>`` and loads it."""

    def __init__(self, suffix: str):
        self.suffix = suffix
        self.room: Room | None = None
        self.path = Path()

    def setup(self) -> None:
        self.room = load_room(scratch.example_room())
        self.path = self.room.contacts_dir / f"fuzzed{self.suffix}"

    def one_input(self, data: bytes) -> None:
        assert self.room is not None
        self.path.write_bytes(data)
        media_list = load_list(self.room, self.path)
        for problem in media_list.problems:
            str(problem)
        for recipient in media_list.recipients:
            recipient.key  # noqa: B018 (the address as the log compares it)

"""Harness: a body of SendGrid events, as both readers of :mod:`pressroom.events.parse` take it.

What ``events serve`` hands :func:`parse_post` once the signature is checked,
and what ``events import`` hands :func:`parse_body` from a file (a JSON
array, one object, or one object per line). Every event read must have what
the send log stores.
"""

from __future__ import annotations

from collections.abc import Iterator

from fuzz import scratch
from pressroom.events.parse import Event, NotEvents, SetAside, parse_body, parse_post

TIME_BOUND = 5
MAX_LEN = 65536


def seeds() -> Iterator[bytes]:
    yield from scratch.seed_files("events")


def setup() -> None:
    pass


def one_input(data: bytes) -> None:
    try:
        _read(*parse_post(data))
    except NotEvents:
        pass  # a 400 (a PressroomError too): the other reader is tried all the same
    _read(*parse_body(data))


def _read(events: list[Event], aside: list[SetAside]) -> None:
    for event in events:
        event.key  # noqa: B018
        event.suppression  # noqa: B018
        event.at.isoformat()
    for item in aside:
        str(item)

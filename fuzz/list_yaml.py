"""Harness: a media list in YAML (``contacts/*.yaml``), read as ``send``
reads it (:func:`pressroom.load.contacts.load_list`)."""

from __future__ import annotations

from collections.abc import Iterator

from fuzz import scratch
from fuzz.lists import ListHarness

TIME_BOUND = 5
MAX_LEN = 16384

_harness = ListHarness(".yaml")
setup = _harness.setup
one_input = _harness.one_input


def seeds() -> Iterator[bytes]:
    yield from scratch.files("contacts/*.yaml")
    yield from scratch.seed_files("list_yaml")

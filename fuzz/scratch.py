"""The scratch press room the harnesses write their inputs into.

A copy of the example room bundled with pressroom (its pressroom.yaml, the
pictures, the media lists and the signatory lists), in a temporary folder
removed when the process ends. A harness writes the fuzzed file in place of
one of the room's own and loads it as pressroom would.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
"""The repository, whose top folder is the example press room."""
SEEDS = Path(__file__).resolve().parent / "seeds"
NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
"""The time the checks run at: fixed, so that a finding reproduces."""


def example_room() -> Path:
    """A fresh copy of the example room, without its releases."""
    root = Path(tempfile.mkdtemp(prefix="pressroom-fuzz-"))
    atexit.register(shutil.rmtree, root, True)
    shutil.copy(REPO / "pressroom.yaml", root / "pressroom.yaml")
    for folder in ("assets", "contacts", "releases/signatories"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def files(pattern: str, under: Path = REPO) -> Iterator[bytes]:
    """The bytes of the files matching *pattern* under *under*, in name order."""
    for path in sorted(under.glob(pattern)):
        if path.is_file():
            yield path.read_bytes()


def seed_files(harness: str) -> Iterator[bytes]:
    """The hostile seeds committed for *harness* (``fuzz/seeds/<harness>/``)."""
    yield from files("*", SEEDS / harness)

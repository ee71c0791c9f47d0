"""Round trip: the .docx `pressroom build` writes imports back to the same release.

For every example release, and for two releases shaped like real documents a
press office receives (a breaking release, an open letter with forty
signatories; tests/imports/), the Word file built from the release is imported
into a copy of the room, and the release read back is the same as the original
(tests/import_canon.py says what "the same" covers).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from pressroom.drafts.importing import import_document
from pressroom.load.room import load_release, load_room, release_files
from pressroom.render.build import build

from .conftest import REPO
from .import_canon import canonical

HERE = Path(__file__).parent / "imports"
EXAMPLES = [p.stem for p in sorted((REPO / "releases").glob("*.yaml")) if "." not in p.stem]
SHAPED = ["breaking", "open-letter"]


def _room_copy(tmp_path: Path, name: str, with_releases: bool) -> Path:
    root = tmp_path / name
    root.mkdir()
    shutil.copy(REPO / "pressroom.yaml", root)
    shutil.copytree(REPO / "assets", root / "assets")
    if with_releases:
        shutil.copytree(REPO / "releases", root / "releases")
    else:
        (root / "releases").mkdir()
    return root


def _round_trip(tmp_path: Path, source: Path, stem: str) -> None:
    room = load_room(source)
    [path] = release_files(room, [stem])
    original = load_release(room, path)
    built = build(room, [original], tmp_path / "build", ["docx"], workers=1)
    [docx] = [f for f in built[0].files if f.suffix == ".docx"]

    target = _room_copy(tmp_path, "target", with_releases=False)
    done = import_document(
        load_room(target), docx.read_bytes(), docx.name, suffix=".docx", today=date(2026, 1, 1)
    )
    assert not [w for w in done.warnings if w.code == "import-unplaced"], done.warnings
    target_room = load_room(target)
    imported = load_release(target_room, done.path)
    assert imported.draft is True
    want, got = canonical(room, original), canonical(target_room, imported)
    for key in want:
        assert got[key] == want[key], key


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_docx_imports_back_to_the_same_release(tmp_path: Path, name: str) -> None:
    _round_trip(tmp_path, REPO, name)


@pytest.mark.parametrize("shape", SHAPED)
def test_seed_shaped_docx_imports_back(tmp_path: Path, shape: str) -> None:
    source = _room_copy(tmp_path, "source", with_releases=False)
    shutil.copy(HERE / f"{shape}.yaml", source / "releases" / f"2026-01-01-{shape}.yaml")
    _round_trip(tmp_path, source, f"2026-01-01-{shape}")

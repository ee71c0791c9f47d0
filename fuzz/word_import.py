"""Harness: ``pressroom import`` of a draft (:func:`pressroom.drafts.importing.import_document`).

The first byte of the input chooses what the rest is, so that the fuzzer
reaches the readers' logic and not only the zip's checksums:

- 0: a whole document, sniffed as ``pressroom import`` sniffs it;
- 1: ``word/document.xml``, packed into a .docx;
- 2: ``content.xml``, packed into an .odt;
- 3: Markdown (a ``.md`` file).

Each input is imported into a copy of the example room; a release it writes
must load as any release does (an import never writes a file pressroom then
refuses). The room is put back as it was after each input.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from fuzz import scratch
from pressroom.drafts.importing import import_document
from pressroom.errors import LoadError
from pressroom.load.room import load_release, load_room
from pressroom.model.room import Room

TIME_BOUND = 10
MAX_LEN = 65536
TODAY = date(2026, 12, 1)
DOCX_PART = "word/document.xml"
ODT_PART = "content.xml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)

_room: Room | None = None
_room_file = b""
_assets: set[Path] = set()


def packed(mode: int, data: bytes) -> tuple[bytes, str]:
    """The document and its suffix for *mode* (see the module)."""
    if mode == 1:
        return _zip({"[Content_Types].xml": CONTENT_TYPES.encode(), DOCX_PART: data}), ".docx"
    if mode == 2:
        mimetype = b"application/vnd.oasis.opendocument.text"
        return _zip({"mimetype": mimetype, ODT_PART: data}), ".odt"
    if mode == 3:
        return data, ".md"
    return data, ""


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def seeds() -> Iterator[bytes]:
    """Word files of two example releases (as ``build`` writes them), their XML, and the
    committed seeds (``fuzz/seeds/word_import/``, each named after its mode)."""
    from pressroom.load.room import release_files
    from pressroom.render.context import document
    from pressroom.render.docx import render_docx

    room = load_room(scratch.REPO)
    for path in release_files(room, ["statement-police-drone-pilot", "transit-letter"]):
        word = render_docx(document(room, load_release(room, path)))
        yield b"\0" + word
        with zipfile.ZipFile(io.BytesIO(word)) as package:
            yield b"\1" + package.read(DOCX_PART)
    for path in sorted((scratch.SEEDS / "word_import").iterdir()):
        yield bytes([int(path.name.split("-")[0])]) + path.read_bytes()


def setup() -> None:
    global _room, _room_file, _assets
    _room = load_room(scratch.example_room())
    _room_file = (_room.root / "pressroom.yaml").read_bytes()
    _assets = set(_room.root.rglob("*"))


def one_input(data: bytes) -> None:
    assert _room is not None
    document, suffix = packed(data[0] % 4 if data else 0, data[1:])
    try:
        done = import_document(_room, document, f"draft{suffix}", suffix=suffix, today=TODAY)
        try:
            load_release(load_room(_room.root), done.path)
        except LoadError as error:
            raise AssertionError(f"the imported release does not load:\n{error}") from None
    finally:
        _put_back()


def _put_back() -> None:
    assert _room is not None
    (_room.root / "pressroom.yaml").write_bytes(_room_file)
    for path in sorted(set(_room.root.rglob("*")) - _assets, reverse=True):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)

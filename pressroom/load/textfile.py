"""Text files read safely: bounded in size, UTF-8 or refused with the byte's place.

:func:`read_text` reads a whole file (releases, pressroom.yaml, small CSVs);
:func:`read_lines` reads one line at a time, for media lists of any length,
never past the size limit even if the file grows while it is read.
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

from pressroom.errors import LoadError, Problem

MAX_BYTES = 1024 * 1024
"""What :func:`read_text` reads at most, unless told otherwise."""


def read_text(path: Path, display: str, max_bytes: int = MAX_BYTES) -> str:
    """A file's text, refusing huge files and bytes that are not UTF-8."""
    _check_size(path, display, max_bytes)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError([Problem(display, f"cannot read the file: {exc.strerror}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line, line_start = before.count(b"\n") + 1, before.rfind(b"\n") + 1
        raise LoadError([_not_utf8(display, raw, exc.start, line, line_start)]) from None


def read_lines(path: Path, display: str, max_bytes: int = MAX_BYTES) -> Iterator[str]:
    """A file's lines as they are read, each with its ending (split as a file opened
    with ``newline=""`` splits them), checked as :func:`read_text` checks the whole:
    a long file is never held (a media list of 100,000 rows is a few megabytes twice
    over, as bytes and as text). The problems come as the lines are read."""
    _check_size(path, display, max_bytes)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise LoadError([Problem(display, f"cannot read the file: {exc.strerror}")]) from None
    with handle:
        read = 0
        for number in itertools.count(1):
            # never past max_bytes, even if the file grew since its size was checked
            raw = handle.readline(max_bytes - read + 1)
            if not raw:
                return
            read += len(raw)
            if read > max_bytes:
                raise LoadError([_too_big(display, read, max_bytes)])
            skip = len(codecs.BOM_UTF8) if number == 1 and raw.startswith(codecs.BOM_UTF8) else 0
            try:
                text = raw[skip:].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise LoadError([_not_utf8(display, raw, skip + exc.start, number, 0)]) from None
            if "\r" in text:  # a CR alone ends a line too (newline="")
                yield from lines_of(text)
            else:  # one line, read up to its \n (or the file's end)
                yield text


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def lines_of(text: str) -> Iterator[str]:
    """*text*'s lines with their endings, as a file opened with ``newline=""`` gives
    them, one at a time (a ``StringIO`` would hold the text again, four bytes a
    character)."""
    return (match.group() for match in _LINE.finditer(text))


def _check_size(path: Path, display: str, max_bytes: int) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LoadError([Problem(display, "file not found")]) from None
    except OSError as exc:
        raise LoadError([Problem(display, f"cannot read the file: {exc.strerror}")]) from None
    if size > max_bytes:
        raise LoadError([_too_big(display, size, max_bytes)])
    if path.is_dir():
        raise LoadError([Problem(display, "is a folder, not a file", hint="give the file's path")])


def _not_utf8(display: str, raw: bytes, at: int, line: int, line_start: int) -> Problem:
    return Problem(
        display,
        f"byte 0x{raw[at]:02x} is not UTF-8 text",
        line=line,
        column=at - line_start + 1,
        hint="save the file as UTF-8 in your editor",
    )


def _too_big(display: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        display,
        f"file is {size / 1024 / 1024:.1f} MB, more than the "
        f"{max_bytes / 1024 / 1024:.0f} MB pressroom reads",
        hint="is this the right file? split it, or move large data out of it",
    )

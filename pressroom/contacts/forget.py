"""``pressroom contacts forget ADDRESS``: erase a person on request (GDPR article 17).

The address leaves every media list file in ``contacts/`` (only the lines of
its rows are cut, so the rest of each file stays as the team wrote it), the
outbox's rehearsal copies addressed to it are deleted, and the send logs
(the real one and the outbox's) replace it with a keyed pseudonym that keeps
it suppressed (:mod:`pressroom.sendlog.forget`). Every SQLite log in
``.pressroom/`` is cleaned, the one ``db copy`` left behind included; a log
that cannot be opened is named, and so is every file of the room that still
holds the address afterwards (a report exported with ``report --csv``, a
copy of an export): pressroom did not write those, so it does not edit them.
What the provider keeps (SendGrid's own suppression lists and activity) and
files outside the room are not in pressroom's reach: the command says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.deliver.outbox import eml_name
from pressroom.errors import LoadError, PressroomError, UsageError, relative_name
from pressroom.load import textfile, yamlfile
from pressroom.load.contacts import MAX_LIST_BYTES, csv_records, list_files, sniff_delimiter
from pressroom.model.room import Room
from pressroom.sendlog import Location, open_log, room_log
from pressroom.sendlog.forget import Forgotten


@dataclass
class ForgetReport:
    """What ``forget`` changed, for the person who asked and for the record."""

    lists: dict[str, int] = field(default_factory=dict)
    """List file -> rows removed."""
    logs: dict[str, Forgotten] = field(default_factory=dict)
    """Send log -> what was pseudonymised in it."""
    outbox_files: int = 0
    not_cleaned: dict[str, str] = field(default_factory=dict)
    """Send log that could not be opened -> why (the address may remain in it)."""
    still_named: list[str] = field(default_factory=list)
    """Files of the room that still hold the address (exports, reports): pressroom did
    not write them, so it does not edit them; the person who asked must be told."""


def room_logs(room: Room) -> list[Location]:
    """Every send log of *room*: the real one, the outbox's, and any other SQLite log
    in ``.pressroom/`` (the file left behind by ``db copy``, a backup)."""
    found = [room_log(room.root, room.config.database), room_log(room.root, outbox=True)]
    folder = room.root / ".pressroom"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.is_symlink() and _is_sqlite(path):
                found.append(Location(path=path, root=room.root))
    unique: dict[str, Location] = {}
    for where in found:
        unique.setdefault(str(where.path.resolve()) if where.path else str(where), where)
    return [where for where in unique.values() if where.exists()]


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def forgotten_keys(room: Room, keys: list[str]) -> set[str]:
    """Of the address *keys*, those someone had forgotten, by any of the room's logs."""
    found: set[str] = set()
    for where in room_logs(room):
        try:
            with open_log(where, read_only=True) as log:
                found.update(log.forgotten_among(keys))
        except PressroomError:
            continue  # not a send log (another SQLite file); forget names it
    return found


def forget(room: Room, address: str) -> ForgetReport:
    """Remove *address* from the room's lists, outbox and send logs; what changed."""
    key = address.strip().lower()
    if "@" not in key or not key.isprintable() or len(key) > 320:
        raise UsageError(f"{address!r} is not an email address: give the address to forget")
    report = ForgetReport()
    for path in list_files(room).values():
        removed = _remove_rows(path, relative_name(path, room.root), key)
        if removed:
            report.lists[relative_name(path, room.root)] = removed
    for outbox in (room.root / ".pressroom" / "outbox").glob(f"*/{eml_name(key)}"):
        if outbox.is_file() and not outbox.is_symlink():
            outbox.unlink()
            report.outbox_files += 1
    for where in room_logs(room):
        try:
            with open_log(where) as log:
                report.logs[str(where)] = log.forget(key)
        except PressroomError as error:
            report.not_cleaned[str(where)] = str(error)
    report.still_named = still_naming(room.root, key)
    return report


SKIPPED_FOLDERS = frozenset({".git", ".venv", "venv", "node_modules", "__pycache__"})
SKIPPED_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ttf", ".otf", ".woff",
     ".woff2", ".db-shm"}
)  # fmt: skip
MAX_SEARCHED = 50_000_000
"""Bytes: a larger file is named as not searched rather than read."""


def still_naming(root: Path, key: str) -> list[str]:
    """The files under *root* that hold the address *key* (any case, or URL-encoded)."""
    from urllib.parse import quote

    forms = {f.lower().encode() for f in (key, quote(key, safe=""), quote(key))}
    named: list[str] = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS)
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix.lower() in SKIPPED_SUFFIXES or path.is_symlink():
                continue
            display = relative_name(path, root)
            try:
                if path.stat().st_size > MAX_SEARCHED:
                    named.append(f"{display} (too large to search)")
                    continue
                data = path.read_bytes().lower()
            except OSError:
                continue
            if any(form in data for form in forms):
                named.append(display)
    return named


def _remove_rows(path: Path, display: str, key: str) -> int:
    """Cut the lines of *path*'s rows whose address is *key*; how many rows."""
    text = textfile.read_text(path, display, MAX_LIST_BYTES)
    if path.suffix == ".csv":
        spans = _csv_spans(text, display, key)
    else:
        spans = _yaml_spans(path, display, key)
    if not spans:
        return 0
    lines = text.splitlines(keepends=True)
    cut = {n for start, end in spans for n in range(start, end)}
    path.write_text("".join(line for n, line in enumerate(lines, 1) if n not in cut), "utf-8")
    return len(spans)


def _csv_spans(text: str, display: str, key: str) -> list[tuple[int, int]]:
    records = list(csv_records(text, display, sniff_delimiter(text)))
    if not records:
        return []
    columns = [c.strip().lower() for c in records[0][1]]
    if "email" not in columns:
        return []
    at = columns.index("email")
    ends = [line for line, _ in records[1:]] + [len(text.splitlines()) + 1]
    return [
        (line, end)  # a row ends where the next begins (quoted fields may span lines)
        for (line, record), end in zip(records, ends, strict=True)
        if line != records[0][0] and at < len(record) and record[at].strip().lower() == key
    ]


def _yaml_spans(path: Path, display: str, key: str) -> list[tuple[int, int]]:
    try:
        located = yamlfile.load(path, display, MAX_LIST_BYTES)
    except LoadError:
        raise UsageError(f"{display} does not read; fix it before forgetting anyone") from None
    if not isinstance(located.data, list):
        return []
    lines = path.read_text("utf-8").splitlines()
    starts = [located.position((i,))[0] or 1 for i in range(len(located.data))]
    ends = starts[1:] + [len(lines) + 1]
    spans = []
    for item, start, end in zip(located.data, starts, ends, strict=True):
        if isinstance(item, dict) and str(item.get("email", "")).strip().lower() == key:
            while end - 1 > start and lines[end - 2].strip()[:1] in ("", "#"):
                end -= 1  # a comment or blank line before the next item belongs to it
            spans.append((start, end))
    return spans

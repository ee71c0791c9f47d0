"""``pressroom contacts forget ADDRESS``: erase a person on request (GDPR article 17).

The address leaves every media list file in ``contacts/`` (only the lines of
its rows are cut, so the rest of each file stays as the team wrote it), the
outbox's rehearsal copies addressed to it are deleted, and the send logs
(the real one and the outbox's) replace it with a keyed pseudonym that keeps
it suppressed (:mod:`pressroom.sendlog.forget`). What the provider keeps
(SendGrid's own suppression lists and activity) is not in pressroom's reach:
the command says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pressroom.deliver.outbox import eml_name
from pressroom.errors import LoadError, UsageError, relative_name
from pressroom.load import textfile, yamlfile
from pressroom.load.contacts import MAX_LIST_BYTES, csv_records, list_files, sniff_delimiter
from pressroom.model.room import Room
from pressroom.sendlog import open_log, room_log
from pressroom.sendlog.forget import Forgotten


@dataclass
class ForgetReport:
    """What ``forget`` changed, for the person who asked and for the record."""

    lists: dict[str, int] = field(default_factory=dict)
    """List file -> rows removed."""
    logs: dict[str, Forgotten] = field(default_factory=dict)
    """Send log -> what was pseudonymised in it."""
    outbox_files: int = 0


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
    for where in dict.fromkeys(
        [room_log(room.root, room.config.database), room_log(room.root, outbox=True)]
    ):
        if where.exists():
            with open_log(where) as log:
                report.logs[str(where)] = log.forget(key)
    return report


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

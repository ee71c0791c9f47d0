"""``pressroom contacts import``: a CSV export -> a clean media list in ``contacts/``.

Exports from spreadsheets and media databases come with a byte order mark,
``;`` or tab delimiters and headers such as "E-mail" or "Publication". This
reads them, keeps the rows with a valid address once each, and writes
``contacts/<list>.csv`` with pressroom's own columns.

With ``merge``, the export is added to the existing list instead: new
addresses are appended, addresses already on the list are updated (a value
in the export replaces the list's, an empty one keeps it, tags are joined),
and every other row of the list stays as it was. Nothing is dropped silently:
a list with invalid rows or columns pressroom does not keep is refused, and
the summary names every address added and every value changed.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from pressroom import csvsafe
from pressroom.errors import LoadError, Problem, UsageError, relative_name
from pressroom.load import textfile
from pressroom.load.contacts import (
    MAX_LIST_BYTES,
    SUFFIXES,
    csv_records,
    row_problems,
    sniff_delimiter,
)
from pressroom.load.export_headers import ALIASES, NOT_KEPT, normalize_header
from pressroom.model.contacts import COLUMNS, Recipient
from pressroom.model.located import Located
from pressroom.model.room import Room

_NAME_PREFIXES = {"mr", "mrs", "ms", "mx", "dr", "prof", "sir", "dame"}
_LIST_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass
class ImportSummary:
    """What an import did: the file written, and every row it left out and why."""

    source: str
    target: Path
    written: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    duplicates: int = 0
    forgotten: int = 0
    """Rows left out because their address was forgotten on request."""
    merged: bool = False  # added to an existing list
    added: list[str] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: int = 0  # on the list and in the export, with nothing new
    kept: int = 0  # on the list only


@dataclass(frozen=True)
class Change:
    """An address already on the list whose values the merge changed."""

    email: str
    changes: tuple[tuple[str, str, str], ...]  # (column, old value, new value)

    def describe(self) -> str:
        return "; ".join(f"{c}: {old or '(empty)'} -> {new}" for c, old, new in self.changes)


def first_name_of(name: str) -> str | None:
    """The first name in a full name: "Dr. Ana Ortiz" -> "Ana", "Ortiz, Ana" -> "Ana"."""
    if "," in name:
        name = name.split(",", 1)[1]
    words = [w for w in name.split() if w.lower().rstrip(".") not in _NAME_PREFIXES]
    return words[0] if words else None


def import_csv(
    source: Path,
    room: Room,
    list_name: str,
    force: bool = False,
    merge: bool = False,
    forgotten: Callable[[list[str]], set[str]] | None = None,
) -> ImportSummary:
    """Read the export *source* and write ``contacts/<list_name>.csv``; see the module.

    *forgotten* tells which address keys were forgotten on request (``contacts
    forget``): their rows are left out with a warning that names the line, not
    the address.
    """
    if force and merge:
        raise UsageError("choose --merge (add to the list) or --force (replace it), not both")
    target = _target(room, list_name, force or merge)
    existing = _existing(room, target) if merge and target.exists() else None
    display = relative_name(source, room.root)
    text = textfile.read_text(source, display, MAX_LIST_BYTES)
    records = csv_records(text, display, sniff_delimiter(text, ",;\t"))
    header = next(records, None)
    summary = ImportSummary(display, target)
    columns: dict[str, int] = {}
    for index, title in enumerate(header[1] if header else []):
        column = ALIASES.get(normalize_header(title))
        if column is None or column in columns:
            if title.strip():
                kept_out = NOT_KEPT.get(normalize_header(title))
                summary.ignored.append(
                    f"{title.strip()} ({kept_out}: not needed to send)"
                    if kept_out
                    else title.strip()
                )
            continue
        columns[column] = index
        summary.columns[title.strip()] = column
    if "email" not in columns:
        raise LoadError(
            [
                Problem(
                    display,
                    "no column of email addresses in the first line",
                    line=header[0] if header else 1,
                    hint="name it 'email' (also understood: E-mail, Email Address, Mail, "
                    "E-Mail-Adresse, Courriel, Correo electrónico)",
                )
            ]
        )
    first_line: dict[str, int] = {}
    recipients: list[Recipient] = []
    for line, record in records:
        data = {
            column: csvsafe.cell_value(record[i].strip())
            for column, i in columns.items()
            if i < len(record) and record[i].strip()
        }
        recipient = _recipient(data, display, line, summary)
        if recipient is None:
            continue
        if recipient.key in first_line:
            summary.duplicates += 1
            summary.problems.append(
                Problem(
                    display,
                    f"'{recipient.email}' is already on line {first_line[recipient.key]}",
                    line=line,
                    key="email",
                    hint="kept once",
                    severity="warning",
                )
            )
            continue
        first_line[recipient.key] = line
        recipients.append(recipient)
    if forgotten is not None:
        recipients = _without_forgotten(recipients, first_line, forgotten, display, summary)
    if not recipients:
        why = "every address in it was forgotten on request" if summary.forgotten else ""
        raise LoadError(
            [*summary.problems, Problem(display, why or "no row with a valid email address")]
        )
    if existing is not None:
        summary.merged = True
        recipients = _merge(existing, recipients, summary)
    else:
        summary.added = [r.email for r in recipients]
    _write(target, recipients)
    summary.written = len(recipients)
    return summary


def _without_forgotten(
    recipients: list[Recipient],
    lines: dict[str, int],
    forgotten: Callable[[list[str]], set[str]],
    display: str,
    summary: ImportSummary,
) -> list[Recipient]:
    gone = forgotten([r.key for r in recipients])
    for recipient in recipients:
        if recipient.key in gone:
            summary.forgotten += 1
            summary.problems.append(
                Problem(
                    display,
                    "this address was forgotten on request (contacts forget)",
                    line=lines[recipient.key],
                    key="email",
                    hint="left out; --include-forgotten imports it (send still skips it)",
                    severity="warning",
                )
            )
    return [r for r in recipients if r.key not in gone]


def _existing(room: Room, target: Path) -> list[Recipient]:
    """The list to merge into, refused if rewriting it would lose anything."""
    from pressroom.load.contacts import load_list

    display = relative_name(target, room.root)
    text = textfile.read_text(target, display, MAX_LIST_BYTES)
    header = next(csv_records(text, display, sniff_delimiter(text)), None)
    extra = [c.strip() for c in (header[1] if header else []) if c.strip().lower() not in COLUMNS]
    if extra:
        raise UsageError(
            f"{display}: has column{'s' if len(extra) != 1 else ''} {', '.join(extra)} that "
            "pressroom does not keep, so merging (which rewrites the file) would lose them; "
            f"move them elsewhere, or import into a new list (columns: {', '.join(COLUMNS)})"
        )
    media_list = load_list(room, target)
    errors = [p for p in media_list.problems if p.severity == "error"]
    if errors:
        raise LoadError(
            [
                *errors,
                Problem(
                    display,
                    f"{len(errors)} invalid row{'s' if len(errors) != 1 else ''}: merging would "
                    "drop them, so nothing was changed",
                    hint="fix the rows, then run the import again",
                ),
            ]
        )
    return media_list.recipients


def _merge(
    existing: list[Recipient], imported: list[Recipient], summary: ImportSummary
) -> list[Recipient]:
    """The list with *imported* added: see the module. Fills the summary's counts."""
    by_key = {r.key: r for r in imported}
    merged: list[Recipient] = []
    for old in existing:
        new = by_key.pop(old.key, None)
        if new is None:
            summary.kept += 1
            merged.append(old)
            continue
        updated, changes = _update(old, new)
        if changes:
            summary.updated.append(Change(old.email, changes))
        else:
            summary.unchanged += 1
        merged.append(updated)
    fresh = [r for r in imported if r.key in by_key]
    summary.added = [r.email for r in fresh]
    return merged + fresh


def _update(old: Recipient, new: Recipient) -> tuple[Recipient, tuple[tuple[str, str, str], ...]]:
    """*old* with the non-empty values of *new*; tags are joined. And what changed."""
    values: dict[str, object] = {}
    changes: list[tuple[str, str, str]] = []
    for column in COLUMNS:
        if column == "email":
            continue
        if column == "tags":
            tags = list(dict.fromkeys([*old.tags, *new.tags]))
            if tags != old.tags:
                changes.append((column, ";".join(old.tags), ";".join(tags)))
            values["tags"] = tags
            continue
        before, after = getattr(old, column), getattr(new, column)
        if after and after != before:
            changes.append((column, before or "", after))
            values[column] = after
    return old.model_copy(update=values), tuple(changes)


def _target(room: Room, list_name: str, force: bool) -> Path:
    if not _LIST_NAME.fullmatch(list_name):  # whole: 'evil\n' is not a name
        raise UsageError(
            f"--list {list_name!r} is not a list name: use letters, digits, '-', '_' or '.'"
        )
    target = room.contacts_dir / f"{list_name}.csv"
    if room.contacts_dir.is_symlink() or target.is_symlink():
        link = "contacts/" if room.contacts_dir.is_symlink() else f"contacts/{target.name}"
        raise UsageError(
            f"{link} is a symbolic link: pressroom writes a list only "
            "into the room's own contacts/ folder; replace the link with a real folder or file"
        )
    for suffix in SUFFIXES:
        other = room.contacts_dir / f"{list_name}{suffix}"
        if other != target and other.exists():
            raise UsageError(
                f"contacts/{other.name} already holds the list '{list_name}': "
                "choose another name with --list, or remove that file first"
            )
    if target.exists() and not force:
        raise UsageError(
            f"contacts/{target.name} already exists: pass --merge to add to it, --force to "
            "replace it, or choose another name with --list"
        )
    return target


def _recipient(
    data: dict[str, str], display: str, line: int, summary: ImportSummary
) -> Recipient | None:
    """The row as a Recipient; a bad optional value is dropped (with a warning), a bad
    address drops the row (with an error)."""
    last_name = data.pop("last_name", None)
    if "name" not in data and last_name:
        data["name"] = " ".join(filter(None, (data.get("first_name"), last_name)))
    if "first_name" not in data and data.get("name"):
        first = first_name_of(data["name"])
        if first:
            data["first_name"] = first
    while True:
        try:
            return Recipient.model_validate(data)
        except ValidationError as exc:
            fields = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
            problems = row_problems(exc, Located(display, data), line)
            if "email" in fields or not fields & data.keys():
                summary.problems.extend(problems)
                summary.skipped += 1
                return None
            for problem in problems:
                summary.problems.append(
                    Problem(
                        display,
                        problem.message,
                        line=line,
                        key=problem.key,
                        hint="left empty",
                        severity="warning",
                    )
                )
            for name in fields:
                data.pop(name, None)


def _write(target: Path, recipients: list[Recipient]) -> None:
    """Write the list, spreadsheet-safe (atomically: a crash never leaves half a file)."""
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in recipients:
        row = r.model_dump(include=set(COLUMNS))
        row["tags"] = ";".join(r.tags)
        writer.writerow([row[column] or "" for column in COLUMNS])
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    if partial.is_symlink() or partial.exists():
        partial.unlink()  # a link planted there must not redirect the write
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(partial, flags, 0o644), "w", encoding="utf-8", newline="") as file:
        file.write(out.getvalue())
    os.replace(partial, target)

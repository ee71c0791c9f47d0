"""Read the media lists in ``contacts/`` (CSV or YAML) into validated recipients.

Every bad row becomes a :class:`~pressroom.errors.Problem` naming the file and
the row's line, and is left out; the good rows load regardless. Only a file that
cannot be read at all (missing, too big, not UTF-8, broken YAML, no ``email``
column) raises :class:`~pressroom.errors.LoadError`.
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pressroom import csvsafe
from pressroom.errors import LoadError, Problem, relative_name
from pressroom.load import load_each, textfile, yamlfile
from pressroom.load.export_headers import ALIASES, normalize_header
from pressroom.load.validation import problems_from
from pressroom.model.base import suggestion
from pressroom.model.contacts import COLUMNS, MediaList, Recipient, kept, recipient_of
from pressroom.model.located import Located
from pressroom.model.names import NAME_RULE, is_name
from pressroom.model.paths import OUTSIDE, inside
from pressroom.model.room import Room

MAX_LIST_BYTES = 50 * 1024 * 1024
SUFFIXES = (".csv", ".yaml", ".yml")
NO_SUCH_LIST = "no such media list"
ROW_HINT = "fix or remove the row"
_SNIFF_SAMPLE = 64 * 1024
IMPORT = "pressroom contacts import FILE --list NAME"
NO_CONTACTS = (
    "this press room has no contacts/ folder: media lists are personal data, so "
    "pressroom init keeps contacts/ out of git (.gitignore) and a clone has none"
)
"""Why a colleague's clone has no lists (:data:`GET_LISTS` says how to get them)."""
GET_LISTS = (
    "copy the lists' files into contacts/ from whoever sends (not through git), or export "
    f"them from your media database and run '{IMPORT}'"
)
EXPORT_CODE = "contacts-export"


def list_files(room: Room) -> dict[str, Path]:
    """Each list's name (the file's stem) and its file in ``contacts/``."""
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    if not room.contacts_dir.is_dir():
        return found
    for path in sorted(room.contacts_dir.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith((".", "~")):
            continue
        if not is_name(path.stem):
            problems.append(
                Problem(
                    relative_name(path, room.root),
                    f"{path.stem!r} cannot be a list's name: {NAME_RULE}",
                    hint="rename the file",
                    code="one-name",
                )
            )
            continue
        if inside(room.root, path) is None:
            problems.append(
                Problem(
                    f"contacts/{path.name}",
                    "is a link to a file outside the press room; pressroom does not read it",
                    hint="replace the link with the list itself",
                    code=OUTSIDE,
                )
            )
            continue
        if path.stem in found:
            problems.append(
                Problem(
                    relative_name(path, room.root),
                    f"the list '{path.stem}' is also in {found[path.stem].name}",
                    hint="keep one file per list name",
                )
            )
            continue
        found[path.stem] = path
    if problems:
        raise LoadError(problems)
    return found


def load_lists(room: Room, names: Iterable[str] | None = None) -> list[MediaList]:
    """The named lists (all, sorted by name, when *names* is None).

    Raises :class:`LoadError` with every problem at once for unknown names and
    unreadable files; bad rows are kept in each list's ``problems`` instead.
    """
    return load_each(lambda path: load_list(room, path), list_paths(room, names).values())


def list_paths(room: Room, names: Iterable[str] | None = None) -> dict[str, Path]:
    """The files of the named lists, in the order named (all, sorted by name, when
    *names* is None); :class:`LoadError` naming every list that does not exist."""
    available = list_files(room)
    wanted = sorted(available) if names is None else list(dict.fromkeys(names))
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for name in wanted:
        stem = Path(name).stem if Path(name).suffix.lower() in SUFFIXES else name
        if stem not in available:
            hint = suggestion(stem, list(available)).strip(" ()") or (
                f"the lists are: {', '.join(sorted(available))}"
                if available
                else f"{NO_CONTACTS}; {GET_LISTS}"
                if not room.contacts_dir.is_dir()
                else f"add contacts/{stem}.csv, or run '{IMPORT}'"
            )
            problems.append(Problem(f"contacts/{stem}", NO_SUCH_LIST, hint=hint))
            continue
        found[stem] = available[stem]
    if problems:
        raise LoadError(problems)
    return found


def check_lists(room: Room) -> list[Problem]:
    """Every problem of every list in ``contacts/``: bad rows and unreadable files alike."""
    try:
        files = list_files(room)
    except LoadError as exc:
        return list(exc.problems)
    problems: list[Problem] = []
    for path in files.values():
        try:
            problems.extend(load_list(room, path).problems)
        except LoadError as exc:
            problems.extend(exc.problems)
    return problems


def load_list(room: Room, path: Path) -> MediaList:
    """One list file: its valid recipients, and a Problem for each bad or repeated row."""
    display = relative_name(path, room.root)
    media_list = MediaList(name=path.stem, source=display)
    first_line: dict[str, int] = {}
    for line, row in read_rows(room, path):
        if not isinstance(row, Recipient):
            media_list.problems.extend(row)
            media_list.invalid += 1
            continue
        if row.key in first_line:
            media_list.problems.append(
                Problem(
                    display,
                    f"'{row.email}' is already on line {first_line[row.key]}",
                    line=line,
                    key="email",
                    hint=f"the row on line {first_line[row.key]} is kept; remove this one",
                    severity="warning",
                )
            )
            continue
        first_line[row.key] = line
        media_list.recipients.append(row)
    return media_list


def read_rows(room: Room, path: Path) -> Iterator[tuple[int, Recipient | list[Problem]]]:
    """Each row of one list file as it is read: a recipient (its ``lists`` naming this
    list), or the problems of a bad row; with the row's line. Nothing is kept: a row
    repeated in the file comes twice (:func:`load_list` keeps the first).

    :class:`LoadError` if the file cannot be read at all, or stops being readable.
    """
    display = relative_name(path, room.root)
    if path.suffix.lower() == ".csv":
        return _csv_rows(path, display, [path.stem])
    return _yaml_recipients(path, display, [path.stem])


def _yaml_recipients(
    path: Path, display: str, lists: list[str]
) -> Iterator[tuple[int, Recipient | list[Problem]]]:
    for line, row in _yaml_rows(path, display):
        if isinstance(row, Problem):
            yield line, [row]
            continue
        try:
            yield line, recipient_of(row.data, lists)
        except ValidationError as exc:
            yield line, row_problems(exc, row, line)


def row_problems(exc: ValidationError, row: Located, line: int) -> list[Problem]:
    """The validation errors of one row, at the row's line (or at its keys, in YAML)."""
    problems = []
    for problem in problems_from(exc, row, Recipient):
        problems.append(
            dataclasses.replace(
                problem,
                line=problem.line if problem.line is not None else line,
                hint=ROW_HINT,
            )
        )
    return problems


def sniff_delimiter(text: str, candidates: str = ",;") -> str:
    """The delimiter of CSV *text*: csv.Sniffer's guess if the header agrees, else the header's."""
    header = text.splitlines()[0] if text else ""
    counts = {c: header.count(c) for c in candidates}
    try:
        sniffed = csv.Sniffer().sniff(text[:_SNIFF_SAMPLE], delimiters=candidates).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed in counts and counts[sniffed]:
        return sniffed
    best = max(candidates, key=lambda c: counts[c])
    return best if counts[best] else candidates[0]


def csv_records(
    text: str | Iterable[str], display: str, delimiter: str
) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank row of *text* (or of its lines, as they are read) with the line
    it starts on (quoted fields may span lines)."""
    lines = textfile.lines_of(text) if isinstance(text, str) else text
    reader = csv.reader(lines, delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            if "".join(record).strip():  # a field that is not blank
                yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise LoadError(
            [
                Problem(
                    display,
                    f"not a readable CSV row: {exc}",
                    line=start,
                    hint="check the quotes on this line",
                )
            ]
        ) from None


def _head(lines: Iterator[str]) -> list[str]:
    """The first lines of a file, enough to tell its CSV delimiter (read once: the
    reader goes on from the lines after them)."""
    head: list[str] = []
    size = 0
    for line in lines:
        head.append(line)
        size += len(line)
        if size >= _SNIFF_SAMPLE:
            break
    return head


def _csv_rows(
    path: Path, display: str, lists: list[str]
) -> Iterator[tuple[int, Recipient | list[Problem]]]:
    lines = textfile.read_lines(path, display, MAX_LIST_BYTES)
    head = _head(lines)
    records = csv_records(itertools.chain(head, lines), display, sniff_delimiter("".join(head)))
    first = next(records, None)
    columns = [c.strip().lower() for c in first[1]] if first else []
    if "email" not in columns and first and _export(first[1]):
        raise LoadError(
            [
                Problem(
                    display,
                    f"an export, not a media list: its columns ({', '.join(first[1])}) are "
                    "not pressroom's, so no row of it is read",
                    line=first[0],
                    hint=f"move it out of contacts/, then run '{IMPORT}' on it (it "
                    "understands these columns and writes the list)",
                    code=EXPORT_CODE,
                )
            ]
        )
    if "email" not in columns:
        raise LoadError(
            [
                Problem(
                    display,
                    "the first line must name the columns, including 'email'",
                    line=first[0] if first else 1,
                    hint=f"columns: {','.join(COLUMNS)}; an export from elsewhere: '{IMPORT}'",
                )
            ]
        )
    index = [(name, columns.index(name)) for name in COLUMNS if name in columns]
    plain_lists = all(map(kept, lists))
    mark = csvsafe.TEXT_MARK
    for line, record in records:
        data = {}
        plain = plain_lists  # every value a stripped cell, not empty (and UTF-8: no surrogate)
        size = len(record)
        for name, i in index:
            if i < size:
                cell = record[i].strip()
                if cell:
                    if cell[0] == mark:  # "'=..." written by pressroom: "=..."
                        cell = csvsafe.cell_value(cell)
                        plain = False
                    data[name] = cell
        try:
            row: Recipient | list[Problem] = recipient_of(data, lists, plain)
        except ValidationError as exc:
            row = row_problems(exc, Located(display, data), line)
        yield line, row


def _export(header: list[str]) -> bool:
    """Whether *header* names an address column ``contacts import`` understands
    ("E-mail", "Email Address", "Courriel"...): an export dropped in contacts/."""
    return any(ALIASES.get(normalize_header(name)) == "email" for name in header)


def _yaml_rows(path: Path, display: str) -> Iterator[tuple[int, Located | Problem]]:
    located = yamlfile.load(path, display, MAX_LIST_BYTES)
    if located.data is None:
        return
    if not isinstance(located.data, list):
        raise LoadError(
            [
                located.problem(
                    (),
                    "the file holds a mapping, not a list of recipients"
                    if isinstance(located.data, dict)
                    else "the file holds a single value, not a list of recipients",
                    hint="write one '- email: ...' item per recipient",
                )
            ]
        )
    for index, item in enumerate(located.data):
        line = located.position((index,))[0] or 1
        if not isinstance(item, dict):
            column = located.position((index,))[1]
            message = "expected a mapping such as {email: ...}"
            yield line, Problem(display, message, line, column, hint=ROW_HINT)
            continue
        marks = {
            path[1:]: mark
            for path, mark in located.marks.items()
            if path and path[0] == index and (len(path) == 1 or path[1] in COLUMNS)
        }
        data: dict[str, Any] = {k: v for k, v in item.items() if k in COLUMNS}
        yield line, Located(display, data, marks)

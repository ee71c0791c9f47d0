"""Adding people to pressroom.yaml, keeping the file as its maintainers wrote it.

The one writer of ``people:`` entries (``pressroom import`` adds the speakers and
contacts a draft names whom the room lacks). The file is read and written
round trip (:func:`pressroom.drafts.yamltext.yaml_io`): comments, key order,
blank lines and quoting stay; each new value gets a style that reads back as
exactly that value (:func:`~pressroom.drafts.yamltext.styled`). A key already
there is never overwritten. The new file must load as a room before it
replaces the old one (atomically); otherwise nothing is written.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from pressroom.drafts.yamltext import styled, yaml_io
from pressroom.errors import LoadError, UsageError
from pressroom.load.room import ROOM_FILE, load_room


def add_people(root: Path, people: Sequence[tuple[str, Mapping[str, str]]]) -> str:
    """Add each (key, fields) under ``people:`` of *root*'s pressroom.yaml.

    Returns the file's text before the change (to put back if what follows fails).
    """
    path = root / ROOM_FILE
    before = path.read_text(encoding="utf-8")
    io_ = yaml_io()
    data = io_.load(before)
    if not isinstance(data, CommentedMap):
        raise UsageError(f"{ROOM_FILE} is not a mapping of keys: add the people by hand")
    if data.get("people") is None:
        data["people"] = CommentedMap()
    table = data["people"]
    if not isinstance(table, CommentedMap):
        raise UsageError(f"{ROOM_FILE}: people is not a mapping: add the people by hand")
    blank = _blank_lines_after(table)
    for key, fields in people:
        if key in table:
            raise UsageError(f"{ROOM_FILE}: people.{key} exists already; it was left as it is")
        entry = styled(dict(fields))
        table[key] = entry
        if blank:  # the entries of this file are set apart by blank lines: so is the new one
            entry.ca.items[list(entry)[-1]] = [
                None,
                None,
                CommentToken(blank, CommentMark(0)),
                None,
            ]
    out = io.StringIO()
    io_.dump(data, out)
    replace(path, out.getvalue())
    try:
        load_room(root)
    except LoadError:
        replace(path, before)
        raise
    return before


def _blank_lines_after(table: CommentedMap) -> str:
    """The newlines ending the last entry of *table* when they leave a blank line, else ""."""
    node: object = table
    while isinstance(node, CommentedMap) and len(node):
        last = list(node)[-1]
        value = node[last]
        if not isinstance(value, CommentedMap):
            token = node.ca.items.get(last, [None, None, None, None])[2]
            text = token.value if token is not None else ""
            newlines = len(text) - len(text.rstrip("\n"))
            return "\n" * newlines if newlines >= 2 else ""
        node = value
    return ""


def replace(path: Path, text: str) -> None:
    """Write *text* to *path* atomically, keeping the file's mode."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise

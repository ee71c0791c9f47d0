"""The text of a release file, written from plain data over the file as it is.

ruamel.yaml's round trip keeps what the writer did not change byte for byte:
comments, key order, blank lines, the quoting and block style of every value
whose data is the same as before (compared as pressroom's loader reads it,
:mod:`pressroom.load.yamlfile`, not as ruamel reads it). A list is aligned
item by item (a paragraph deleted in the middle leaves the others and their
comments alone). Every value written gets a style YAML reads back as exactly
that value (:func:`styled`): plain only when no YAML 1.1 or 1.2 reader could
take it for anything else, a literal block for multi-line text when that is
safe, double quotes otherwise.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from pressroom.model.located import Path_

MISSING: Any = object()
"""No value here before (a new key, a new list item, a new file)."""

WIDTH = 4096
"""Lines are never folded by the writer: a value stays on the lines it was given."""

_PLAIN_START = re.compile(r"[^\W\d_]")  # a letter: no indicator, digit, sign or dot
_RESOLVER = yaml.resolver.Resolver()  # YAML 1.1 in full: yes/no/on/off, dates, 1_000, 1:20
_NOT_PLAIN = ("#", ": ", "\t", "`", "{", "}", "[", "]", "|", ">", "*", "&", "!", "%", "@")
_LIST_LINE = re.compile(r"^[ \t]*[-*+] ")


def yaml_io() -> YAML:
    """The round-trip reader and writer, set as the press room's files are written."""
    io_ = YAML(typ="rt")
    io_.preserve_quotes = True
    io_.width = WIDTH
    io_.indent(mapping=2, sequence=4, offset=2)
    return io_


def is_plain_safe(text: str) -> bool:
    """True when *text* may be written without quotes and read back as that text, in
    YAML 1.1 and 1.2, by pressroom and by any other reader of the file."""
    if not text or text != text.strip() or not text.isprintable():
        return False
    if not _PLAIN_START.match(text) or text.endswith(":"):
        return False
    if any(mark in text for mark in _NOT_PLAIN) or text.lower() in ("y", "n"):
        return False
    resolved = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    return bool(resolved == "tag:yaml.org,2002:str")


def _literal_safe(text: str) -> bool:
    """A '|' block holds *text* exactly: lines of printable characters, no tabs, no
    spaces that a reader cannot see at a line's end or the block's start."""
    if "\n" not in text.rstrip("\n") or text[:1] in (" ", "\n"):
        return False
    lines = text.rstrip("\n").split("\n")
    return all(line.isprintable() and line == line.rstrip() and "\t" not in line for line in lines)


def styled(value: Any, *, quoted: bool = False) -> Any:
    """*value* as a fresh ruamel node whose style reads back as exactly *value*."""
    if isinstance(value, Mapping):
        fresh = CommentedMap()
        for key, item in value.items():
            fresh[_key(key)] = styled(item)
        return fresh
    if isinstance(value, list | tuple):
        return CommentedSeq(styled(item) for item in value)
    if not isinstance(value, str):
        return value  # None, booleans and numbers: YAML writes them as themselves
    if not quoted and is_plain_safe(value):
        return PlainScalarString(value)  # not the old value's quotes (ruamel keeps them)
    if not quoted and _literal_safe(value):
        return LiteralScalarString(value)
    if value.isprintable() and '"' in value and "'" not in value:
        return SingleQuotedScalarString(value)
    return DoubleQuotedScalarString(value)


def _key(key: Any) -> Any:
    return key if not isinstance(key, str) or is_plain_safe(key) else DoubleQuotedScalarString(key)


def same(old: Any, new: Any) -> bool:
    """Equal as data, type for type (``True`` is not ``1``, ``1`` is not ``1.0``)."""
    if isinstance(new, Mapping):
        return (
            isinstance(old, dict)
            and list(old) == list(new)
            and all(same(old[key], new[key]) for key in new)
        )
    if isinstance(new, list | tuple):
        return (
            isinstance(old, list)
            and len(old) == len(new)
            and all(same(a, b) for a, b in zip(old, new, strict=True))
        )
    return type(old) is type(new) and old == new


def rendered(
    old_text: str | None,
    old_data: Any,
    new: Mapping[str, Any],
    *,
    quoted: frozenset[Path_] = frozenset(),
    uncommented: frozenset[Path_] = frozenset(),
) -> str:
    """The file's text holding *new*, written over *old_text* (read as *old_data*).

    Paths in *quoted* are written in double quotes even when plain would do;
    paths in *uncommented* lose the comment on their line (the tail of a
    ``#hashtag`` the old file cut off, now part of the value).
    """
    io_ = yaml_io()
    document: Any = None
    if old_text is not None and isinstance(old_data, dict):
        try:
            document = io_.load(old_text)
        except RuamelError:
            document = None
    merger = _Merger(quoted, uncommented)
    if isinstance(document, CommentedMap):
        merged = merger.merge(document, old_data, new, ())
    else:
        merged = merger.merge(None, MISSING, new, ())
    out = io.StringIO()
    io_.dump(merged, out)
    return out.getvalue()


class _Merger:
    def __init__(self, quoted: frozenset[Path_], uncommented: frozenset[Path_]):
        self.quoted = quoted
        self.uncommented = uncommented

    def merge(self, node: Any, old: Any, new: Any, path: Path_) -> Any:
        if old is not MISSING and path not in self.quoted and same(old, new):
            return node
        if isinstance(new, Mapping) and isinstance(node, CommentedMap) and isinstance(old, dict):
            return self._mapping(node, old, new, path)
        if isinstance(new, list | tuple) and isinstance(node, CommentedSeq):
            if isinstance(old, list):
                return self._sequence(node, old, list(new), path)
        if isinstance(new, Mapping | list | tuple):
            fresh = styled(new)
            return self._quote_inside(fresh, new, path)
        return styled(new, quoted=path in self.quoted)

    def _quote_inside(self, fresh: Any, new: Any, path: Path_) -> Any:
        """Apply :attr:`quoted` to the values of a fresh mapping or list."""
        if isinstance(new, Mapping):
            for key, value in new.items():
                fresh[_key(key)] = self.merge(None, MISSING, value, (*path, key))
        elif isinstance(new, list | tuple):
            for index, value in enumerate(new):
                fresh[index] = self.merge(None, MISSING, value, (*path, index))
        return fresh

    def _mapping(
        self, node: CommentedMap, old: dict[Any, Any], new: Mapping[str, Any], path: Path_
    ) -> Any:
        for key in [key for key in node if key not in new]:
            _drop_key(node, key)
        for position, (key, value) in enumerate(new.items()):
            if key in node:
                before = node[key]
                node[key] = self.merge(before, old.get(key, MISSING), value, (*path, key))
                if node[key] is not before and (*path, key) in self.uncommented:
                    _drop_line_comment(node, key)
                entry = node.ca.items.get(key)
                if entry and _block_ended(before, node[key]):
                    entry[2] = _below(entry[2])
            else:
                place = _place(node, list(new)[:position])
                node.insert(place, _key(key), self.merge(None, MISSING, value, (*path, key)))
                if place == len(node) - 1 and place > 0:
                    _trailing_lines_after(node, list(node)[place - 1], list(node)[place])
        return node

    def _sequence(self, node: CommentedSeq, old: list[Any], new: list[Any], path: Path_) -> Any:
        """Items kept where the lists agree (difflib's alignment), merged or new elsewhere."""
        comments = dict(node.ca.items)
        old_nodes = list(node)
        items: list[Any] = []
        origins: list[int | None] = []
        matcher = difflib.SequenceMatcher(
            a=[_hashable(item) for item in old], b=[_hashable(item) for item in new], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            for offset, j in enumerate(range(j1, j2)):
                i = i1 + offset if i1 + offset < i2 and tag != "insert" else None
                if i is not None and i < len(node):
                    items.append(self.merge(node[i], old[i], new[j], (*path, j)))
                    origins.append(i)
                else:
                    items.append(self.merge(None, MISSING, new[j], (*path, j)))
                    origins.append(None)
        del node[:]
        node.extend(items)
        node.ca.items.clear()
        for j, i in enumerate(origins):
            if i is not None and i in comments:
                node.ca.items[j] = comments[i]
                if _block_ended(old_nodes[i], items[j]):
                    comments[i][0] = _below(comments[i][0])
        _trailing_comment_to_the_end(node, origins, len(old) - 1)
        return node


def _block_ended(before: Any, after: Any) -> bool:
    """A '|' or '>' block replaced by a value on one line: the comment lines that
    followed the block would be glued to that line."""
    blocks = (LiteralScalarString, FoldedScalarString)
    return isinstance(before, blocks) and not isinstance(after, blocks)


def _below(token: Any) -> Any:
    """*token*'s comment lines, on lines of their own (not at the end of a value's line)."""
    if token is not None and token.value.startswith("#"):
        token.value = "\n" + " " * token.column + token.value
    return token


def _trailing_comment_to_the_end(node: CommentedSeq, origins: list[int | None], last: int) -> None:
    """Items added after the last one go above the comment lines that followed it
    (they belong to what comes after the list)."""
    if last not in origins or not origins or origins[-1] is not None:
        return
    j = origins.index(last)
    entry = node.ca.items.get(j)
    token = entry[0] if entry else None
    if token is None or not isinstance(node[-1], str | CommentedMap) or not node[-1]:
        return
    eol, _, rest = token.value.partition("\n")
    if not rest.strip():
        return
    if eol.startswith("#"):
        token.value = eol + "\n"
    elif entry is not None:
        entry[0] = None
    if isinstance(node[-1], CommentedMap):
        _append_lines(node[-1], list(node[-1])[-1], rest)
    else:
        node.ca.items.setdefault(len(node) - 1, [None, None, None, None])[0] = CommentToken(
            "\n" + rest, CommentMark(0)
        )


def _holder(node: CommentedMap, key: Any) -> tuple[CommentedMap, Any]:
    """The mapping and key whose comment token holds the lines after *key*'s value."""
    value = node[key]
    while isinstance(value, CommentedMap) and len(value):
        node, key = value, list(value)[-1]
        value = node[key]
    return node, key


def _trailing_lines_after(node: CommentedMap, before: Any, added: Any) -> None:
    """A key added after *before*, the last: the comment and blank lines that followed
    *before* (they lead to what comes after the mapping) now follow *added*."""
    if isinstance(node[before], CommentedSeq):
        return
    holder, key = _holder(node, before)
    entry = holder.ca.items.get(key)
    token = entry[2] if entry else None
    if token is None:
        return
    eol, _, rest = token.value.partition("\n")
    if not rest.strip("\n ") and "\n" not in rest:
        return
    token.value = eol + "\n"
    target, target_key = _holder(node, added)
    if isinstance(target[target_key], CommentedSeq):
        return
    _append_lines(target, target_key, rest)


def _hashable(value: Any) -> str:
    return (
        json.dumps(value, sort_keys=False, ensure_ascii=False, default=str) + type(value).__name__
    )


def _place(node: CommentedMap, earlier: Sequence[str]) -> int:
    """Where a new key goes: after the last key the new data puts before it."""
    keys = list(node)
    positions = [keys.index(key) for key in earlier if key in keys]
    return max(positions) + 1 if positions else 0


def _drop_key(node: CommentedMap, key: Any) -> None:
    """Remove *key*; the comment lines below its value (the next key's) stay."""
    keys = list(node)
    token = node.ca.items.get(key, [None, None, None, None])[2]
    column = node.lc.key(key)[1] if node.lc.data and key in node.lc.data else 0
    del node[key]
    if token is None:
        return
    below = token.value.split("\n", 1)[1] if "\n" in token.value else ""
    if token.value.startswith("#"):  # the line comment's continuation lines go with it
        lines = below.split("\n")
        while lines and lines[0].lstrip().startswith("#") and _indent(lines[0]) > column:
            lines.pop(0)
        below = "\n".join(lines)
    if not below.strip():
        return
    at = keys.index(key)
    if at == 0:  # above the first key now: with the comments at the top
        if node.ca.comment is None:
            node.ca.comment = [None, []]
        if node.ca.comment[1] is None:
            node.ca.comment[1] = []
        node.ca.comment[1].append(CommentToken(below.lstrip("\n"), CommentMark(0), None))
        return
    _append_lines(node, keys[at - 1], below)


def _append_lines(node: CommentedMap, key: Any, below: str) -> None:
    """Comment lines (*below*: whole lines) after *key*'s value."""
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    if entry[2] is None:
        entry[2] = CommentToken("\n" + below, CommentMark(0))
    else:
        entry[2].value = entry[2].value.rstrip("\n") + "\n" + below


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _drop_line_comment(node: CommentedMap, key: Any) -> None:
    token = node.ca.items.get(key, [None, None, None, None])[2]
    if token is not None and token.value.startswith("#"):
        token.value = "\n" + token.value.split("\n", 1)[1] if "\n" in token.value else "\n"

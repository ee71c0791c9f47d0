"""YAML traps in what readers see: an unquoted ``#hashtag`` that cut a sentence, a list
folded into one line (:class:`~pressroom.model.located.Trap`): where the YAML reader
finds them, and which of them ``check``, a failed load and the editor's save report.

Only prose counts: after a key that names a thing, a time or a path, a ``#word``
is a comment the writer meant, and no text is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import yaml

from pressroom.errors import Problem
from pressroom.load.yamlerrors import hashtag_message
from pressroom.model.located import Path_, Trap, key_name

if TYPE_CHECKING:
    from pressroom.model.release import Release

# Keys whose values are not prose (names of things, times, paths): a "#word" after
# them is a comment the writer meant, and no text is lost.
NOT_PROSE = {
    "type", "status", "date", "embargo", "draft", "distribution", "contacts", "hashtags",
    "file", "url", "start", "end", "onsite_contact", "rsvp", "quote", "email", "phone",
}  # fmt: skip
# In pressroom.yaml, under org, people and sender: what is not text shown to readers.
ROOM_NOT_PROSE = {"website", "logo", "reply_to", "email", "phone"}
# Fields rendered as Markdown paragraphs (render/context.py), where a Markdown list
# inside a '|' block works; elsewhere the lines of a '|' block become one line.
SEVERAL_PARAGRAPHS = {
    "text", "what", "who", "why", "visuals", "salutation", "closing", "ps", "boilerplate",
}  # fmt: skip

TRAP_CODES = {
    "hashtag": "yaml-hashtag",
    "list-hashtag": "yaml-hashtag-list",
    "folded-list": "yaml-folded-list",
    "literal-list": "yaml-literal-list",
}


def is_prose(path: Path_) -> bool:
    keys = [part for part in path if isinstance(part, str)]
    if not keys or keys[0] in NOT_PROSE:
        return False
    return not (isinstance(path[-1], str) and path[-1] in NOT_PROSE)


def release_trap_problems(release: Release) -> list[Problem]:
    """The YAML traps of *release*'s file that cost words a reader would see."""
    located = release.located
    if located is None:
        return []
    return [trap_problem(located.file, trap) for trap in located.traps if costs_words(trap)]


def costs_words(trap: Trap) -> bool:
    """True when *trap*, in a release file, costs words a reader would see (or, in a
    list of ``[...]``, items of any kind: a contact, a media list, a hashtag)."""
    if trap.kind == "list-hashtag":
        return True
    if not is_prose(trap.path):
        return False
    paragraphs = (
        trap.path[-1] in SEVERAL_PARAGRAPHS or trap.path[:1] == ("body",) and len(trap.path) == 2
    )
    # a Markdown list inside '|' in a field of paragraphs: as meant
    return not (trap.kind == "literal-list" and paragraphs)


def room_trap_problems(traps: Iterable[Trap]) -> list[Problem]:
    """The traps of pressroom.yaml in what readers see of the organisation and its people."""
    return [
        trap_problem("pressroom.yaml", trap)
        for trap in traps
        if trap.kind == "list-hashtag"
        or trap.path[:1] in (("org",), ("people",), ("sender",))
        and is_prose(trap.path[1:])
        and trap.path[-1] not in ROOM_NOT_PROSE
        and trap.kind != "literal-list"
    ]


def trap_problem(file: str, trap: Trap) -> Problem:
    """A YAML trap (:class:`~pressroom.model.located.Trap`) as the error check reports."""
    return Problem(
        file,
        trap.message,
        line=trap.line,
        column=trap.column,
        key=key_name(trap.path),
        hint=trap.hint,
        code=TRAP_CODES[trap.kind],
    )


# -- finding them ---------------------------------------------------------------------------

_HASHTAG_AFTER = re.compile(r"[ \t]*#(\w[\w-]*)")  # matched at a position: no copies
_HASHTAG_LINE = re.compile(r"^([ \t]*)#(\w[\w-]*)")
_LIST_LINE = re.compile(r"^([ \t]*)[-*] \S")
_WORD = re.compile(r"\w[\w-]*")


def _hashtag_trap(path: Path_, line: int, column: int, word: str, value: str) -> Trap:
    message, hint = hashtag_message(word, value)
    return Trap(path, line + 1, column + 1, "hashtag", message, hint)


def _spans(node: yaml.Node) -> Iterator[tuple[yaml.Mark, yaml.Mark]]:
    """Where the values inside a flow collection are written (their text is no comment).
    Each node once: an alias is the node it names, which may hold the alias itself."""
    seen: set[int] = set()
    waiting = [node]
    while waiting:
        current = waiting.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            yield current.start_mark, current.end_mark
        elif isinstance(current, yaml.SequenceNode):
            waiting.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                waiting.extend((key, value))


def flow_traps(node: yaml.CollectionNode, path: Path_, lines: list[str]) -> list[Trap]:
    """A ``#word`` inside ``[...]`` or ``{...}`` written over several lines: a comment
    that silently drops the items after it on its line (one on a single line is a
    syntax error, explained by :mod:`.yamlerrors`)."""
    start, end = node.start_mark, node.end_mark
    spans = list(_spans(node))
    for number in range(start.line, min(end.line, len(lines) - 1) + 1):
        line = lines[number]
        low = start.column if number == start.line else 0
        high = end.column if number == end.line else len(line)
        for column in range(low, high):
            if line[column] != "#" or (column > 0 and line[column - 1] not in " \t"):
                continue
            word = _WORD.match(line, column + 1)
            if word is None or any(
                (a.line, a.column) <= (number, column) < (b.line, b.column) for a, b in spans
            ):
                continue
            message, hint = hashtag_message(word[0], "", in_list=True)
            return [Trap(path, number + 1, column + 1, "list-hashtag", message, hint)]
    return []


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def scalar_traps(node: yaml.ScalarNode, path: Path_, lines: list[str]) -> list[Trap]:
    """The traps of one value: see :class:`Trap`. *lines* is the file's text."""
    if not lines or not path:
        return []
    start, end = node.start_mark, node.end_mark
    if not node.style:  # plain: a " #word" after it (or on the next line) is a comment
        if end.line >= len(lines):
            return []
        after = _HASHTAG_AFTER.match(lines[end.line], end.column)
        if after:
            column = after.start(1) - 1
            return [_hashtag_trap(path, end.line, column, after[1], node.value)]
        for number in range(end.line + 1, len(lines)):
            if not lines[number].strip():
                continue
            below = _HASHTAG_LINE.match(lines[number])
            if below and len(below[1]) > _indent(lines[start.line]) and node.value:
                return [_hashtag_trap(path, number, len(below[1]), below[2], node.value)]
            break
        return []
    if node.style in (">", "|"):
        last = end.line if end.column > 0 else end.line - 1
        for number in range(start.line + 1, min(last + 1, len(lines))):
            listed = _LIST_LINE.match(lines[number])
            if listed:
                return [
                    Trap(
                        path, number + 1, len(listed[1]) + 1,
                        "folded-list" if node.style == ">" else "literal-list",
                        f"the lines starting with \"{lines[number].strip()[0]} \" in this "
                        f"'{node.style}' block are read as one paragraph, not a list",
                        "write them as YAML list items, or as a Markdown list inside '|' "
                        "in a field that takes several paragraphs (body, quotes, event.who)",
                    )
                ]  # fmt: skip
    return []

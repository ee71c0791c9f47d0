"""YAML traps in what readers see: an unquoted ``#hashtag`` that cut a sentence, a list
folded into one line (:class:`~pressroom.load.yamlfile.Trap`), as ``check`` reports them.

Only prose counts: after a key that names a thing, a time or a path, a ``#word``
is a comment the writer meant, and no text is lost.
"""

from __future__ import annotations

from collections.abc import Iterable

from pressroom.errors import Problem
from pressroom.load.yamlfile import Path_, Trap, key_name
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
    """A YAML trap (:class:`~pressroom.load.yamlfile.Trap`) as the error check reports."""
    return Problem(
        file,
        trap.message,
        line=trap.line,
        column=trap.column,
        key=key_name(trap.path),
        hint=trap.hint,
        code=TRAP_CODES[trap.kind],
    )

"""What ``pressroom import`` could not place: ``check`` warns at it until someone has looked.

An import never drops a word: a piece of the draft it could not place (text
above the headline, a table that is no advisory, text after the end mark...)
stays in the body where it stood, under a comment line the import writes::

    body:
      # pressroom import: text above the headline (paragraph 1 of draft.docx) was kept here; ...
      - Draft three, not for circulation

- ``import-unplaced`` (warning): such a comment, reported at the line below it
  with the key of what it marks, until the writer moves or deletes the text
  and deletes the comment. The import prints the same warnings.

The rule takes a :class:`~pressroom.check.rules.Findings` as every rule of
:data:`pressroom.check.rules.RULES` does.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pressroom.errors import Problem
from pressroom.load.yamlfile import Located, key_name
from pressroom.model.release import Release
from pressroom.model.room import Room

if TYPE_CHECKING:
    from pressroom.check.rules import Findings

MARK = "# pressroom import:"
CODE = "import-unplaced"


def marks_in(text: str, located: Located | None, source: str) -> list[Problem]:
    """A warning for each import mark in *text*, at the line of what it marks."""
    lines = text.splitlines()
    problems: list[Problem] = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped.startswith(MARK):
            continue
        target = next(
            (
                n
                for n in range(number + 1, len(lines) + 1)
                if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")
            ),
            number,
        )
        paths = sorted(
            (path for path, (at, _) in (located.marks.items() if located else ()) if at == target),
            key=len,
        )
        target_line = lines[target - 1] if target <= len(lines) else ""
        column = len(target_line) - len(target_line.lstrip()) + 1
        problems.append(
            Problem(
                source,
                stripped[len(MARK) :].strip(),
                line=target,
                column=column,
                key=key_name(paths[0]) if paths else "",
                severity="warning",
                code=CODE,
            )
        )
    return problems


def import_marks(found: Findings, room: Room, release: Release, now: datetime) -> None:
    """The marks ``pressroom import`` left in the release's file."""
    if not release.source:
        return
    try:
        text = (room.root / release.source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    if MARK in text:
        found.problems.extend(marks_in(text, release.located, release.source))

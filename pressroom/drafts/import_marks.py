"""The comments ``pressroom import`` writes above a piece of a draft it could not place.

An import never drops a word: what it could not place stays in the body where it
stood, under a comment line starting with :data:`MARK`. :func:`marks_in` finds them
again, as the warnings the import prints and ``check`` repeats
(:mod:`pressroom.check.imported`) until the writer has looked.
"""

from __future__ import annotations

from pressroom.errors import Problem
from pressroom.model.located import Located, key_name

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

"""Plain data read from a file, with the position of each key path and the YAML traps in it.

:mod:`pressroom.load.yamlfile` makes a :class:`Located` of each file it reads; the
model keeps it (a release's and pressroom.yaml's), so that validation and the
checks name the line and column of every key they report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pressroom.errors import Problem

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Trap:
    """Valid YAML that almost certainly does not say what the writer meant."""

    path: Path_
    line: int
    column: int
    kind: str
    """"hashtag": text cut at a comment; "list-hashtag": a list in [...] cut at one;
    "folded-list", "literal-list": "- " lines read as one paragraph."""
    message: str
    hint: str


@dataclass
class Located:
    """Plain data from a file, with the position of each key path."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    traps: list[Trap] = field(default_factory=list)

    def position(self, path: Path_) -> tuple[int | None, int | None]:
        """Line and column (1-based) of a path, or of its nearest known parent."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (None, None))

    def problem(self, path: Path_, message: str, hint: str = "", **kw: Any) -> Problem:
        line, column = self.position(path)
        return Problem(
            self.file, message, line=line, column=column, key=key_name(path), hint=hint, **kw
        )


def key_name(path: Path_) -> str:
    """``("body", 2, "quote")`` -> ``body[2].quote``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text

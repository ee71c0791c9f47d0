"""One exception tree for everything a user can get wrong.

Every user-facing problem is a :class:`Problem`: where it is (file, line,
column), which key it concerns, what is wrong and what to do. Stages raise a
:class:`PressroomError` subclass; the CLI turns it into a message and an exit
status in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """Something wrong (or worth a second look) in a file of the press room."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    key: str = ""
    hint: str = ""
    severity: Severity = "error"
    code: str = ""

    def location(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        text = f"{self.location()}: {self.severity}: "
        if self.key:
            text += f"{self.key}: "
        text += self.message
        if self.hint:
            text += f"; {self.hint}"
        return text


class PressroomError(Exception):
    """The root of every error pressroom reports to its user."""

    exit_code = 1


class RoomNotFound(PressroomError):
    """No pressroom.yaml in the current directory or above it."""


class ProblemsError(PressroomError):
    """One or more problems found while loading or checking files."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class LoadError(ProblemsError):
    """A file could not be read or does not describe a valid room or release."""


class NotReadyToSend(ProblemsError):
    """The room lacks something every sent message needs (sender, postal address)."""


class RenderError(PressroomError):
    """An artefact could not be rendered (a template error, a missing image)."""


class SendLogError(PressroomError):
    """The send log cannot be opened or does not allow what was asked."""


class UsageError(PressroomError):
    """A command was asked for something it cannot do (overwrite a file, ...)."""

    exit_code = 2


def relative_name(path: Path, root: Path | None) -> str:
    """The path as a user would write it: relative to the room when inside it."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


class DocumentRefused(PressroomError):
    """A document given to ``pressroom import`` cannot be read (its format, damage,
    encryption or size); the message says how to save it so that it can."""

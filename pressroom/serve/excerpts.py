"""Problems as the pages show them: each with the lines of its file around it.

Only files inside the room are ever read for an excerpt, and none over a
megabyte: a problem may name any path a release mentions.
"""

from __future__ import annotations

from pathlib import Path

from pressroom.errors import Problem
from pressroom.model.paths import inside
from pressroom.serve.views import ProblemView, SourceLine


def problem_views(root: Path, problems: list[Problem], context: int = 0) -> list[ProblemView]:
    """*problems* with *context* lines of their files (in the room at *root*) around the
    line they name."""
    texts: dict[str, list[str] | None] = {}
    views = []
    for problem in problems:
        excerpt: list[SourceLine] = []
        if problem.line is not None:
            if problem.file not in texts:
                texts[problem.file] = _lines(root, problem.file)
            lines = texts[problem.file]
            if lines is not None and 0 < problem.line <= len(lines) + 1:
                first = max(1, problem.line - context)
                last = min(len(lines), problem.line + context)
                excerpt = [
                    SourceLine(n, lines[n - 1], n == problem.line) for n in range(first, last + 1)
                ]
        views.append(ProblemView(problem, excerpt))
    return views


def ordered(problems: list[Problem]) -> list[Problem]:
    """Errors first, then by file and position."""
    return sorted(
        problems, key=lambda p: (p.severity != "error", p.file, p.line or 0, p.column or 0)
    )


def _lines(root: Path, file: str) -> list[str] | None:
    """The lines of *file* of the room, for an excerpt; None for anything outside the room."""
    if Path(file).is_absolute():
        return None
    path = inside(root, root / file)
    if path is None:
        return None
    try:
        if path.stat().st_size > 1024 * 1024:
            return None
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None

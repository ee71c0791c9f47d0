"""What the rules of ``check`` collect: each problem positioned at the key it concerns."""

from __future__ import annotations

from datetime import datetime

from pressroom.errors import Problem, Severity
from pressroom.model.located import Path_
from pressroom.model.release import Release


class Findings:
    """Collects problems for one release, positioned at the key they concern."""

    def __init__(self, release: Release, sent: bool = False, goes_out: datetime | None = None):
        self.release = release
        self.sent = sent
        """Some version of the release has already reached someone (from the send log)."""
        self.goes_out = goes_out
        """When a send scheduled for later (``send --at``) delivers it; None: now."""
        self.problems: list[Problem] = []

    def add(self, severity: Severity, code: str, path: Path_, message: str, hint: str = "") -> None:
        located = self.release.located
        if located is not None:
            problem = located.problem(path, message, hint, severity=severity, code=code)
        else:
            problem = Problem(
                self.release.source,
                message,
                key=".".join(map(str, path)),
                hint=hint,
                severity=severity,
                code=code,
            )
        self.problems.append(problem)

    def error(self, code: str, path: Path_, message: str, hint: str = "") -> None:
        self.add("error", code, path, message, hint)

    def warning(self, code: str, path: Path_, message: str, hint: str = "") -> None:
        self.add("warning", code, path, message, hint)

"""Run the pressroom command in-process, as a user would from a shell."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from pressroom.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], cwd: Path, *args: str) -> Result:
    before = Path.cwd()
    os.chdir(cwd)
    try:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    finally:
        os.chdir(before)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)

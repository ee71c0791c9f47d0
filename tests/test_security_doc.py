"""docs/security.md names the tests that hold each promise: every one it names exists.

A test renamed or removed makes this fail, so the page cannot go on citing a
test that no longer checks anything.
"""

from __future__ import annotations

import re

from tests.conftest import REPO

PAGE = REPO / "docs" / "security.md"


def named_tests() -> list[tuple[str, str]]:
    """(file, test) pairs the page names as ``tests/test_x.py::test_y``."""
    text = PAGE.read_text(encoding="utf-8")
    return re.findall(r"(tests/test_\w+\.py)::(test_\w+)", text)


def test_every_test_the_security_page_names_exists():
    named = named_tests()
    assert len(named) >= 20, "the promises' table names the tests that hold them"
    missing = []
    for file, test in named:
        path = REPO / file
        source = path.read_text(encoding="utf-8") if path.is_file() else ""
        if not re.search(rf"^(?:async )?def {test}\(", source, re.MULTILINE):
            missing.append(f"{file}::{test}")
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"


def test_every_test_file_the_security_page_names_exists():
    text = PAGE.read_text(encoding="utf-8")
    files = set(re.findall(r"tests/test_\w+\.py", text))
    assert files and all((REPO / file).is_file() for file in files), sorted(
        file for file in files if not (REPO / file).is_file()
    )

"""Regenerate the golden emails of the example releases: ``python -m tests.regen_golden``.

Writes tests/golden/<release>.html and tests/golden/<release>.txt for every
release in the example press room at the repository's root, with the same fixed
clock as the tests. Review the diff (``git diff tests/golden``) before committing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pressroom.load.room import load_room
from pressroom.render.email import Email, render_email
from pressroom.render.environment import make_environment
from tests.conftest import NOW, REPO, example_document, example_release_names

GOLDEN = Path(__file__).resolve().parent / "golden"


def golden_email(name: str) -> Email:
    """The email of example release *name*, as the golden files hold it."""
    room = load_room(REPO)
    env = make_environment(REPO / "templates")
    return render_email(example_document(room, name), env)


def golden_paths(name: str) -> tuple[Path, Path]:
    return GOLDEN / f"{name}.html", GOLDEN / f"{name}.txt"


def main() -> int:
    os.environ["PRESSROOM_NOW"] = NOW  # the tests' clock (tests/conftest.py)
    GOLDEN.mkdir(exist_ok=True)
    names = example_release_names()
    for name in names:
        email = golden_email(name)
        html_path, text_path = golden_paths(name)
        html_path.write_text(email.html, encoding="utf-8", newline="\n")
        text_path.write_text(email.text, encoding="utf-8", newline="\n")
        print(f"wrote {html_path.relative_to(REPO)} and {text_path.name}")
    stale = {p for p in GOLDEN.glob("*.*") if p.suffix in (".html", ".txt")} - {
        p for name in names for p in golden_paths(name)
    }
    for path in sorted(stale):
        path.unlink()
        print(f"removed {path.relative_to(REPO)} (no such example release)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

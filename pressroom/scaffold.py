"""Starting points: a new press room (``init``) and a new release (``new``)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from pressroom.errors import UsageError
from pressroom.load.room import ROOM_FILE
from pressroom.model.release import TYPE_LABELS
from pressroom.model.room import Room

SLUG_WORDS = 8


def slugify(text: str) -> str:
    """``"Coalition Demands 'Answers' Now"`` -> ``coalition-demands-answers-now``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:SLUG_WORDS]) or "release"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pressroom", "templates"),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


def init_room(folder: Path) -> list[Path]:
    """Write a working press room into *folder*; never overwrite a file."""
    files = {
        folder / ROOM_FILE: _environment().loader.get_source(  # type: ignore[union-attr]
            _environment(), "init/pressroom.yaml"
        )[0],
        folder / "releases" / ".gitkeep": "",
        folder / "contacts" / "press.csv": "email,name,first_name,outlet,beat,tags\n",
        folder / "templates" / ".gitkeep": "",
        folder / ".gitignore": "build/\nsite/\n.pressroom/\n.env\n",
    }
    existing = [path for path in files if path.exists() and path.name != ".gitkeep"]
    if existing:
        raise UsageError(
            f"{existing[0]} already exists: pressroom init never overwrites files "
            "(choose an empty folder)"
        )
    written = []
    for path, text in files.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def new_release(room: Room, kind: str, headline: str, day: date) -> Path:
    """Create ``releases/<date>-<slug>.yaml`` from the commented template for *kind*."""
    if kind not in TYPE_LABELS:
        raise UsageError(f"unknown type '{kind}': choose from {', '.join(TYPE_LABELS)}")
    if not headline.strip():
        raise UsageError('give the headline, e.g. pressroom new "City Council Votes ..."')
    path = room.releases_dir / f"{day.isoformat()}-{slugify(headline)}.yaml"
    if path.exists():
        raise UsageError(
            f"{path.relative_to(room.root)} already exists: edit it, or pick another headline"
        )
    contact = room.config.contacts[0] if room.config.contacts else ""
    text = (
        _environment()
        .get_template(f"new/{kind}.yaml")
        .render(headline=headline.strip(), date=day.isoformat(), contact=contact)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

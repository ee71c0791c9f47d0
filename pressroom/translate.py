"""``pressroom translate NAME --to LANG``: start a translation, or mark one current.

:func:`start_translation` writes ``releases/<name>.<lang>.yaml`` holding the
original's text keys (:data:`pressroom.model.translation.TEXT_KEYS`) with the
original's text in place, for a translator to overwrite, and ``translates:``:
the version of the original's text it was made from, key by key, so that
``check`` can say which keys changed since. :func:`mark_current` rewrites
``translates:`` alone (after the translator caught up), leaving every other
byte of the file as it is.

The file is written whole, new, never over an existing one. Seam: the
release files' one writer (``pressroom/drafts/save.py``, ``save_release``)
writes originals; until it knows translations, this module writes the
sibling with the same care: every value is emitted by PyYAML's safe dumper
(which quotes whatever YAML could read as something else), multi-line texts
as literal blocks, and the text is read back through pressroom's own loader
before anything is written, which must give exactly the data meant.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from pressroom.errors import LoadError, UsageError, relative_name
from pressroom.i18n.language import language_tag, primary_language, release_language
from pressroom.load import yamlfile
from pressroom.model import translation
from pressroom.model.release import Release
from pressroom.model.room import Room

WIDTH = 100
"""Columns a written text is folded at (a long line stays one value)."""


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with multi-line texts as literal blocks (``|``)."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else ">" if len(value) > WIDTH - 20 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def sibling_path(release: Release, room: Room, tag: str) -> Path:
    return room.releases_dir / f"{release.name}.{tag}.yaml"


def _language(room: Room, release: Release, to: str) -> str:
    if release.translation is not None:
        raise UsageError(f"{release.source} is a translation; translate its original")
    try:
        tag = language_tag(to)
    except ValueError as exc:
        raise UsageError(f"--to: {exc}") from None
    own = release_language(room, release)
    if primary_language(tag) == primary_language(own):
        raise UsageError(
            f"{release.source} is written in {own}: a translation is into another language"
        )
    return tag


def text_of(release: Release) -> dict[str, Any]:
    """The translation's keys, with the original's text, in the original's order."""
    data: dict[str, Any] = release.located.data
    keep: dict[str, Any] = {}
    for key, value in data.items():
        spec = translation.TEXT_KEYS.get(key)
        if spec is None or value is None or value is False:
            continue
        picked = _pick(spec, value)
        if picked not in (None, {}, []):
            keep[key] = picked
    return keep


def _pick(spec: Any, value: Any) -> Any:
    if spec == translation.TEXT:
        return value if isinstance(value, str) else None
    if spec == "body":
        if isinstance(value, str):
            return value
        return [
            {k: v for k, v in block.items() if k in ("quote", "text", "heading")}
            if isinstance(block, dict)
            else block
            for block in value
        ]
    if isinstance(spec, list):
        return [_pick(spec[0], item) or {} for item in value] if isinstance(value, list) else None
    if isinstance(spec, dict) and isinstance(value, dict):
        picked = {k: _pick(spec[k], v) for k, v in value.items() if k in spec}
        return {k: v for k, v in picked.items() if v not in (None, {}, [])}
    return None


def _translates_text(release: Release) -> str:
    """The ``translates:`` block, with a comment saying what it is."""
    block = yaml.dump(
        {translation.TRANSLATES: translation.record(release.located.data)},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=WIDTH,
    )
    return (
        "# The version of the original's text this translates, key by key: written by\n"
        "# `pressroom translate`; check names the keys that changed since. Do not edit.\n" + block
    )


def start_translation(room: Room, release: Release, to: str) -> Path:
    """Write the translation of *release* into *to* with the original's text in place."""
    tag = _language(room, release, to)
    path = sibling_path(release, room, tag)
    existing = [p for p in (path, path.with_suffix(".yml")) if p.exists() or p.is_symlink()]
    if existing:
        shown = relative_name(existing[0], room.root)
        raise UsageError(
            f"{shown} exists already: translate in it, then mark it current with "
            f"'pressroom translate {release.name} --to {tag} --update'"
        )
    body = yaml.dump(
        text_of(release), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=WIDTH
    )
    text = (
        f"# The {tag} translation of {release.source}.\n"
        "# It holds the text keys only: everything else (type, status, embargo, date,\n"
        "# people, lists, images' files) comes from the original. Translate each text in\n"
        "# place; keep the body's blocks, and each quote's person, in the original's order.\n"
        + body
        + "\n"
        + _translates_text(release)
    )
    _verify(text, relative_name(path, room.root), {**text_of(release), **_record(release)})
    _write_new(path, text)
    return path


def _record(release: Release) -> dict[str, Any]:
    return {translation.TRANSLATES: translation.record(release.located.data)}


_TRANSLATES_BLOCK = re.compile(
    r"(?:^#[^\n]*\n)*^translates:[^\n]*\n(?:^(?:[ \t]+[^\n]*|[ \t]*)\n)*", re.MULTILINE
)


def mark_current(room: Room, release: Release, to: str) -> Path:
    """Record that the translation into *to* translates the original as it is now."""
    tag = _language(room, release, to)
    translations = release.translations
    translated = translations.by_language.get(primary_language(tag)) if translations else None
    if translated is None:
        problems = [p for p in (translations.problems if translations else []) if tag in p.file]
        if problems:
            raise LoadError(problems)
        raise UsageError(
            f"{release.name} has no {tag} translation yet: start one with "
            f"'pressroom translate {release.name} --to {tag}'"
        )
    path = room.root / translated.source
    old = path.read_text(encoding="utf-8")
    block = _translates_text(release)
    new, count = _TRANSLATES_BLOCK.subn(lambda _: block, old, count=1)
    if not count:
        new = old.rstrip("\n") + "\n\n" + block
    expected = yamlfile.parse(old, translated.source).data or {}
    expected = {k: v for k, v in expected.items() if k != translation.TRANSLATES}
    _verify(new, translated.source, {**expected, **_record(release)})
    _replace(path, new)
    return path


def _verify(text: str, display: str, meant: dict[str, Any]) -> None:
    """Read *text* back as pressroom reads it: it must give exactly *meant*."""
    read = yamlfile.parse(text, display).data
    if read != meant:
        raise UsageError(f"{display}: the translation could not be written faithfully")


def _write_new(path: Path, text: str) -> None:
    """Create *path* with *text*, never over an existing file (O_EXCL)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def _replace(path: Path, text: str) -> None:
    """Replace *path* with *text* atomically (a temporary file beside it, renamed)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)

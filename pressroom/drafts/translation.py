"""``pressroom translate NAME --to LANG``: start a translation, or mark one current.

:func:`start_translation` writes ``releases/<name>.<lang>.yaml`` holding the
original's text keys (:data:`pressroom.model.translation.TEXT_KEYS`) with the
original's text in place, for a translator to overwrite, and ``translates:``:
the version of the original's text it was made from, key by key, so that
``check`` can say which keys changed since. :func:`mark_current` rewrites
``translates:`` alone (after the translator caught up); comments and every
other value stay as they are.

Both write through the release files' one writer
(:func:`pressroom.drafts.save.save_release`): quoted where YAML could misread
a value, read back before an atomic write, a new file never over an existing
one, an edit refused if the file changed meanwhile.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pressroom.drafts.save import file_version, save_release
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
    save_release(
        room.root,
        path.stem,
        {**text_of(release), **_record(release)},
        base_version=None,
        template=text,
    )
    return path


def _record(release: Release) -> dict[str, Any]:
    return {translation.TRANSLATES: translation.record(release.located.data)}


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
    version = file_version(path)
    data = yamlfile.load(path, translated.source).data or {}
    save_release(room.root, path.stem, {**data, **_record(release)}, base_version=version)
    return path

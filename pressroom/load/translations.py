"""Translations on disk: ``releases/<name>.<lang>.yaml`` beside ``releases/<name>.yaml``.

A dot in a release file's stem is kept for translations: ``<name>.<lang>``
where ``<lang>`` is a language tag Babel knows (``de``, ``fr``, ``pt-BR``).
Any other dotted name stays refused (see :func:`refusal`), and so does a
translation whose original is missing.

Loading a release loads its translations with it (:func:`attach`): each is
checked against the original (:mod:`pressroom.model.translation`), laid over
it and validated as a release of its own, named ``<name>.<lang>``, whose
``language`` is the translation's; the original keeps them in
:attr:`~pressroom.model.release.Release.translations`. A translation that
fails is not dropped silently: its problems are check errors of the release.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from pressroom.errors import LoadError, Problem, relative_name
from pressroom.i18n.language import language_tag, primary_language, release_language
from pressroom.load import yamlfile
from pressroom.load.bounds import text_problems
from pressroom.load.validation import problems_from
from pressroom.model import translation
from pressroom.model.located import Located
from pressroom.model.release import Release, release_context

if TYPE_CHECKING:
    from pressroom.model.room import Room

_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,2}")
STALE_CODE = "translation-stale"
ORPHAN_CODE = "translation-orphan"


@dataclass(frozen=True)
class Of:
    """What a translation is: of which release, into which language, and how current."""

    original: str
    """The original's name (its file's stem)."""
    language: str
    """The translation's language tag, as its file names it (BCP 47 form)."""
    changed: list[str] | None
    """The keys of the original whose text changed since this was translated (``[]``:
    none; None: the file records no ``translates:``, so it cannot tell)."""

    @property
    def stale(self) -> bool:
        return self.changed is None or bool(self.changed)


@dataclass
class Translations:
    """A release's translations, by primary language (``de``), and their problems."""

    by_language: dict[str, Release] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    """Errors of translations that could not be used (every one is a check error)."""

    def stale(self) -> dict[str, Release]:
        """The translations made from an earlier version of the original's text."""
        return {lang: t for lang, t in self.by_language.items() if t.translation.stale}


def split(stem: str) -> tuple[str, str] | None:
    """``2026-03-12-data-retention.de`` -> (``2026-03-12-data-retention``, ``de``); None
    when the stem is not a translation's."""
    name, dot, tag = stem.rpartition(".")
    if not dot or not name or not _TAG.fullmatch(tag):
        return None
    try:
        return name, language_tag(tag)
    except ValueError:
        return None


def each_language(releases: list[Release]) -> list[Release]:
    """*releases*, each followed by its translations (to render every language)."""
    found: list[Release] = []
    for release in releases:
        found.append(release)
        translations = release.translations
        found += [t for _, t in sorted((translations.by_language if translations else {}).items())]
    return found


def is_translation_file(path: Path) -> bool:
    """True for ``<name>.<lang>.yaml`` whose ``<name>.yaml`` (or ``.yml``) exists."""
    parts = split(path.stem)
    return parts is not None and _original_path(path.parent, parts[0]) is not None


def _original_path(folder: Path, name: str) -> Path | None:
    for suffix in (".yaml", ".yml"):
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def refusal(path: Path, display: str) -> Problem | None:
    """Why the file *path*, loaded as a release, is not one: a translation (load its
    original), a translation of nothing, or another dotted name; None for a release."""
    if "." not in path.stem:
        return None
    parts = split(path.stem)
    if parts is None:
        return Problem(
            display,
            f"'{path.stem}' cannot be a release's name: a dot in a release's name is kept "
            "for translations (<name>.<language>.yaml, e.g. 2026-03-12-news.de.yaml)",
            hint="rename the file without the dot, e.g. with a dash",
            code="one-name",
        )
    name, tag = parts
    if _original_path(path.parent, name) is None:
        return Problem(
            display,
            f"is a translation ({tag}) of releases/{name}.yaml, which does not exist",
            hint=f"restore releases/{name}.yaml, or rename this file if it is a release "
            "of its own (without the dot)",
            code=ORPHAN_CODE,
        )
    return Problem(
        display,
        f"is the {tag} translation of releases/{name}.yaml, not a release of its own",
        hint=f"name the release {name}: it brings its translations along, and each "
        "journalist gets the language of their list's language column",
        code=ORPHAN_CODE,
    )


def sibling_files(path: Path) -> list[Path]:
    """The translation files beside the release file *path*."""
    stem = path.stem
    found = [
        candidate
        for suffix in (".yaml", ".yml")
        for candidate in path.parent.glob(f"{_glob_escape(stem)}.*{suffix}")
        if (parts := split(candidate.stem)) is not None and parts[0] == stem
    ]
    return sorted(found)


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def attach(room: Room, release: Release, path: Path) -> None:
    """Load every translation of *release* (read from *path*) into its
    :attr:`~pressroom.model.release.Release.translations`."""
    found = Translations()
    original_tag = release_language(room, release)
    for file in sibling_files(path):
        display = relative_name(file, room.root)
        _, tag = split(file.stem) or ("", "")
        primary = primary_language(tag)
        if primary == primary_language(original_tag):
            found.problems.append(
                Problem(
                    display,
                    f"translates {release.source} into {tag}, the language it is written in",
                    hint="remove the file, or give the original another language:",
                    code=ORPHAN_CODE,
                )
            )
            continue
        if primary in found.by_language:
            other = found.by_language[primary].source
            found.problems.append(
                Problem(
                    display,
                    f"a second translation into {primary} beside {other}",
                    hint="keep one translation per language",
                    code=ORPHAN_CODE,
                )
            )
            continue
        try:
            found.by_language[primary] = load_translation(room, release, file, tag)
        except LoadError as exc:
            found.problems.extend(exc.problems)
    release._translations = found


def check_text(room: Room, path: Path, text: str) -> Release:
    """*text*, about to be written to the translation file *path*, loaded as that
    translation would be; :class:`LoadError` with its problems if it would not load."""
    from pressroom.load.room import load_release

    name, tag = split(path.stem) or ("", "")
    original = _original_path(path.parent, name)
    assert original is not None, "only for a translation whose original exists"
    return load_translation(room, load_release(room, original), path, tag, text=text)


def load_translation(
    room: Room, release: Release, path: Path, tag: str, text: str | None = None
) -> Release:
    """The translation in *path* (or *text*, to be written there) of *release* into
    *tag*, as a release of its own."""
    display = relative_name(path, room.root)
    located = yamlfile.load(path, display) if text is None else yamlfile.parse(text, display)
    if located.data is None:
        located.data = {}
    if not isinstance(located.data, dict):
        raise LoadError(
            [Problem(display, "a translation is a mapping of text keys", line=1, column=1)]
        )
    original: Located = release.located
    problems = text_problems(located) + translation.problems(original.data, located, release.source)
    if problems:
        raise LoadError(problems)
    data = translation.merged(original.data, located.data)
    data["language"] = tag
    view = Located(display, data, marks=located.marks, traps=located.traps)
    name = f"{release.name}.{tag}"
    try:
        translated = Release.model_validate(
            data, context=release_context(room.config, name, display, room.root)
        )
    except ValidationError as exc:
        raise LoadError(problems_from(exc, view, Release)) from None
    translated._located = view
    translated._translation = Of(
        release.name, tag, translation.changed_keys(located.data.get("translates"), original.data)
    )
    return translated

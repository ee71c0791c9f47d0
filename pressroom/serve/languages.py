"""The preview of a release in several languages: a switch, and each file's findings.

A release page shows the original unless asked for a translation
(``/release/NAME?lang=de``); the switch above it names every language in its
own name (*Deutsch*), with the errors and warnings ``check`` finds in that
language's file, so a translation's problems are seen before anything is sent.
"""

from __future__ import annotations

from urllib.parse import quote

from pressroom.errors import Problem
from pressroom.i18n.language import primary_language, release_language
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.serve.views import LanguageView
from pressroom.site.languages import own_name


def translation_in(release: Release, lang: str | None) -> Release:
    """*release*'s translation into *lang*, or *release* itself (no such translation)."""
    translations = release.translations
    if not lang or translations is None:
        return release
    return translations.by_language.get(primary_language(lang), release)


def language_views(
    room: Room, release: Release, shown: Release, problems: list[Problem]
) -> list[LanguageView]:
    """The switch of *release*'s page, *shown* being the one on screen; empty when the
    release has no translation. *problems*: every finding of the release's files."""
    translations = release.translations
    if translations is None or not (translations.by_language or translations.problems):
        return []
    base = f"/release/{quote(release.name)}"
    versions = [(release_language(room, release), release, base)]
    for _, translated in sorted(translations.by_language.items()):
        tag = translated.translation.language
        versions.append((tag, translated, f"{base}?lang={quote(tag)}"))
    views = []
    for tag, version, href in versions:
        found = [p for p in problems if p.file == version.source]
        views.append(
            LanguageView(
                tag=tag,
                label=own_name(tag),
                href=href,
                current=version is shown,
                source=version.source,
                errors=sum(1 for p in found if p.severity == "error"),
                warnings=sum(1 for p in found if p.severity == "warning"),
            )
        )
    return views

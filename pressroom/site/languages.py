"""A release's pages in several languages: which exist, and how each links to the others.

A published release brings its translations (``releases/<name>.<lang>.yaml``)
onto the site, each on a page of its own (``<name>.<lang>/``), published when
the original is (they share its embargo and date). Every page of the set
names all of them: ``<link rel="alternate" hreflang>`` in its head (and
``x-default``: the original), a visible switch labelled with each language's
own name (Babel's ``Locale.display_name``: *Deutsch*, *English*), the
sitemap's ``xhtml:link`` alternates, and the language of every feed entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel import Locale, UnknownLocaleError

from pressroom.i18n.language import primary_language, release_language
from pressroom.load.newsroom import page_path
from pressroom.model.release import Release
from pressroom.model.room import Room


@dataclass(frozen=True)
class LanguageLink:
    """One language of a release's set of pages, as the page's switch shows it."""

    tag: str  # BCP 47, for hreflang and lang
    label: str  # the language's own name: "Deutsch"
    href: str  # absolute
    current: bool


def own_name(tag: str) -> str:
    """The language's name in itself: ``de`` -> ``Deutsch``, ``fr-FR`` -> ``Français``."""
    try:
        name = Locale.parse(primary_language(tag)).display_name or tag
    except (UnknownLocaleError, ValueError):
        name = tag
    return name[:1].upper() + name[1:]


def with_translations(
    room: Room, published: list[tuple[Release, datetime]]
) -> list[tuple[Release, datetime]]:
    """*published*, each original followed by its translations (at the same moment)."""
    pages: list[tuple[Release, datetime]] = []
    for release, moment in published:
        pages.append((release, moment))
        translations = release.translations
        for _, translated in sorted((translations.by_language if translations else {}).items()):
            pages.append((translated, moment))
    return pages


def alternates(room: Room, release: Release) -> tuple[tuple[str, str], ...]:
    """(language tag, relative path) of every page of *release*'s set, the original
    first; empty for a release without translations. *release* is the original."""
    translations = release.translations
    if translations is None or not translations.by_language:
        return ()
    pages = [(release_language(room, release), page_path(release.name))]
    for _, translated in sorted(translations.by_language.items()):
        pages.append((translated.translation.language, page_path(translated.name)))
    return tuple(pages)


def links(base: str, pages: tuple[tuple[str, str], ...], current: str) -> list[LanguageLink]:
    """The switch of the page at *current* (a relative path) among *pages*."""
    return [LanguageLink(tag, own_name(tag), base + path, path == current) for tag, path in pages]

"""The gettext catalogs: ``locale/<lang>/LC_MESSAGES/pressroom.po`` beside this module.

The ``.po`` files are what translators edit; the compiled ``.mo`` files beside them
are committed and shipped as package data, so an install needs no build step.
``tests/test_catalogs.py`` fails when a ``.mo`` is older than its ``.po`` (they
differ in any message), when a catalog lacks a message of
:data:`~pressroom.i18n.labels.LABELS`, or a translation is fuzzy or drops a
placeholder. ``script/catalogs`` extracts, updates and compiles them (see
docs/languages.md).

English is the source language: the msgids are its words, and a language without
a catalog falls back to them.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

from pressroom.i18n.language import primary_language

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "pressroom"
SOURCE_LANGUAGE = "en"


@lru_cache(maxsize=64)
def translations(language: str) -> gettext.NullTranslations:
    """The catalog for *language* (a BCP 47 tag): the region's own (``de_AT``) when
    there is one, else the language's (``de``), else English."""
    tag = language.replace("-", "_")
    candidates = [tag, primary_language(language)]
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=candidates, fallback=True)


def catalog_languages() -> list[str]:
    """The languages with a catalog, by folder name (``de``, ``fr``, ``pt_BR``...)."""
    return list(_catalog_languages())


@lru_cache(maxsize=1)
def _catalog_languages() -> tuple[str, ...]:
    if not LOCALE_DIR.is_dir():
        return ()
    return tuple(
        sorted(
            folder.name
            for folder in LOCALE_DIR.iterdir()
            if (folder / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
        )
    )


def compiled_catalogs() -> list[Path]:
    """The shipped ``.mo`` files, sorted: what the words of every document depend on
    (the build's fingerprint and an approval's record of pressroom's own files)."""
    return sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))


def languages() -> list[str]:
    """Every language pressroom writes its labels in: English and each catalog's."""
    return [SOURCE_LANGUAGE, *catalog_languages()]

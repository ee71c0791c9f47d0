"""Language tags, and the language a release speaks.

A language is written as a BCP 47 tag (``de``, ``de-AT``, ``pt-BR``); pressroom
also accepts the POSIX form of ``locale:`` (``de_AT``) and any letter case, and
keeps the tag in its BCP 47 form (``de-AT``). Babel must know the language:
its dates, plural rules and names come from Babel's CLDR data.

A release speaks its own ``language:`` when it has one, else the room's
``locale``. Dates and times follow that language; when the release names only a
language (``de``) and the room's locale is a region of it (``de_AT``), the
room's region is kept (Austrian month names stay Austrian).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from babel import Locale, UnknownLocaleError


class _HasLanguage(Protocol):
    @property
    def language(self) -> str | None: ...


class _HasLocale(Protocol):
    """pressroom.yaml's contents (:class:`~pressroom.model.room.RoomConfig`)."""

    @property
    def locale(self) -> str: ...


class _HasConfig(Protocol):
    """A loaded room (:class:`~pressroom.model.room.Room`)."""

    @property
    def config(self) -> _HasLocale: ...


def primary_language(tag: str) -> str:
    """``de-AT``, ``de_DE``, ``DE`` -> ``de``: the language without region or script."""
    return tag.replace("_", "-").split("-", 1)[0].strip().lower()


@lru_cache(maxsize=256)
def language_tag(value: str) -> str:
    """*value* as a BCP 47 tag Babel knows (``de_at`` -> ``de-AT``).

    Raises ValueError naming the value and examples when it is not one.
    """
    text = value.strip().replace("_", "-")
    try:
        locale = Locale.parse(text, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(
            f"'{value}' is not a language tag pressroom knows; write a BCP 47 tag such as "
            "en, en-GB, de, de-AT, fr, es, it, nl or pt-BR"
        ) from None
    parts = [locale.language]
    if locale.script:
        parts.append(locale.script)
    if locale.territory:
        parts.append(locale.territory)
    return "-".join(parts)


def babel_locale(tag: str) -> str:
    """A tag in the form Babel's formatting functions take: ``de-AT`` -> ``de_AT``."""
    return tag.replace("-", "_")


def release_language(room: _HasConfig | _HasLocale, release: _HasLanguage) -> str:
    """The BCP 47 tag of the language *release* speaks: its ``language``, else the
    room's ``locale`` (keeping the room's region when the release names only its
    language)."""
    config = room.config if hasattr(room, "config") else room
    room_tag = language_tag(config.locale)
    own = release.language
    if not own:
        return room_tag
    if "-" not in own and primary_language(room_tag) == primary_language(own):
        return room_tag
    return language_tag(own)

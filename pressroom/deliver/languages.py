"""Which version of a release each journalist gets: the one in their language.

A media list's ``language`` column (``de``, ``de-AT``, ``de_DE`` all mean
German) picks a translation of the release (``releases/<name>.<lang>.yaml``)
by its primary language; an empty cell, or a language the release has no
translation into, gets the original. The choice is made once, as the lists
stream into the plan, and written into the send log with the recipient
(``deliveries.language``): a resumed send, a retry and a correction give
everyone the language the plan gave them, never another.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pressroom.i18n.language import primary_language, release_language
from pressroom.model.contacts import Recipient
from pressroom.model.release import Release
from pressroom.model.room import Room


@dataclass(frozen=True)
class Languages:
    """The languages a release can be sent in: the original's tag first, then each
    translation's (as its file names it)."""

    original: str
    by_primary: dict[str, str]
    """Primary language (``de``) -> the tag recorded for it (``de``, or ``en-US`` for
    the original)."""
    releases: dict[str, Release]
    """Tag -> the release sent in it."""

    @property
    def tags(self) -> list[str]:
        return list(self.releases)

    def of(self, wanted: str | None) -> str:
        """The tag of the version for someone whose list says *wanted*."""
        if not wanted:
            return self.original
        return self.by_primary.get(primary_language(wanted), self.original)


def languages_of(room: Room, release: Release) -> Languages:
    """The original's language and every usable translation's, for *release*."""
    original = release_language(room, release)
    releases = {original: release}
    by_primary = {primary_language(original): original}
    translations = release.translations
    for primary, translated in sorted((translations.by_language if translations else {}).items()):
        tag = translated.translation.language
        releases[tag] = translated
        by_primary[primary] = tag
    return Languages(original, by_primary, releases)


def assign(recipients: Iterable[Recipient], languages: Languages) -> Iterator[Recipient]:
    """*recipients*, each with ``language`` set to the tag of the version they get."""
    chosen: dict[str | None, str] = {}
    """What each ``language`` cell said -> its tag (a list holds a few languages)."""
    for recipient in recipients:
        wanted = recipient.language
        tag = chosen.get(wanted)
        if tag is None:
            tag = languages.of(wanted)
            if len(chosen) < _CHOSEN_MAX:
                chosen[wanted] = tag
        # recipient.language = tag, as pydantic sets a field (no validation on assignment)
        recipient.__dict__["language"] = tag
        recipient.__pydantic_fields_set__.add("language")
        yield recipient


_CHOSEN_MAX = 1024


def stale_refusal(
    release: Release, languages: Languages, stale: dict[str, list[str] | None]
) -> str:
    """Why a send with stale translations stops, and the two ways on."""
    said = "; ".join(
        f"{languages.releases[tag].source}: "
        + ("records no translates: key" if changed is None else "changed: " + ", ".join(changed))
        for tag, changed in stale.items()
    )
    commands = " and ".join(
        f"'pressroom translate {release.name} --to {tag} --update'" for tag in stale
    )
    return (
        f"{release.source} changed since its translation was made ({said}); update the "
        f"translation, then run {commands}; or send it as it is with --allow-stale"
    )

"""The checks of a release's translations: each is checked like a release, on its own text.

A translation's own problems (a key only the original may set, a body of
another shape: :mod:`pressroom.model.translation`) are errors of the release,
so ``send`` refuses it as it refuses a broken original. The editorial rules of
:mod:`pressroom.check.rules` run on each translation too, reported on the keys the
translation writes (the facts, and the texts it leaves to the original, are
the original's findings). A translation made from an earlier version of the
original's text is a warning naming the keys that changed; ``send`` refuses it
unless told to send it anyway (see :func:`stale_translations`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from pressroom.errors import Problem
from pressroom.load.translations import STALE_CODE
from pressroom.model.translation import TEXT_KEYS, TRANSLATES

if TYPE_CHECKING:
    from pressroom.model.release import Release
    from pressroom.model.room import Room

Check = Callable[["Room", "Release", datetime, bool], list[Problem]]


def translation_problems(
    room: Room, release: Release, now: datetime, sent: bool, check: Check
) -> list[Problem]:
    """The problems of every translation of *release*, file by file (*check*: the
    release rules, :func:`pressroom.check.rules.check_release`)."""
    translations = release.translations
    if translations is None:
        return []
    found = list(translations.problems)
    for _, translated in sorted(translations.by_language.items()):
        written = translated.located.marks
        own = [
            problem
            for problem in check(room, translated, now, sent)
            if (_top(problem.key),) in written and _top(problem.key) in TEXT_KEYS
        ]
        found.extend(own)
        if stale := stale_problem(translated):
            found.append(stale)
    return found


def _top(key: str) -> str:
    return key.split(".", 1)[0].split("[", 1)[0]


def stale_problem(translated: Release) -> Problem | None:
    """A warning when *translated* was made from an earlier version of the original."""
    of = translated.translation
    if of is None or not of.stale:
        return None
    original = f"releases/{of.original}.yaml"
    if of.changed is None:
        message = (
            f"records no {TRANSLATES}: key, so pressroom cannot tell whether {original} "
            "changed since it was translated"
        )
    else:
        message = f"{original} changed since this was translated: " + ", ".join(of.changed)
    return translated.located.problem(
        (TRANSLATES,),
        message,
        hint=f"update the translation, then run 'pressroom translate {of.original} --to "
        f"{of.language} --update' (send refuses a stale translation unless --allow-stale)",
        severity="warning",
        code=STALE_CODE,
    )


def stale_translations(release: Release) -> dict[str, list[str] | None]:
    """The stale translations of *release*: language -> the keys that changed (None:
    the translation cannot tell)."""
    if release.translations is None:
        return {}
    return {
        lang: translated.translation.changed
        for lang, translated in release.translations.stale().items()
    }

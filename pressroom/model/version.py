"""What a release says: a short hash of the resolved release and pressroom.yaml.

What it says includes its translations (``releases/<name>.<lang>.yaml``): the
version, so an approval, covers every language's text at once.

This is one part of a release's version (:mod:`pressroom.sendlog.version` adds the
bytes of every file the release uses, the room's templates and pressroom's
own); alone, it was the whole version before the version covered files, and
send logs written then key their deliveries by it.
"""

from __future__ import annotations

import hashlib
import json

from pressroom.model.release import Release
from pressroom.model.room import Room

NOT_SAID = {"approval", "database"}
"""Keys of pressroom.yaml that change how a room works, not what a message says:
adding an approval rule or moving the send log is no edit of any release."""


def said_version(room: Room, release: Release) -> str:
    """A short hash of the resolved release and room: changes when either is edited.

    Made from the model, not from the rendered files, so that a PDF rendered
    twice (without SOURCE_DATE_EPOCH) is one version. Keys left at their
    defaults are left out, so a pressroom upgrade that adds an optional key
    does not make every release sent before it an "earlier version".
    """
    parts: dict[str, object] = {"release": release_said(release), "room": room_said(room)}
    translations = translations_said(release)
    if translations:
        # one approval covers the set: every translation's text is part of the version
        parts["translations"] = translations
    return _short(parts)


def release_said(release: Release) -> object:
    return release.model_dump(mode="json", exclude_defaults=True)


def translations_said(release: Release) -> dict[str, object]:
    """Each translation's text by language (none: an empty mapping)."""
    if release.translations is None or not release.translations.by_language:
        return {}
    return {
        lang: translated.model_dump(mode="json", exclude_defaults=True)
        for lang, translated in sorted(release.translations.by_language.items())
    }


def room_said(room: Room) -> object:
    return room.config.model_dump(mode="json", exclude_defaults=True, exclude=NOT_SAID)


def _short(parts: object) -> str:
    data = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(data).hexdigest()[:16]

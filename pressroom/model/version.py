"""A release's version: a short hash of what it says, so an edit is a new version.

What it says includes its translations (``releases/<name>.<lang>.yaml``): the
version, so an approval, covers every language's text at once.

The send log records deliveries per version (``pressroom send`` sends each
version once per recipient; ``--correction`` sends a changed one); the preview
compares the current version with the one sent.
"""

from __future__ import annotations

import hashlib
import json

from pressroom.model.release import Release
from pressroom.model.room import Room

NOT_SAID = {"approval", "database"}
"""Keys of pressroom.yaml that change how a room works, not what a message says:
adding an approval rule or moving the send log is no edit of any release."""


def release_version(room: Room, release: Release) -> str:
    """A short hash of the resolved release and room: changes when either is edited.

    Made from the model, not from the rendered files, so that a PDF rendered
    twice (without SOURCE_DATE_EPOCH) is one version. Keys left at their
    defaults are left out, so a pressroom upgrade that adds an optional key
    does not make every release sent before it an "earlier version".
    """
    parts = {
        "release": release.model_dump(mode="json", exclude_defaults=True),
        "room": room.config.model_dump(mode="json", exclude_defaults=True, exclude=NOT_SAID),
    }
    if release.translations is not None and release.translations.by_language:
        # one approval covers the set: every translation's text is part of the version
        parts["translations"] = {
            lang: translated.model_dump(mode="json", exclude_defaults=True)
            for lang, translated in sorted(release.translations.by_language.items())
        }
    data = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(data).hexdigest()[:16]

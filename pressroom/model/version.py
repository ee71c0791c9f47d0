"""A release's version: a short hash of what it says, so an edit is a new version.

The send log records deliveries per version (``pressroom send`` sends each
version once per recipient; ``--correction`` sends a changed one); the preview
compares the current version with the one sent.
"""

from __future__ import annotations

import hashlib
import json

from pressroom.model.release import Release
from pressroom.model.room import Room


def release_version(room: Room, release: Release) -> str:
    """A short hash of the resolved release and room: changes when either is edited.

    Made from the model, not from the rendered files, so that a PDF rendered
    twice (without SOURCE_DATE_EPOCH) is one version.
    """
    parts = {
        "release": release.model_dump(mode="json"),
        "room": room.config.model_dump(mode="json"),
    }
    data = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(data).hexdigest()[:16]

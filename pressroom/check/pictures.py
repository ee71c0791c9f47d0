"""The rules about a release's photos: described and credited, attached or linked, and
light enough to travel in one email (:mod:`pressroom.check.email_weight`).

Each rule takes a :class:`~pressroom.check.findings.Findings` as every rule of
:data:`pressroom.check.rules.RULES` does.
"""

from __future__ import annotations

from datetime import datetime

from pressroom.check import email_weight as weight
from pressroom.check.findings import Findings
from pressroom.model.release import Release
from pressroom.model.room import Room


def images(found: Findings, room: Room, release: Release, now: datetime) -> None:
    for index, image in enumerate(release.images):
        if not image.alt:
            found.warning(
                "image-alt",
                ("images", index),
                f"{image.file} has no alt text",
                "describe the picture for readers who cannot see it",
            )
        if not image.credit:
            found.warning(
                "image-credit",
                ("images", index),
                f"{image.file} has no credit",
                "add credit: Photo by ...",
            )


def photos_reach(found: Findings, room: Room, release: Release, now: datetime) -> None:
    """Photos are attached or linked; what is attached fits in one email."""
    attached = "images" in release.distribution.attach
    if release.images and not attached and not room.config.org.newsroom:
        found.warning(
            "image-not-sent",
            ("images",),
            "the photos are neither attached to the email nor linked: it names them only",
            "add images to distribution.attach, or set org.newsroom in pressroom.yaml "
            "to link them from the newsroom",
        )
    files = [(image.file.path.name, weight.file_size(image.file.path)) for image in release.images]
    files = files if attached else []
    logo = room.config.org.logo
    if logo is not None and not room.config.org.newsroom:  # sent inline with every email
        files.append((logo.path.name, weight.file_size(logo.path)))
    reason = weight.too_heavy(files, room.config)
    if reason:
        found.error(
            "attachments-too-large",  # weight.CODE
            ("images",) if files and release.images and attached else ("distribution",),
            reason + ", before the PDF and the other files are counted",
            weight.HINT,
        )

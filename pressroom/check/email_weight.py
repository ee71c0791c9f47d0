"""What an email's attachments weigh as sent, and how much they may.

Attachments travel in base64, a third larger than the files: a 7.5 MB photo
is 10 MB on the wire. SendGrid refuses a request over 30 MB; many inboxes
refuse far less, so a room allows ``delivery.max_attachments_mb`` (10 MB by
default, at most SendGrid's 30). ``check`` counts what it knows without
rendering (the attached photos, the inline logo); ``send`` counts every file
once the PDF and the Word document are made, and refuses before sending to
anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pressroom.model.room import SENDGRID_MAX_MB, RoomConfig

MEGABYTE = 1_000_000
CODE = "attachments-too-large"


def encoded_size(size: int) -> int:
    """Bytes of *size* bytes in base64."""
    return 4 * ((size + 2) // 3)


def limit(config: RoomConfig) -> int:
    """The most, in bytes as sent, all attachments of one email may weigh."""
    return int(min(config.delivery.max_attachments_mb, SENDGRID_MAX_MB) * MEGABYTE)


def megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f} MB"


def too_heavy(files: Iterable[tuple[str, int]], config: RoomConfig) -> str | None:
    """Why the attachments (name, size in bytes) are too heavy to send, or None."""
    files = list(files)
    total = sum(encoded_size(size) for _, size in files)
    allowed = limit(config)
    if total <= allowed:
        return None
    heaviest = sorted(files, key=lambda f: -f[1])[:5]
    listed = ", ".join(f"{name} {megabytes(encoded_size(size))}" for name, size in heaviest)
    return (
        f"the attachments weigh {megabytes(total)} as sent (base64), over the limit of "
        f"{megabytes(allowed)} (delivery.max_attachments_mb; SendGrid refuses more than "
        f"{SENDGRID_MAX_MB} MB): {listed}"
    )


HINT = (
    "attach fewer or smaller files (distribution.attach), link photos from the newsroom "
    "(org.newsroom) instead of attaching them, or raise delivery.max_attachments_mb"
)


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # a missing file is reported where it is read

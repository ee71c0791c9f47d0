"""The outbox: messages written as ``.eml`` files instead of being sent.

The default transport when no ``SENDGRID_API_KEY`` is set. Each recipient's
message is written, exactly as it would have been sent (RFC 5322, CRLF line
ends), to ``<folder>/<release>/<address>-<hash>.eml``, which any mail program
opens. Test messages go to ``<folder>/<release>/test/``. Files are written
to a temporary name and renamed, so an interrupted run leaves no half file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pressroom.deliver.message import Content, Delivery
from pressroom.deliver.mime import as_bytes, cannot_build, mime_message, uses_smtputf8
from pressroom.deliver.transport import DeliveryFailed, RecipientRefused, Schedule


def eml_name(address: str) -> str:
    """``Ana@Ledger.example`` -> ``ana-ledger.example-1f0c3d2a.eml``: safe and unique per address.

    The hash is of the address as compared (lower case), so the name never
    depends on how the address was capitalised, and two addresses whose slugs
    look alike still get two files.
    """
    key = address.strip().lower()
    slug = re.sub(r"[^a-z0-9.]+", "-", key).strip("-.")[:64] or "recipient"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}.eml"


def write_atomically(path: Path, data: bytes) -> None:
    """Write *data* to a temporary file beside *path*, then rename it over *path*."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


HEADER_SEND_AT = "X-Pressroom-Send-At"


class Outbox:
    """A transport that writes each message to a file."""

    name = "outbox"
    batch_size = 1  # a failure can never leave a batch half written

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def folder_for(self, release: str, test: bool = False) -> Path:
        folder = self.folder / release
        return folder / "test" if test else folder

    def path_for(self, release: str, address: str, test: bool = False) -> Path:
        return self.folder_for(release, test) / eml_name(address)

    def preflight(self, content: Content) -> None:
        """Refuse, before anything is planned, when a file stands where a folder must be."""
        for test in (False, True):
            self._refuse_blocked(self.folder_for(content.release, test))

    def _refuse_blocked(self, folder: Path) -> None:
        for place in (folder, *folder.parents):
            if place.exists() or place.is_symlink():
                if place.is_dir():
                    return
                raise DeliveryFailed(
                    f"{place}: the outbox writes its messages into folders, but this is a "
                    "file: move it away (or set delivery.transport), then run again; "
                    "nothing was sent",
                    fatal=True,
                )

    def _made(self, folder: Path) -> Path:
        self._refuse_blocked(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DeliveryFailed(
                f"{folder}: cannot make the outbox folder ({exc.strerror}); nothing was sent",
                fatal=True,
            ) from None
        return folder

    def send(
        self,
        content: Content,
        deliveries: Sequence[Delivery],
        *,
        test: bool = False,
        schedule: Schedule | None = None,
    ) -> list[str]:
        """Write one ``.eml`` per delivery; their Message-IDs, in order.

        A *schedule* is recorded in an ``X-Pressroom-Send-At`` header, so a
        rehearsal of a scheduled send shows when it would have gone out.
        """
        folder = self._made(self.folder_for(content.release, test))
        ids = []
        for delivery in deliveries:
            try:
                message = mime_message(content, delivery, test=test)
                if schedule is not None:
                    message[HEADER_SEND_AT] = schedule.send_at.isoformat()
                data = as_bytes(message, uses_smtputf8(content, delivery))
            except Exception as exc:  # UnsafeHeader, a header the email package refuses...
                raise RecipientRefused(
                    f"{delivery.email}: the message cannot be built: {cannot_build(exc)}"
                ) from None
            path = folder / eml_name(delivery.email)
            try:
                write_atomically(path, data)
            except OSError as exc:
                raise DeliveryFailed(f"{path}: cannot write the message: {exc.strerror}") from None
            ids.append(str(message["Message-ID"]))
        return ids

"""Photos uploaded in the editor: into ``assets/`` under a safe name, never over a file.

An upload is untrusted bytes. It is kept only when Pillow reads it as a
JPEG or PNG (:data:`pressroom.deliver.message.PICTURE_TYPES`, the pictures an
email may carry) from its header, with no more pixels than pressroom renders
(:data:`pressroom.load.bounds.PICTURE_PIXELS_MAX`) and no more bytes than the
room lets one email attach (``delivery.max_attachments_mb``, counted as sent
in base64: :mod:`pressroom.check.email_weight`). Its name is made from the name it
came with (letters, digits and dashes: :func:`pressroom.drafts.scaffold.slugify`)
and the extension of what it is; a name taken gets ``-2``, ``-3``...: the
file is created with ``O_EXCL``, so nothing is ever overwritten.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path, PurePosixPath

from pressroom.errors import PressroomError
from pressroom.load.bounds import PICTURE_PIXELS_MAX
from pressroom.model.paths import inside

FOLDER = "assets"
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png"}
DEFAULT_LIMIT = 10_000_000
NAME_TRIES = 1000


class UploadRefused(PressroomError):
    """The upload is not a photo pressroom can use."""


def upload_limit(root: Path) -> int:
    """The most bytes one photo may have: what the room lets an email attach, decoded."""
    from pressroom.check import email_weight
    from pressroom.load.room import load_room

    try:
        sent = email_weight.limit(load_room(root).config)
    except PressroomError:
        sent = DEFAULT_LIMIT * 4 // 3
    return sent * 3 // 4


def store_upload(root: Path, filename: str, data: bytes) -> str:
    """Keep *data* in ``assets/``; its path relative to the room (``assets/x.jpg``)."""
    from PIL import Image, UnidentifiedImageError

    from pressroom.drafts.scaffold import slugify

    if len(data) > upload_limit(root):
        raise UploadRefused(f"the photo is over {upload_limit(root) / 1_000_000:.1f} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                kind, (width, height) = picture.format or "", picture.size
                picture.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Warning) as exc:
        raise UploadRefused(f"not a JPEG or PNG photo pressroom can read ({exc})") from None
    except Image.DecompressionBombError:
        raise UploadRefused(f"more than {PICTURE_PIXELS_MAX:,} pixels") from None
    if kind not in EXTENSIONS:
        raise UploadRefused(f"a {kind or 'unknown'} picture: upload a JPEG or PNG photo")
    if width * height > PICTURE_PIXELS_MAX:
        raise UploadRefused(
            f"{width:,} x {height:,} pixels, more than the "
            f"{PICTURE_PIXELS_MAX // 1_000_000} megapixels pressroom renders: resize it"
        )
    folder = root / FOLDER
    folder.mkdir(exist_ok=True)
    if folder.is_symlink() or inside(root, folder) is None:
        raise UploadRefused(f"{FOLDER}/ is a link out of the press room: nothing was stored")
    stem = slugify(PurePosixPath(filename.replace("\\", "/")).stem) or "photo"
    for number in range(1, NAME_TRIES + 1):
        name = f"{stem}{'' if number == 1 else f'-{number}'}{EXTENSIONS[kind]}"
        try:
            handle = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        return f"{FOLDER}/{name}"
    raise UploadRefused(f"{NAME_TRIES} photos called {stem} already: rename this one")

"""Pictures embedded in a draft -> files in the room's ``assets/``, never over another file.

A picture is kept only when Pillow recognises it as PNG, JPEG, GIF or WebP (the
formats every renderer shows), it is at most :data:`PICTURE_BYTES_MAX` and
:data:`~pressroom.load.bounds.PICTURE_PIXELS_MAX`; its header is read, nothing
is decoded. Its name is made here, never taken from the document:
``assets/<release>-<n>.<ext>``, the first number free, created with ``O_EXCL``
so that an existing file is never overwritten, inside a folder that must lie in
the room. A picture that is refused is said so, and its caption stays in the body.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from pressroom.load.bounds import PICTURE_PIXELS_MAX

PICTURE_BYTES_MAX = 20 * 1024 * 1024
"""A press photo at full resolution is 5 to 15 MB."""
FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
ASSETS = "assets"


@dataclass(frozen=True)
class Saved:
    path: Path
    file: str
    """The path as the release names it: ``assets/<release>-1.jpg``."""


def picture_format(data: bytes) -> tuple[str | None, str]:
    """(file extension, "") for a picture pressroom keeps, else (None, why not)."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > PICTURE_BYTES_MAX:
        return None, f"it is over {PICTURE_BYTES_MAX // (1024 * 1024)} MB"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                kind, (width, height) = picture.format, picture.size
    except Image.DecompressionBombError:
        return None, f"it has more than {PICTURE_PIXELS_MAX // 1_000_000} megapixels"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None, "it is not a picture pressroom shows (PNG, JPEG, GIF or WebP)"
    if kind not in FORMATS:
        return None, f"it is a {kind} picture; save it as PNG or JPEG"
    if width * height > PICTURE_PIXELS_MAX:
        return None, f"it has more than {PICTURE_PIXELS_MAX // 1_000_000} megapixels"
    return FORMATS[kind], ""


def save_picture(root: Path, release: str, data: bytes, extension: str) -> Saved:
    """Write *data* as a new file ``assets/<release>-<n>.<extension>`` of the room."""
    folder = root / ASSETS
    folder.mkdir(exist_ok=True)
    resolved = folder.resolve()
    if not resolved.is_relative_to(root.resolve()) or folder.is_symlink():
        raise OSError(f"{ASSETS}/ is a link out of the press room: pictures were not saved")
    number = 1
    while True:
        name = f"{release}-{number}.{extension}"
        try:
            handle = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            number += 1
            continue
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        return Saved(folder / name, f"{ASSETS}/{name}")

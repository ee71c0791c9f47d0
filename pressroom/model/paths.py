"""Paths that files name: a :class:`RoomPath` cannot point outside the press room.

Releases, signatory lists and pressroom.yaml come from many hands, and every
path they name (an image, a signatory CSV, the logo) is untrusted. A path is
parsed once, when the file is loaded, into a :class:`RoomPath`: the text as
written, together with the file it names, resolved after following every
symlink, and known to lie inside the room. Anything else is refused with a
message naming the key, so a release cannot make pressroom read, embed, copy
into the newsroom or show in the preview ``/etc/passwd``,
``/proc/self/environ`` or ``../other-room/.env``.

Hidden files and folders (``.env``, ``.git/``, ``.pressroom/`` with the send
log) are refused too: nothing a release names may start with a dot.

Renderers, the newsroom and the preview take a RoomPath (or the resolved
:attr:`RoomPath.path` of one), never a string from a file.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import Any

from pydantic import GetCoreSchemaHandler, ValidationInfo
from pydantic_core import core_schema

from pressroom.model.base import user_error

OUTSIDE = "outside-room"
"""The code of a path that leaves the room (after following symlinks)."""


class OutsideRoom(ValueError):
    """A path named in a file does not stay inside the press room."""


def inside(root: Path, path: Path) -> Path | None:
    """*path* resolved after following symlinks, if that lies inside *root*; else None."""
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(path))
    if real == real_root or real_root in real.parents:
        return real
    return None


class RoomPath(str):
    """A file named by a file of the room, as written, known to resolve inside the room.

    The string is the text the user wrote (for messages and names);
    :attr:`path` is the file it resolves to. Made only by :meth:`parse`.
    """

    __slots__ = ("path",)
    path: Path

    def __new__(cls, text: str, path: Path) -> RoomPath:  # use RoomPath.parse
        made = super().__new__(cls, text)
        made.path = path
        return made

    def __reduce__(self) -> tuple[type[RoomPath], tuple[str, Path]]:
        """Pickled with its path (a Document goes to the preview's render workers)."""
        return type(self), (str(self), self.path)

    @classmethod
    def parse(cls, root: Path, text: str, base: Path | None = None) -> RoomPath:
        """*text*, relative to *base* (default: the room), if it stays inside *root*.

        Raises :class:`OutsideRoom` with what to do otherwise.
        """
        text = text.strip()
        if not text:
            raise OutsideRoom("is empty; give a path relative to pressroom.yaml")
        if "\0" in text:
            raise OutsideRoom("contains a NUL character")
        pure = PurePath(text)
        if pure.is_absolute() or text.startswith("~"):
            raise OutsideRoom(
                f"'{text}' is not a path inside the press room; "
                "give a path relative to pressroom.yaml and copy the file into the room"
            )
        if any(part.startswith(".") and part not in (".", "..") for part in pure.parts):
            raise OutsideRoom(
                f"'{text}' names a hidden file or folder; pressroom never reads those "
                "(rename it without the leading dot)"
            )
        resolved = inside(root, (base or root) / pure)
        if resolved is None:
            raise OutsideRoom(
                f"'{text}' leads outside the press room (after following links); "
                "copy the file into the room and name it from there"
            )
        relative = resolved.relative_to(Path(os.path.realpath(root)))
        if any(part.startswith(".") for part in relative.parts):
            raise OutsideRoom(
                f"'{text}' leads to a hidden file or folder ({relative.as_posix()}); "
                "pressroom never reads those"
            )
        return cls(text, resolved)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(
            _from_model,
            core_schema.str_schema(strip_whitespace=True),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )


def _from_model(value: str, info: ValidationInfo) -> RoomPath:
    """A path in a model: relative to the room's root, which the validation context supplies."""
    root = (info.context or {}).get("root")
    if root is None:
        raise ValueError("cannot check this path: no press room given (a bug in pressroom)")
    try:
        return RoomPath.parse(Path(root), value)
    except OutsideRoom as exc:
        raise user_error(OUTSIDE, str(exc)) from None

"""The one way a release file is written: :func:`save_release`.

The browser editor, the JSON API, ``pressroom new``, ``pressroom import`` and
``pressroom translate`` all write through it. A save

* writes ``releases/NAME.yaml`` (or the ``.yml`` already there) and nothing else,
  refusing a name that is no name (:class:`NameRefused`);
* keeps what did not change (:mod:`pressroom.drafts.yamltext`) and writes every
  changed value in a style that reads back as exactly that value;
* reads the text back through pressroom's own loader before writing: it must load
  to exactly the data given, and hold no YAML trap that ``check`` reports
  (``yaml-hashtag``, ``yaml-folded-list``...); otherwise nothing is written and
  :class:`ReleaseInvalid` carries the findings;
* refuses to write over a file that changed since the writer read it
  (:class:`StaleVersion`, with the difference), or over any file when creating;
* is atomic: a temporary file in the same folder, then ``os.replace`` (or a hard
  link, which never overwrites, for a new file), under a lock on the folder.

A version (:func:`file_version`) is opaque: a digest of the file's bytes.
"""

from __future__ import annotations

import difflib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pressroom.errors import LoadError, PressroomError, Problem
from pressroom.load import translations
from pressroom.load.room import load_release, load_room
from pressroom.load.textfile import MAX_BYTES
from pressroom.load.traps import costs_words, trap_problem
from pressroom.load.yamlfile import parse
from pressroom.model.located import Located, Path_, key_name
from pressroom.model.names import NAME_RULE, is_name

from .yamltext import rendered, same

RELEASES = "releases"
SUFFIXES = (".yaml", ".yml")
ATTEMPTS = 4
"""Rounds of re-quoting a value that did not read back as given, before giving up."""


class NameRefused(PressroomError):
    """The name of a release cannot be a file of ``releases/``."""


class StaleVersion(PressroomError):
    """The file changed since the version the writer read (or exists, for a new one)."""

    def __init__(self, message: str, difference: str, current: str | None):
        super().__init__(message)
        self.difference = difference
        self.current = current


class ReleaseInvalid(PressroomError):
    """What would be written does not load, or would not read back as given."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def file_version(path: Path) -> str:
    """An opaque version of the file at *path*: it changes whenever its bytes do."""
    return version_of(path.read_bytes())


def version_of(data: bytes) -> str:
    """The version of a file holding *data* (:func:`file_version`)."""
    return hashlib.sha256(data).hexdigest()[:32]


def release_path(root: Path, name: str) -> Path:
    """``releases/NAME.yaml`` (or the ``.yml`` already there); :class:`NameRefused`
    for a name with a path, a dot first, a control character..."""
    stem = name
    for suffix in SUFFIXES:
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    if not is_name(stem) or stem != name and not is_name(name):
        raise NameRefused(f"{name!r} cannot be a release's name: {NAME_RULE}")
    folder = root / RELEASES
    for suffix in SUFFIXES:
        path = folder / f"{stem}{suffix}"
        if path.is_symlink():
            raise NameRefused(f"{RELEASES}/{path.name} is a link: pressroom writes no links")
        if path.exists():
            return path
    return folder / f"{stem}.yaml"


def save_release(
    root: Path,
    name: str,
    release: Mapping[str, Any],
    *,
    base_version: str | None,
    template: str | None = None,
) -> str:
    """Write *release* (plain data, keys as in the YAML) to the release *name*.

    *base_version* is the :func:`file_version` the writer read; ``None``
    creates a new file (*template*, if given, is the text whose comments and
    layout it starts from). Returns the new version.
    """
    if not isinstance(release, Mapping):
        raise ReleaseInvalid([Problem(name, "a release is a mapping of keys")])
    path = release_path(root, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path.parent):
        old_text = _current_text(path)
        if base_version is None and old_text is not None:
            raise StaleVersion(
                f"{RELEASES}/{path.name} already exists: open it to edit it, or choose "
                "another headline",
                _difference(old_text, None, path.name),
                file_version(path),
            )
        if base_version is not None and old_text is None:
            raise StaleVersion(f"{RELEASES}/{path.name} was deleted since you opened it", "", None)
        current = file_version(path) if old_text is not None else None
        if base_version is not None and current != base_version:
            try:
                yours: str | None = text_for(root, path, release, old_text)
            except ReleaseInvalid:
                yours = None
            raise StaleVersion(
                f"{RELEASES}/{path.name} changed since you opened it: nothing was saved",
                _difference(old_text or "", yours, path.name),
                current,
            )
        text = text_for(root, path, release, old_text if old_text is not None else template)
        _write(path, text, new=base_version is None)
    return file_version(path)


def text_for(root: Path, path: Path, release: Mapping[str, Any], old_text: str | None) -> str:
    """The text :func:`save_release` would write: checked, never written here."""
    display = f"{RELEASES}/{path.name}"
    old_data, old_traps = _read(old_text, display)
    quoted: set[Path_] = set()
    uncommented = frozenset(path_ for path_, kind in old_traps if kind == "hashtag")
    for _ in range(ATTEMPTS):
        text = rendered(
            old_text, old_data, release, quoted=frozenset(quoted), uncommented=uncommented
        )
        try:
            located = parse(text, display)
        except LoadError as exc:
            raise ReleaseInvalid(exc.problems) from None
        wrong = set(_differences(located.data, release, ()))
        traps = [trap for trap in located.traps if costs_words(trap)]
        untouched = [trap for trap in traps if _unchanged(old_data, release, trap.path)]
        if untouched:
            raise ReleaseInvalid([trap_problem(display, trap) for trap in untouched])
        wrong |= {trap.path for trap in traps}
        if not wrong:
            break
        if wrong <= quoted:
            raise ReleaseInvalid(_not_faithful(located, wrong))
        quoted |= wrong
    else:
        raise ReleaseInvalid(_not_faithful(located, wrong))
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ReleaseInvalid(
            [Problem(display, f"the release would be over {MAX_BYTES // 1024:,} KB", code="")]
        )
    try:
        room = load_room(root)
        if translations.is_translation_file(path):  # releases/<name>.<lang>.yaml
            translations.check_text(room, path, text)
        else:
            load_release(room, path, text=text)
    except LoadError as exc:
        raise ReleaseInvalid(exc.problems) from None
    return text


def _read(text: str | None, display: str) -> tuple[Any, list[tuple[Path_, str]]]:
    """The data of the file as pressroom reads it (``MISSING``-like ``None`` if unreadable)."""
    if text is None:
        return None, []
    try:
        located = parse(text, display)
    except LoadError:
        return None, []
    return located.data, [(trap.path, trap.kind) for trap in located.traps]


def _unchanged(old: Any, new: Any, path: Path_) -> bool:
    for part in path:
        try:
            old, new = old[part], new[part]
        except (KeyError, IndexError, TypeError):
            return False
    return same(old, new)


def _differences(read: Any, given: Any, path: Path_) -> Iterator[Path_]:
    """The deepest paths where *read* is not *given*."""
    if isinstance(given, Mapping) and isinstance(read, dict) and list(read) == list(given):
        for key in given:
            yield from _differences(read[key], given[key], (*path, key))
    elif isinstance(given, list | tuple) and isinstance(read, list) and len(read) == len(given):
        for index, (a, b) in enumerate(zip(read, given, strict=True)):
            yield from _differences(a, b, (*path, index))
    elif not same(read, given):
        yield path


def _not_faithful(located: Located, paths: set[Path_]) -> list[Problem]:
    return [
        located.problem(
            path,
            "this value cannot be written so that it reads back exactly: nothing was saved",
            hint="remove control characters from it, or write it differently",
            code="unsaved-value",
        )
        for path in sorted(paths, key=key_name)
    ]


def _difference(on_disk: str, yours: str | None, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            on_disk.splitlines(keepends=True),
            (yours or "").splitlines(keepends=True),
            fromfile=f"{name} (on disk now)",
            tofile=f"{name} (yours)",
        )
    )


def _current_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ReleaseInvalid(
            [Problem(path.name, "the file on disk is not UTF-8 text: it was not overwritten")]
        ) from None


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One save at a time in *folder*, across processes (``flock`` on the folder)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _write(path: Path, text: str, *, new: bool) -> None:
    """Write atomically: a reader sees the old file or the new one, never half."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        if new:
            os.link(temporary, path)  # fails if the name was taken meanwhile: never overwrite
            os.unlink(temporary)
        else:
            os.replace(temporary, path)
    except FileExistsError:
        os.unlink(temporary)
        raise StaleVersion(
            f"{RELEASES}/{path.name} was just created by someone else", "", None
        ) from None
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


__all__ = [
    "NameRefused",
    "ReleaseInvalid",
    "StaleVersion",
    "file_version",
    "version_of",
    "release_path",
    "save_release",
    "text_for",
]

"""Write the site's tree: only what changed, atomically, and nothing stale left behind.

Every file the site should hold is an :class:`Output` with a *key* (a hash of
what it is made from). A manifest, ``.pressroom-site.json`` at the top of the
tree, records the key of every file written; a file whose key has not changed
is neither made nor written again, so an unchanged rebuild renders nothing
and leaves every file (and its modification time) as it was.

Files written by an earlier build and no longer wanted (a release back under
embargo, made a draft or deleted) are removed. Only files the manifest names
are ever removed, and only while they hold what was written (the manifest
keeps each file's SHA-256): files you add yourself (a ``CNAME``, a
``.nojekyll``) stay, and so does a file of the site you changed by hand.
A folder that is not empty and has no manifest is refused rather than mixed
with the site.

Nothing is written or removed through a symbolic link: the output folder, the
manifest, and every folder and file of a path in the site must be real, or
the build stops and says which one to remove. Partial files are created
afresh (``O_EXCL | O_NOFOLLOW``), so a link planted under a temporary name
cannot redirect a write either.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pressroom.errors import UsageError

MANIFEST = ".pressroom-site.json"
FORMAT = 1
_CHUNK = 1024 * 1024


@dataclass
class Output:
    """One file of the site: its path in the tree and how to make it."""

    path: str  # relative, with / (``<release>/index.html``)
    key: str
    make: Callable[[], bytes] | None = None
    source: Path | None = None  # copied as it is (a PDF from the build cache, a photo)

    @classmethod
    def copy(cls, path: str, source: Path) -> Output:
        stat = source.stat()
        return cls(path, f"copy:{stat.st_size}:{stat.st_mtime_ns}", source=source)


@dataclass
class Written:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)
    """Files no longer wanted but left in place: changed since pressroom wrote them."""


def _no_link(path: Path, what: str) -> None:
    if path.is_symlink():
        raise UsageError(
            f"{what} {path}: is a symbolic link; 'pressroom site' never writes or deletes "
            "through one; remove the link (or give --out the real folder)"
        )


def check_target(out: Path, root: Path) -> None:
    """Refuse an output folder that is a file, the room, or someone else's folder."""
    _no_link(out, "--out")
    _no_link(out / MANIFEST, "the manifest")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: is a file, not a folder; choose a folder for the site")
    resolved = out.resolve()
    if resolved == root.resolve() or resolved in root.resolve().parents:
        raise UsageError(
            f"--out {out}: is the press room or a folder above it; "
            "choose a folder of its own, such as site/"
        )
    if out.is_dir() and not (out / MANIFEST).is_file() and any(out.iterdir()):
        raise UsageError(
            f"--out {out}: the folder is not empty and was not written by 'pressroom site' "
            f"(no {MANIFEST}); choose an empty or new folder, or empty this one"
        )


def read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    return data


def _safe(out: Path, relative: str) -> Path:
    """*relative* inside *out*, never outside it (a manifest is only data), and no
    folder or file on the way a symbolic link."""
    parts = PurePosixPath(relative).parts if isinstance(relative, str) else ()
    if (
        not parts
        or any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts)
        or relative.startswith("/")
    ):
        raise UsageError(f"{out / MANIFEST}: a bad path {relative!r}; delete the site folder")
    for depth in range(1, len(parts) + 1):
        _no_link(out.joinpath(*parts[:depth]), "in the site,")
    return out.joinpath(*parts)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_atomically(path: Path, data: bytes | None = None, source: Path | None = None) -> str:
    """Write *data* (or a copy of *source*) to *path* atomically; its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    if partial.is_symlink() or partial.exists():
        partial.unlink()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    digest = hashlib.sha256()
    with os.fdopen(os.open(partial, flags, 0o644), "wb") as file:
        if source is not None:
            with source.open("rb") as original:
                while chunk := original.read(_CHUNK):
                    digest.update(chunk)
                    file.write(chunk)
        else:
            digest.update(data or b"")
            file.write(data or b"")
    os.replace(partial, path)
    return digest.hexdigest()


def sync(out: Path, outputs: list[Output], extra: dict[str, Any]) -> Written:
    """Make *out* hold exactly *outputs* (plus files it never wrote), in this order:
    new and changed files, then removals, then the manifest (with *extra* in it)."""
    previous = read_manifest(out)
    old_files: dict[str, str] = previous.get("files", {}) if previous else {}
    old_sums: dict[str, str] = previous.get("sha256", {}) if previous else {}
    if not isinstance(old_files, dict) or not isinstance(old_sums, dict):
        raise UsageError(
            f"{out / MANIFEST}: not a manifest pressroom wrote; delete the site folder"
        )
    result = Written()
    out.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, str] = {}
    sums: dict[str, str] = {}
    for output in outputs:
        if output.path in wanted:
            raise UsageError(f"two files of the site would be {output.path}")
        wanted[output.path] = output.key
        target = _safe(out, output.path)
        if (
            old_files.get(output.path) == output.key
            and output.path in old_sums
            and target.is_file()
        ):
            sums[output.path] = old_sums[output.path]
            result.unchanged += 1
            continue
        if output.source is not None:
            sums[output.path] = write_atomically(target, source=output.source)
        else:
            assert output.make is not None
            sums[output.path] = write_atomically(target, output.make())
        result.written.append(output.path)
    for stale in sorted(set(old_files) - set(wanted)):
        target = _safe(out, stale)
        if target.is_file():
            if old_sums.get(stale) != _digest(target):
                result.kept.append(stale)  # changed by hand (or never ours): not removed
                continue
            target.unlink()
            result.removed.append(stale)
        _prune(target.parent, out)
    manifest = {
        "format": FORMAT,
        "files": dict(sorted(wanted.items())),
        "sha256": dict(sorted(sums.items())),
        **extra,
    }
    text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
    if not (out / MANIFEST).is_file() or (out / MANIFEST).read_bytes() != text:
        write_atomically(out / MANIFEST, text)
    result.kept.sort()
    return result


def _prune(folder: Path, out: Path) -> None:
    """Remove *folder* and its parents up to *out* while they are empty."""
    out = out.resolve()
    folder = folder.resolve()
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent

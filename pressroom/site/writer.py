"""Write the site's tree: only what changed, atomically, and nothing stale left behind.

Every file the site should hold is an :class:`Output` with a *key* (a hash of
what it is made from). A manifest, ``.pressroom-site.json`` at the top of the
tree, records the key of every file written; a file whose key has not changed
is neither made nor written again, so an unchanged rebuild renders nothing
and leaves every file (and its modification time) as it was.

Files written by an earlier build and no longer wanted (a release back under
embargo, made a draft or deleted) are removed. Only files the manifest names
are ever removed: files you add yourself (a ``CNAME``, a ``.nojekyll``) stay.
A folder that is not empty and has no manifest is refused rather than mixed
with the site.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pressroom.errors import UsageError

MANIFEST = ".pressroom-site.json"
FORMAT = 1


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


def check_target(out: Path, root: Path) -> None:
    """Refuse an output folder that is a file, the room, or someone else's folder."""
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
    """*relative* inside *out*, never outside it (a manifest is only data)."""
    parts = PurePosixPath(relative).parts
    if not parts or any(p in ("", ".", "..") for p in parts) or relative.startswith("/"):
        raise UsageError(f"{out / MANIFEST}: a bad path {relative!r}; delete the site folder")
    return out.joinpath(*parts)


def write_atomically(path: Path, data: bytes | None = None, source: Path | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    if source is not None:
        shutil.copyfile(source, partial)
    else:
        partial.write_bytes(data or b"")
    os.replace(partial, path)


def sync(out: Path, outputs: list[Output], extra: dict[str, Any]) -> Written:
    """Make *out* hold exactly *outputs* (plus files it never wrote), in this order:
    new and changed files, then removals, then the manifest (with *extra* in it)."""
    previous = read_manifest(out)
    old_files: dict[str, str] = previous.get("files", {}) if previous else {}
    result = Written()
    out.mkdir(parents=True, exist_ok=True)
    wanted: dict[str, str] = {}
    for output in outputs:
        if output.path in wanted:
            raise UsageError(f"two files of the site would be {output.path}")
        wanted[output.path] = output.key
        target = _safe(out, output.path)
        if old_files.get(output.path) == output.key and target.is_file():
            result.unchanged += 1
            continue
        if output.source is not None:
            write_atomically(target, source=output.source)
        else:
            assert output.make is not None
            write_atomically(target, output.make())
        result.written.append(output.path)
    for stale in sorted(set(old_files) - set(wanted)):
        target = _safe(out, stale)
        if target.is_file() or target.is_symlink():
            target.unlink()
            result.removed.append(stale)
        _prune(target.parent, out)
    manifest = {"format": FORMAT, "files": dict(sorted(wanted.items())), **extra}
    text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
    if not (out / MANIFEST).is_file() or (out / MANIFEST).read_bytes() != text:
        write_atomically(out / MANIFEST, text)
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

"""A release's version covers everything that reaches a journalist.

The version is what approvals approve, what the send log keys deliveries by
(each version is sent once per recipient; ``--correction`` sends a changed
one) and what ``dispatch`` compares with the version scheduled. It is a short
hash of the release's *manifest*: each thing that goes into the messages,
named as a person knows it, with a hash of it:

- ``releases/NAME.yaml``: what the release says (its resolved model, so a
  comment or a reordering is no new version), and each of its translations
  (``releases/NAME.LANG.yaml``) likewise;
- ``pressroom.yaml``: what the room says (leaving out ``approval:`` and
  ``database:``, which change how the room works, not what a message says);
- the bytes of every file the release uses: its photos, the logo, its
  signatories CSV;
- the room's ``templates/`` (``reference.docx`` included; the newsroom's and
  the preview's own folders apart, which no message reads);
- pressroom's own templates and version, under names starting ``pressroom``.

Pressroom's own part is in the manifest an approval keeps, not in the hash
that keys deliveries: an upgrade of pressroom that changes its templates makes
every approval of a version not yet sent need approving again, and says so,
naming pressroom and the templates that changed; it never makes a release
already sent look edited, nor offers its recipients a correction.

Send logs written before the version covered files key their deliveries (and
scheduled sends) by :func:`~pressroom.model.version.said_version`. A release
whose current text has such a version in the log keeps it: the version planned
then is taken to be the files as they are the first time it is sent again,
when the log records its manifest. So an upgrade makes no release already
sent look changed, and sends nobody anything twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pressroom import __version__
from pressroom.i18n.catalogs import LOCALE_DIR, compiled_catalogs
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.model.version import release_said, room_said, said_version
from pressroom.render.environment import BUNDLED, room_template_files

OWN = "pressroom"
"""Names in a manifest that start with this are pressroom's own (its version, its templates)."""
NOT_IN_MESSAGES = ("site", "serve", "init", "new")
"""Template folders no message reads: the newsroom's, the preview's, the scaffolds."""
MISSING = "missing"


@dataclass(frozen=True)
class Version:
    """The version of a release as it is now, and what it covers."""

    id: str
    manifest: dict[str, str]

    @property
    def room_part(self) -> dict[str, str]:
        return room_part(self.manifest)


def room_part(manifest: Mapping[str, str]) -> dict[str, str]:
    """The entries of *manifest* that are the room's own (not pressroom's)."""
    return {name: digest for name, digest in manifest.items() if not _own(name)}


def _own(name: str) -> bool:
    return name == OWN or name.startswith(OWN + " ")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


_FILE_HASHES: dict[tuple[Path, int, int], str] = {}


def file_digest(path: Path) -> str:
    """The hash of *path*'s bytes (remembered while its size and time stay the same)."""
    try:
        stat = path.stat()
    except OSError:
        return MISSING
    key = (path, stat.st_size, stat.st_mtime_ns)
    if key not in _FILE_HASHES:
        try:
            _FILE_HASHES[key] = _digest(path.read_bytes())
        except OSError:
            return MISSING
        if len(_FILE_HASHES) > 4096:
            _FILE_HASHES.clear()
    return _FILE_HASHES[key]


def _said(data: object) -> str:
    return _digest(json.dumps(data, sort_keys=True, default=str).encode())


def manifest_of(room: Room, release: Release) -> dict[str, str]:
    """Everything of *room* and pressroom that goes into *release*'s messages, hashed."""
    root = room.root.resolve()
    found: dict[str, str] = {
        release.source or f"releases/{release.name}.yaml": _said(release_said(release)),
        "pressroom.yaml": _said(room_said(room)),
    }
    translated = release.translations.by_language if release.translations else {}
    for lang, translation in sorted(translated.items()):
        name = translation.source or f"releases/{release.name}.{lang}.yaml"
        found[name] = _said(release_said(translation))
    used = [image.file for image in release.images]
    used += [image.file for t in translated.values() for image in t.images]
    if room.config.org.logo:
        used.append(room.config.org.logo)
    if release.signatories_file is not None:
        used.append(release.signatories_file)
    for path in used:
        found[_name(path.path, root)] = file_digest(path.path)
    templates = room.templates_dir
    for template in room_template_files(templates):
        relative = template.relative_to(templates)
        if relative.parts[0] not in NOT_IN_MESSAGES:
            found[_name(template.resolve(), root)] = file_digest(template)
    found.update(own_part())
    return found


def _name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


_OWN_PART: dict[str, str] = {}


def own_part() -> dict[str, str]:
    """Pressroom's version and the hashes of the templates of its own that messages use."""
    if not _OWN_PART:
        _OWN_PART[OWN] = __version__
        for path in sorted(BUNDLED.rglob("*")):
            relative = path.relative_to(BUNDLED)
            if path.is_file() and relative.parts[0] not in NOT_IN_MESSAGES:
                _OWN_PART[f"{OWN} templates/{relative.as_posix()}"] = file_digest(path)
        for path in compiled_catalogs():  # the labels around the text, in every language
            relative = path.relative_to(LOCALE_DIR)
            _OWN_PART[f"{OWN} catalogs/{relative.as_posix()}"] = file_digest(path)
    return dict(_OWN_PART)


def version_id(manifest: Mapping[str, str]) -> str:
    """The version a manifest names: a short hash of the room's entries."""
    return _said(sorted(room_part(manifest).items()))


def current_version(
    room: Room, release: Release, known: Mapping[str, Mapping[str, str] | None] | None = None
) -> Version:
    """*release*'s version now (kept from a log written before files were covered, when
    the log has that version and has not recorded other files for it).

    *known*: the versions the logs hold for it, when the caller has read them (an
    empty mapping for a release the logs do not know); by default they are read.
    """
    manifest = manifest_of(room, release)
    fresh = version_id(manifest)
    legacy = said_version(room, release)
    known = logged_versions(room, release.name) if known is None else known
    if fresh not in known and legacy in known:
        recorded = known[legacy]
        if recorded is None or room_part(recorded) == room_part(manifest):
            return Version(legacy, manifest)
    return Version(fresh, manifest)


def release_version(room: Room, release: Release) -> str:
    """The id of :func:`current_version`."""
    return current_version(room, release).id


def logged_versions(room: Room, release: str) -> dict[str, dict[str, str] | None]:
    """The versions of *release* the room's send logs have planned or scheduled (the
    log of real sends, and the outbox's when rehearsing, as ``send`` reads them)."""
    from pressroom.sendlog.room_logs import logs_send_reads

    found: dict[str, dict[str, str] | None] = {}
    for log in logs_send_reads(room):
        found.update(log.version_manifests(release))
    return found


def changes(before: Mapping[str, str] | None, now: Mapping[str, str]) -> list[str]:
    """What differs between two manifests, as people read it: ``photos/a.jpg (changed)``.

    *before* None (an approval recorded before pressroom kept manifests) is said as such.
    """
    if before is None:
        return ["what it covered was not recorded (approved with an earlier pressroom)"]
    said: list[str] = []
    if before.get(OWN) != now.get(OWN):
        said.append(f"pressroom was upgraded ({before.get(OWN, '?')} -> {now.get(OWN, '?')})")
    for name in sorted(set(before) | set(now)):
        if name == OWN or before.get(name) == now.get(name):
            continue
        if name not in before:
            said.append(f"{name} (added)")
        elif name not in now or now[name] == MISSING:
            said.append(f"{name} (removed)")
        else:
            said.append(f"{name} (changed)")
    return said

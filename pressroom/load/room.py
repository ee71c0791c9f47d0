"""Find the press room, read pressroom.yaml and the releases into the model."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from pressroom.errors import LoadError, Problem, RoomNotFound, relative_name
from pressroom.load import load_each, textfile, translations, yamlfile
from pressroom.load.bounds import picture_problem, text_problems
from pressroom.load.validation import problems_from
from pressroom.model.base import suggestion
from pressroom.model.links import BAD_LINK, BadLink, SafeUrl
from pressroom.model.located import Located
from pressroom.model.names import NAME_RULE, is_name
from pressroom.model.paths import OUTSIDE, OutsideRoom, RoomPath, inside
from pressroom.model.release import Release, release_context
from pressroom.model.room import Room, RoomConfig

ROOM_FILE = "pressroom.yaml"
SIGNATORY_COLUMNS = ("name", "title", "org", "location", "url")
NAME_CODE = "one-name"
"""The code of a file whose name is no name, or is another file's too."""
MAX_CSV_BYTES = 5 * 1024 * 1024
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{2,5}$")
PICTURE_HINT = "resize it: 3,000 pixels on the long side is plenty for print"


def find_root(start: Path | None = None, explicit: Path | None = None) -> Path:
    """The folder holding pressroom.yaml: *explicit*, or *start* and its parents."""
    if explicit is not None:
        if not (explicit / ROOM_FILE).is_file():
            raise RoomNotFound(
                f"{explicit}: no {ROOM_FILE} here (run 'pressroom init {explicit}' to start one)"
            )
        return explicit.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ROOM_FILE).is_file():
            return folder
    raise RoomNotFound(
        f"no {ROOM_FILE} in {here} or any folder above it "
        "(run the command inside a press room, pass --root DIR, or 'pressroom init')"
    )


def _mapping(located: Located, what: str) -> dict[str, Any]:
    if located.data is None:
        raise LoadError([Problem(located.file, f"the file is empty; {what}")])
    if not isinstance(located.data, dict):
        kind = "a list" if isinstance(located.data, list) else "a single value"
        raise LoadError(
            [
                Problem(
                    located.file,
                    f"the file holds {kind}, not a mapping of keys",
                    line=1,
                    column=1,
                    hint=what,
                )
            ]
        )
    return located.data


def _validate(model: type[BaseModel], located: Located, context: dict[str, Any] | None) -> Any:
    try:
        return model.model_validate(located.data, context=context)
    except ValidationError as exc:
        raise LoadError(problems_from(exc, located, model)) from None


def _inside_room(root: Path, path: Path, display: str) -> None:
    """Refuse a file of the room that is a link to somewhere outside it (never read it)."""
    if inside(root, path) is None:
        raise LoadError(
            [
                Problem(
                    display,
                    "is a link to a file outside the press room; pressroom does not read it",
                    hint="replace the link with the file itself",
                    code=OUTSIDE,
                )
            ]
        )


def load_room(root: Path) -> Room:
    """Read and validate pressroom.yaml."""
    _inside_room(root, root / ROOM_FILE, ROOM_FILE)
    located = yamlfile.load(root / ROOM_FILE, ROOM_FILE)
    _mapping(located, "pressroom.yaml needs at least org: {name: ...}")
    if problems := text_problems(located):
        raise LoadError(problems)
    try:
        config: RoomConfig = _validate(RoomConfig, located, {"root": root})
    except LoadError as exc:
        from pressroom.load.traps import room_trap_problems

        problems = exc.problems + room_trap_problems(located.traps)
        raise LoadError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0))) from None
    if config.org.logo and not config.org.logo.path.is_file():
        raise LoadError(
            [
                located.problem(
                    ("org", "logo"),
                    f"no file '{config.org.logo}' in the press room",
                    hint="give a path relative to pressroom.yaml, or remove logo:",
                )
            ]
        )
    if config.org.logo and (too_large := picture_problem(config.org.logo.path)):
        raise LoadError(
            [
                located.problem(
                    ("org", "logo"),
                    f"'{config.org.logo}' {too_large}",
                    hint=PICTURE_HINT,
                    code="image-too-large",
                )
            ]
        )
    return Room(root=root, config=config, traps=located.traps, located=located)


def release_files(room: Room, names: Iterable[str] = ()) -> list[Path]:
    """The release files named (by path, file name or stem), or all of them."""
    available = [
        path
        for path in sorted(room.releases_dir.glob("*.yaml"))
        + sorted(room.releases_dir.glob("*.yml"))
        if not translations.is_translation_file(path)  # loaded with their original
    ]
    wanted = list(names)
    if not wanted:
        return sorted(available)
    stems = {path.stem: path for path in available}
    found: list[Path] = []
    for name in wanted:
        as_path = Path(name)
        if as_path.suffix in (".yaml", ".yml") and as_path.is_file():
            found.append(as_path.resolve())
        elif (room.root / name).is_file():
            found.append((room.root / name).resolve())
        elif as_path.stem in stems:
            found.append(stems[as_path.stem])
        else:
            matches = [path for stem, path in stems.items() if stem.endswith(f"-{name}")]
            if len(matches) == 1:
                found.append(matches[0])
                continue
            raise LoadError(
                [
                    Problem(
                        name,
                        "no such release",
                        hint=(
                            suggestion(name, list(stems)).strip(" ()")
                            or "see the files under releases/"
                        ),
                    )
                ]
            )
    return found


def load_release(room: Room, path: Path, text: str | None = None) -> Release:
    """Read, resolve and validate one release file (or *text*, to be written to *path*)."""
    if path.is_symlink():
        try:
            written = path.absolute().relative_to(room.root.absolute()).as_posix()
        except ValueError:
            written = str(path)
        _inside_room(room.root, path, written)
    display = relative_name(path, room.root)
    _one_name_one_file(path, display)
    if refused := translations.refusal(path, display):
        raise LoadError([refused])
    located = yamlfile.load(path, display) if text is None else yamlfile.parse(text, display)
    data = _mapping(located, "a release needs at least headline: and body:")
    problems: list[Problem] = text_problems(located)
    signatories_file = None
    if isinstance(data.get("signatories"), str):
        with contextlib.suppress(OutsideRoom):
            signatories_file = RoomPath.parse(room.root, data["signatories"], base=path.parent)
        try:
            data["signatories"] = _signatories_csv(room, path, located)
        except LoadError as exc:
            problems.extend(exc.problems)
            del data["signatories"]
    try:
        release: Release = _validate(
            Release, located, release_context(room.config, path.stem, display, room.root)
        )
    except LoadError as exc:
        raise LoadError(_in_order(problems + exc.problems + _traps(located), display)) from None
    release._located = located
    release._signatories_file = signatories_file
    for index, image in enumerate(release.images):
        if shown := pasted_text(str(image.file)):
            problems.append(
                located.problem(
                    ("images", index, "file"),
                    f"holds text ('{shown}'), not the name of a picture file",
                    hint="give the picture's path, e.g. assets/rally.jpg; "
                    "words about it go under caption: or credit:",
                )
            )
        elif not image.file.path.is_file():
            problems.append(
                located.problem(
                    ("images", index, "file"),
                    f"no image '{image.file}' in the press room",
                    hint="give a path relative to pressroom.yaml",
                )
            )
        elif too_large := picture_problem(image.file.path):
            problems.append(
                located.problem(
                    ("images", index, "file"),
                    f"'{image.file}' {too_large}",
                    hint=PICTURE_HINT,
                    code="image-too-large",
                )
            )
    if problems:
        raise LoadError(_in_order(problems + _traps(located), display))
    translations.attach(room, release, path)
    return release


def _traps(located: Located) -> list[Problem]:
    """The YAML traps ``check`` would report, for a file that does not load: the writer
    learns of a #hashtag that cut the headline in the same run as of the missing key."""
    from pressroom.load.traps import costs_words, trap_problem

    return [trap_problem(located.file, trap) for trap in located.traps if costs_words(trap)]


def _in_order(problems: list[Problem], display: str) -> list[Problem]:
    """The release's own problems by line, then those of its signatories CSV."""
    return sorted(problems, key=lambda p: (p.file != display, p.file, p.line or 0, p.column or 0))


def _one_name_one_file(path: Path, display: str) -> None:
    """Refuse a release whose name is no name, or that shares its name with another file.

    The name (the file's stem) is the release's folder in build/, its key in the
    send log and its address: ``...yaml`` would be ``..``, and with ``x.yaml``
    beside ``x.yml`` the preview could show one while ``send`` mails the other.
    """
    if not is_name(path.stem):
        raise LoadError(
            [
                Problem(
                    display,
                    f"{path.stem!r} cannot be a release's name: {NAME_RULE}",
                    hint="rename the file, e.g. releases/2026-11-30-our-news.yaml",
                    code=NAME_CODE,
                )
            ]
        )
    twins = [
        other.name
        for other in (path.with_suffix(".yaml"), path.with_suffix(".yml"))
        if other.name != path.name and (other.is_file() or other.is_symlink())
    ]
    if twins:
        raise LoadError(
            [
                Problem(
                    display,
                    f"the release '{path.stem}' is also in {twins[0]} beside it",
                    hint="keep one file per release name: merge them, or rename or delete one",
                    code=NAME_CODE,
                )
            ]
        )


def load_releases(room: Room, names: Iterable[str] = ()) -> list[Release]:
    """Every named release (or all); every problem of every file reported at once."""
    return load_each(lambda path: load_release(room, path), release_files(room, names))


def pasted_text(name: str) -> str | None:
    """*name*, cut for a message, when it is text pasted where a file name belongs
    (four words or more and no file suffix); None for what may be a file's name."""
    if len(name.split()) < 4 or _SUFFIX.search(name.strip()):
        return None
    name = " ".join(name.split())
    return name if len(name) <= 40 else name[:37] + "..."


def _signatories_csv(room: Room, release_path: Path, located: Located) -> list[dict[str, str]]:
    name = located.data["signatories"]
    if shown := pasted_text(name):
        raise LoadError(
            [
                located.problem(
                    ("signatories",),
                    f"holds text ('{shown}'), not the name of a CSV file of signatories",
                    hint="list the names under signatories:, one '- name: ...' a line, or put "
                    "them in a CSV file with a name column and give its file name",
                )
            ]
        )
    try:
        csv_path = RoomPath.parse(room.root, name, base=release_path.parent).path
    except OutsideRoom as exc:
        raise LoadError(
            [located.problem(("signatories",), f"the signatories file {exc}", code=OUTSIDE)]
        ) from None
    display = relative_name(csv_path, room.root)
    if not csv_path.is_file():
        raise LoadError(
            [
                located.problem(
                    ("signatories",),
                    f"no signatories file '{name}' next to the release",
                    hint=f"create {display} with a name column, or list the names here",
                )
            ]
        )
    text = textfile.read_text(csv_path, display, MAX_CSV_BYTES)
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "name" not in columns:
        raise LoadError(
            [
                Problem(
                    display,
                    "the first line must name the columns, including 'name'",
                    line=1,
                    hint=f"columns: {', '.join(SIGNATORY_COLUMNS)}",
                )
            ]
        )
    rows: list[dict[str, str]] = []
    problems: list[Problem] = []
    for row in reader:
        clean = {
            k.strip().lower(): (v or "").strip()
            for k, v in row.items()
            if k and k.strip().lower() in SIGNATORY_COLUMNS
        }
        if not clean.get("name"):
            if any(clean.values()):
                problems.append(
                    Problem(display, "a row without a name", line=reader.line_num, key="name")
                )
            continue
        if clean.get("url"):
            try:
                SafeUrl.parse(clean["url"])
            except BadLink as exc:
                problems.append(
                    Problem(
                        display,
                        f"the link {exc}",
                        line=reader.line_num,
                        key="url",
                        hint="fix the row in the spreadsheet, or empty its url cell",
                        code=BAD_LINK,
                    )
                )
                continue
        rows.append({k: v for k, v in clean.items() if v})
    if problems:
        raise LoadError(problems)
    return rows

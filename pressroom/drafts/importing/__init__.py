"""``pressroom import``: a draft written elsewhere -> a release file of the room.

:func:`import_document` reads the document (:mod:`.formats`: .docx, .odt,
Markdown or text, sniffed from its bytes), finds the release's structure
(:mod:`.assemble`), then writes, in this order and only when every step can
succeed: the embedded pictures into ``assets/`` (:mod:`.pictures`), the people
the room lacks into pressroom.yaml (:func:`pressroom.drafts.people.add_people`),
and the release through :func:`pressroom.drafts.save.save_release`, under
``releases/<date>-<slug>.yaml`` (a number is added when that name is taken).
When the release cannot be saved, the pictures and pressroom.yaml are put back
as they were.

What the import could not place stays in the body, under a ``# pressroom
import:`` comment that ``check`` warns at (:mod:`pressroom.check.imported`);
:attr:`Imported.warnings` holds those warnings, every person added, and what the
reader noticed (tracked changes accepted, comments left out, a linked picture
not fetched).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pressroom.drafts.import_marks import marks_in
from pressroom.drafts.importing.assemble import assemble
from pressroom.drafts.importing.builder import Found, Unplaced
from pressroom.drafts.importing.formats import read_document
from pressroom.drafts.importing.language import settle_language
from pressroom.drafts.importing.people import NewPerson, Roster
from pressroom.drafts.importing.pictures import picture_format, save_picture
from pressroom.errors import Problem
from pressroom.model.room import Room

IMPORT_CODES = {
    "person": "import-new-person",
    "note": "import-note",
    "picture": "import-picture",
}


@dataclass
class Imported:
    """What an import wrote and found."""

    path: Path
    name: str
    release: dict[str, Any]
    said: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    people: list[NewPerson] = field(default_factory=list)
    pictures: list[Path] = field(default_factory=list)


def release_name(room: Room, day: str, headline: str) -> str:
    """``<date>-<slug>``, with ``-2``, ``-3``... when a release has the name already."""
    from pressroom.drafts.scaffold import slugify

    base = f"{day}-{slugify(headline)}"
    name, number = base, 2
    while any((room.releases_dir / f"{name}{suffix}").exists() for suffix in (".yaml", ".yml")):
        name, number = f"{base}-{number}", number + 1
    return name


def import_document(
    room: Room, data: bytes, display: str, *, suffix: str = "", today: date
) -> Imported:
    """Read the draft *data* (called *display*) and write it into *room* as a new release."""
    from pressroom.drafts.people import add_people, replace
    from pressroom.drafts.save import save_release

    draft = read_document(data, display, suffix)
    language = settle_language(draft, room.config.locale)
    roster = Roster(dict(room.config.people), room.config.org.name)
    found = assemble(draft, room, roster, display)
    release = found.release
    if language is not None:
        release = _with_language(release, language)
        found.said.append(f"language: {language}")
    name = release_name(room, str(release.get("date") or today.isoformat()), release["headline"])
    warnings = [
        Problem(display, note.message, severity="warning", code=IMPORT_CODES["note"])
        for note in draft.notes
    ]
    written: list[Path] = []
    images = []
    for picture, entry in found.pictures:
        extension, why = picture_format(picture.data)
        if extension is None:
            warnings.append(
                Problem(display, f"a picture was not imported: {why}", severity="warning",
                        code=IMPORT_CODES["picture"])
            )  # fmt: skip
            if entry.get("caption"):
                release["body"].append(entry["caption"])
                found.unplaced.append(
                    Unplaced(len(release["body"]) - 1, "a picture", "the caption of a picture "
                             "that was not imported")
                )  # fmt: skip
            continue
        saved = save_picture(room.root, name, picture.data, extension)
        written.append(saved.path)
        images.append({"file": saved.file, **entry})
    if images:
        release = _with_images(release, images)
    before = None
    try:
        if roster.added:
            before = add_people(
                room.root, [(key, person.fields()) for key, person in roster.added.items()]
            )
        save_release(
            room.root, name, release, base_version=None, template=_marked(release, found, display)
        )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        if before is not None:
            replace(room.root / "pressroom.yaml", before)
        raise
    path = room.releases_dir / f"{name}.yaml"
    warnings += _positioned(room, path, found, roster, display)
    return Imported(path, name, release, found.said, warnings, list(roster.added.values()), written)


def _marked(release: dict[str, Any], found: Found, display: str) -> str:
    """The release's text with a comment above each piece the import could not place
    (:mod:`pressroom.drafts.import_marks`: ``check`` warns at it until it is deleted)."""
    import io

    from pressroom.drafts.import_marks import MARK
    from pressroom.drafts.yamltext import styled, yaml_io

    shown = "".join(ch if ch.isprintable() else "?" for ch in display)
    document = styled(release)
    hint = "move it where it belongs or delete it, then delete this comment"
    for item in found.unplaced:
        document["body"].yaml_set_comment_before_after_key(
            item.block,
            before=f"{MARK[2:]} {item.why} ({item.where} of {shown}) was kept here; {hint}",
            indent=2,
        )
    if found.missing_headline:
        document.yaml_set_comment_before_after_key(
            "headline",
            before=f"{MARK[2:]} {shown} has no headline that pressroom could find: this one "
            "stands in; write the real headline, then delete this comment",
            indent=0,
        )
    out = io.StringIO()
    yaml_io().dump(document, out)
    return out.getvalue()


def _with_language(release: dict[str, Any], language: str) -> dict[str, Any]:
    """*release* with ``language:`` after its type (a draft in another language than the room's)."""
    out: dict[str, Any] = {}
    for key, value in release.items():
        out[key] = value
        if key == "type":
            out["language"] = language
    return out


def _with_images(release: dict[str, Any], images: list[dict[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in release.items():
        if key == "draft":
            out["images"] = images
        out[key] = value
    return out


def _positioned(
    room: Room, path: Path, found: Found, roster: Roster, display: str
) -> list[Problem]:
    """The warnings that point into the files written: the release's body, pressroom.yaml."""
    from pressroom.load.yamlfile import load

    problems: list[Problem] = []
    source = f"releases/{path.name}"
    located = load(path, source)
    problems += marks_in(path.read_text(encoding="utf-8"), located, source)
    if roster.added:
        people = load(room.root / "pressroom.yaml", "pressroom.yaml")
        for key, person in roster.added.items():
            problems.append(
                people.problem(
                    ("people", key),
                    f"{person.name} ({person.where} of {display}) was not in pressroom.yaml "
                    "and was added",
                    hint="check their title and organisation, and add an email and phone",
                    severity="warning",
                    code=IMPORT_CODES["person"],
                )
            )
    return problems

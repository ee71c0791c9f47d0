"""Starting points: a new press room (``init``) and a new release (``new``)."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from pressroom.errors import UsageError
from pressroom.load.room import ROOM_FILE
from pressroom.model.release import TYPE_LABELS
from pressroom.model.room import Room

SLUG_WORDS = 8
SLUG_CHARS = 80  # file names stay well under the 255 bytes file systems allow


def slugify(text: str) -> str:
    """``"Coalition Demands 'Answers' Now"`` -> ``coalition-demands-answers-now``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:SLUG_WORDS])[:SLUG_CHARS].strip("-") or "release"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pressroom", "templates"),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


GITIGNORE = """\
# What pressroom makes: rebuilt from the releases at any time
build/
site/
# The send log, the outbox and the preview's cache: they hold journalists' addresses
.pressroom/
# Secrets (SENDGRID_API_KEY, PGPASSWORD...) stay out of git
.env

# Media lists hold journalists' names and addresses: personal data (GDPR). Git
# history is forever: an address committed once cannot be erased on request
# (`pressroom contacts forget` cleans the files and the send log, not history).
# Keep the lists out of git unless your team decides otherwise and deletes this line:
contacts/
"""
"""The room's .gitignore: every line says why."""


def init_room(folder: Path, answers: Mapping[str, str] | None = None) -> list[Path]:
    """Write a working press room into *folder*; never overwrite a file.

    *answers*: values of pressroom.yaml by the option of ``init`` that gives them
    (:data:`pressroom.drafts.init_answers.QUESTIONS`); the others keep the example values,
    which ``check`` refuses until they are replaced.
    """
    files = {
        folder / ROOM_FILE: room_file_text(answers or {}),
        folder / "releases" / ".gitkeep": "",
        folder / "contacts" / "press.csv": "email,name,first_name,outlet,beat,tags\n",
        folder / "templates" / ".gitkeep": "",
        folder / ".gitignore": GITIGNORE,
    }
    existing = [path for path in files if path.exists() and path.name != ".gitkeep"]
    if existing:
        raise UsageError(
            f"{existing[0]} already exists: pressroom init never overwrites files "
            "(choose an empty folder)"
        )
    written = []
    for path, text in files.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def room_file_text(answers: Mapping[str, str]) -> str:
    """pressroom.yaml as ``init`` writes it: the commented template, with *answers*."""
    from pressroom.drafts.init_answers import answered
    from pressroom.drafts.yamltext import rendered
    from pressroom.load import yamlfile

    text: str = _environment().loader.get_source(  # type: ignore[union-attr]
        _environment(), "init/pressroom.yaml"
    )[0]
    if not answers:
        return text
    template = yamlfile.parse(text, ROOM_FILE).data
    text = rendered(text, template, answered(template, answers))
    _refuse_invalid(text)
    return text


def _refuse_invalid(text: str) -> None:
    """:class:`LoadError` naming the option of every answer pressroom.yaml cannot take."""
    import dataclasses
    import tempfile

    from pressroom.drafts.init_answers import QUESTIONS
    from pressroom.errors import LoadError
    from pressroom.load.room import load_room
    from pressroom.model.located import key_name

    options = {key_name(q.path): q.option for q in QUESTIONS}
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / ROOM_FILE).write_text(text, encoding="utf-8")
        try:
            load_room(Path(folder))
        except LoadError as exc:
            raise LoadError(
                [
                    dataclasses.replace(p, hint=f"give another --{options[p.key]}")
                    if p.key in options
                    else p
                    for p in exc.problems
                ]
            ) from None


class ReleaseExists(UsageError):
    """``pressroom new`` would write over a file: it never does."""


def new_release(room: Room, kind: str, headline: str, day: date) -> Path:
    """Create ``releases/<date>-<slug>.yaml`` from the commented template for *kind*."""
    if kind not in TYPE_LABELS:
        raise UsageError(f"unknown type '{kind}': choose from {', '.join(TYPE_LABELS)}")
    if not headline.strip():
        raise UsageError('give the headline, e.g. pressroom new "City Council Votes ..."')
    if any(unicodedata.category(char) == "Cc" for char in headline):
        raise UsageError("the headline holds a line break or a control character: write one line")
    path = room.releases_dir / f"{day.isoformat()}-{slugify(headline)}.yaml"
    if path.exists():
        raise ReleaseExists(
            f"{path.relative_to(room.root)} already exists: edit it, or pick another headline"
        )
    contact = room.config.contacts[0] if room.config.contacts else ""
    template = starter_template(kind, room.config.locale)
    text = (
        _environment()
        .get_template(template)
        .render(headline=headline.strip(), date=day.isoformat(), contact=contact)
    )
    from pressroom.drafts.save import StaleVersion, save_release
    from pressroom.load import yamlfile

    data = yamlfile.parse(text, template).data
    try:
        save_release(room.root, path.stem, data, base_version=None, template=text)
    except StaleVersion:
        raise ReleaseExists(
            f"{path.relative_to(room.root)} already exists: edit it, or pick another headline"
        ) from None
    return path


def starter_languages() -> list[str]:
    """The languages with starter releases of their own (``templates/new/<lang>/``)."""
    folder = Path(__file__).resolve().parent.parent / "templates" / "new"
    return sorted(path.name for path in folder.iterdir() if path.is_dir())


def starter_template(kind: str, locale: str) -> str:
    """The template ``pressroom new`` fills for *kind* in a room of *locale*: the
    language's own (``new/de/press-release.yaml``), else the English one."""
    from pressroom.i18n.language import primary_language

    language = primary_language(locale)
    return f"new/{language}/{kind}.yaml" if language in starter_languages() else f"new/{kind}.yaml"


# -- the starter text ------------------------------------------------------------------

STARTER_WORDS = 3
"""Values of the templates with fewer words ("Sincerely,", "UPDATE") are real text."""
WHOLE_VALUE_WORDS = 6
"""Shorter starter texts ("The name of the place") count only as a whole value."""
_SENTINEL = {"headline": "pressroom-sentinel-headline", "date": "1999-12-31"}
_KEY = re.compile(r"^[A-Za-z_][\w-]*$")
_COMMENTED = re.compile(r"^(?P<indent>[ \t]*)#(?: |$)(?P<rest>.*)$")


STARTER_FILE = Path(__file__).resolve().parent.parent / "templates" / "new" / "starter-texts.txt"
""":func:`found_starter_texts`, one a line, sorted: written by ``script/starter-texts``
when the templates of ``new`` change (a test fails while it is out of date)."""


@lru_cache(maxsize=1)
def starter_texts() -> frozenset[str]:
    """Every placeholder sentence the templates of ``pressroom new`` write.

    Read from :data:`STARTER_FILE` (finding them in the templates takes a quarter
    of a second, and ``check`` and ``send`` need them every time), or found
    anew if it is missing.
    """
    try:
        return frozenset(STARTER_FILE.read_text(encoding="utf-8").splitlines())
    except OSError:
        return found_starter_texts()


def write_starter_texts() -> None:
    """Write :data:`STARTER_FILE` from the templates (``script/starter-texts``)."""
    texts = "".join(text + "\n" for text in sorted(found_starter_texts()))
    STARTER_FILE.write_text(texts, encoding="utf-8")


def found_starter_texts() -> frozenset[str]:
    """Every placeholder sentence the templates of ``pressroom new`` write, found in
    the templates themselves: their values, and the values of the commented-out
    examples a writer uncomments, each with its spaces normalised."""
    from pressroom.errors import LoadError
    from pressroom.load import yamlfile

    env = _environment()
    texts: set[str] = set()
    templates = [
        f"new/{prefix}{kind}.yaml"
        for prefix in ("", *(f"{language}/" for language in starter_languages()))
        for kind in TYPE_LABELS
    ]
    for template in templates:
        for contact in ("", "pressroom-sentinel-contact"):
            source = env.get_template(template).render(**_SENTINEL, contact=contact)
            for chunk in [source, *_commented_chunks(source)]:
                try:
                    data = yamlfile.parse(chunk, template).data
                except LoadError:
                    continue
                if isinstance(data, dict | list):  # not the explanations in comments
                    texts.update(_strings(data))
    return frozenset(
        text
        for text in texts
        if len(text.split()) >= STARTER_WORDS
        and not any(value in text for value in (*_SENTINEL.values(), "pressroom-sentinel"))
    )


def starter_text_in(value: str) -> str | None:
    """The starter text *value* still holds, if any."""
    text = " ".join(value.split())
    for starter in starter_texts():
        if text == starter or (len(starter.split()) >= WHOLE_VALUE_WORDS and starter in text):
            return starter
    return None


def _strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield " ".join(data.split())
    elif isinstance(data, dict):
        for key, value in data.items():
            if _KEY.match(str(key)):  # a key, not a sentence of an explanation
                yield from _strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)


def _commented_chunks(source: str) -> Iterator[str]:
    """Each run of commented-out lines, uncommented; and each of its top-level pieces."""
    run: list[str] = []
    for line in [*source.splitlines(), ""]:
        commented = _COMMENTED.match(line)
        if commented:
            run.append(commented["indent"] + commented["rest"])
            continue
        if run:
            text = textwrap.dedent("\n".join(run))
            yield text
            piece: list[str] = []
            for part in text.splitlines():
                if piece and part[:1] not in (" ", ""):
                    yield "\n".join(piece)
                    piece = []
                piece.append(part)
            yield "\n".join(piece)
            run = []

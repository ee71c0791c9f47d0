"""Translations as sibling files (releases/<name>.<lang>.yaml): loading, check, translate."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.check.rules import check_release
from pressroom.clock import now
from pressroom.errors import LoadError
from pressroom.load.room import load_release, load_releases, load_room, release_files
from pressroom.sendlog.version import release_version
from tests.cli_runner import run

ORIGINAL = """\
    status: embargoed
    embargo: 2026-11-30 09:00 America/New_York
    dateline: OAKLAND, Calif.
    headline: City Council Votes to Keep Parks Open at Night
    body:
      - The city council voted on Tuesday to keep every public park open until midnight,
        reversing a curfew that had closed them at dusk since 2019. Parks across the city
        will stay lit and staffed through the summer, the council said.
      - quote: dana-reyes
        text: Parks belong to the people who use them, and night is when many of us can.
      - heading: What changes
      - Lights and staff will be added in forty parks, starting with the ones near transit
        stops and schools, where neighbours asked for them first.
    images:
      - {file: assets/park.png, caption: A park at night., alt: Lamps along a path.}
    distribution:
      lists: [press]
"""

GERMAN = """\
    headline: Stadtrat beschließt nächtliche Öffnung der Parks
    body:
      - Der Stadtrat hat am Dienstag beschlossen, alle öffentlichen Parks bis Mitternacht
        offen zu halten. Damit endet eine Sperrstunde, die die Anlagen seit 2019 bei
        Einbruch der Dunkelheit schloss. Die Parks bleiben den Sommer über beleuchtet.
      - quote: dana-reyes
        text: Parks gehören den Menschen, die sie nutzen, und viele von uns können erst abends.
      - heading: Was sich ändert
      - In vierzig Parks kommen Beleuchtung und Personal hinzu, zuerst in der Nähe von
        Haltestellen und Schulen, wo die Nachbarschaft am längsten darum gebeten hat.
    images:
      - {caption: Ein Park bei Nacht., alt: Laternen an einem Weg.}
"""

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
def room_with(make_room):
    def make(german: str | None = GERMAN, **extra: str) -> Path:
        files = {
            "releases/2026-11-30-parks.yaml": ORIGINAL,
            "contacts/press.csv": "email,name,first_name,language\n",
            "assets/park.png": PNG,
            **extra,
        }
        if german is not None:
            files["releases/2026-11-30-parks.de.yaml"] = german
        return make_room(files)

    return make


def _load(root: Path, name: str = "parks"):
    room = load_room(root)
    [path] = release_files(room, [name])
    return room, load_release(room, path)


def test_a_sibling_file_is_the_translation_and_takes_every_fact_from_the_original(room_with):
    room, release = _load(room_with())
    assert [p.name for p in release_files(room)] == ["2026-11-30-parks.yaml"]
    german = release.translations.by_language["de"]
    assert german.name == "2026-11-30-parks.de"
    assert german.language == "de"
    assert german.headline == "Stadtrat beschließt nächtliche Öffnung der Parks"
    assert german.body[1].text.startswith("Parks gehören")
    assert german.body[1].quote.name == "Dana Reyes"
    assert german.images[0].caption == "Ein Park bei Nacht."
    assert german.images[0].file == release.images[0].file
    assert (german.status, german.embargo, german.distribution.lists) == (
        "embargoed",
        release.embargo,
        ["press"],
    )
    assert german.dateline == "OAKLAND, Calif."  # not translated: the original's


def test_a_translation_that_sets_a_fact_is_a_check_error_naming_the_key_and_line(room_with):
    root = room_with(GERMAN + "    status: immediate\n    distribution: {lists: [other]}\n")
    room, release = _load(root)
    errors = [p for p in check_release(room, release, now()) if p.severity == "error"]
    texts = [str(p) for p in errors]
    assert any(
        t.startswith(
            "releases/2026-11-30-parks.de.yaml:13:1: error: status: a translation "
            "holds text only; status comes from releases/2026-11-30-parks.yaml"
        )
        for t in texts
    ), texts
    assert any(
        ".de.yaml:14:" in t and "error: distribution.lists: a translation holds text only" in t
        for t in texts
    ), texts
    assert all(p.code == "translation-key" for p in errors)
    assert "de" not in release.translations.by_language


def test_a_body_of_another_shape_points_at_the_block(room_with):
    swapped = GERMAN.replace("quote: dana-reyes", "quote: someone-else").replace(
        "      - heading: Was sich ändert\n", "      - Was sich ändert\n"
    )
    room, release = _load(room_with(swapped))
    errors = [str(p) for p in check_release(room, release, now()) if p.severity == "error"]
    assert any(":6:5: error: body[1].quote: quotes someone-else where" in e for e in errors), errors
    assert any(
        ":8:5: error: body[2]: is a paragraph where releases/2026-11-30-parks.yaml "
        "has a heading" in e
        for e in errors
    ), errors
    shorter = GERMAN.replace("      - heading: Was sich ändert\n", "")
    room, release = _load(room_with(shorter))
    errors = [str(p) for p in check_release(room, release, now()) if p.severity == "error"]
    assert any(
        "body: has 3 blocks, the body of releases/2026-11-30-parks.yaml has 4" in e for e in errors
    ), errors


def test_dotted_names_other_than_translations_stay_refused(room_with):
    root = room_with(
        **{"releases/2026-11-30-v1.2.yaml": ORIGINAL, "releases/2026-11-30-gone.fr.yaml": GERMAN}
    )
    with pytest.raises(LoadError) as caught:
        load_releases(load_room(root))
    messages = [str(p) for p in caught.value.problems]
    assert any(
        "2026-11-30-v1.2.yaml: error: '2026-11-30-v1.2' cannot be a release's name: a dot" in m
        for m in messages
    ), messages
    assert any(
        "2026-11-30-gone.fr.yaml: error: is a translation (fr) of "
        "releases/2026-11-30-gone.yaml, which does not exist" in m
        for m in messages
    )


def test_the_version_covers_the_translations_text(room_with):
    root = room_with()
    room, release = _load(root)
    before = release_version(room, release)
    (root / "releases/2026-11-30-parks.de.yaml").write_text(
        GERMAN.replace("Ein Park bei Nacht.", "Ein Park am Abend.")
        .replace("    ", "", 1)
        .replace("\n    ", "\n"),
        encoding="utf-8",
    )
    room, release = _load(root)
    assert release_version(room, release) != before


def test_translate_writes_the_sibling_and_check_names_the_keys_changed_since(room_with, capsys):
    root = room_with(german=None)
    result = run(capsys, root, "translate", "parks", "--to", "de")
    assert result.code == 0, result.err
    path = root / "releases/2026-11-30-parks.de.yaml"
    text = path.read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert keys == ["dateline", "headline", "body", "images", "translates"]
    assert "translates:\n  version: " in text
    room, release = _load(root)
    german = release.translations.by_language["de"]
    assert german.headline == release.headline  # the original's text, in place
    assert not german.translation.stale
    assert not [p for p in check_release(room, release, now()) if p.code.startswith("transl")]

    again = run(capsys, root, "translate", "parks", "--to", "de")
    assert again.code == 2 and "exists already" in again.err

    original = root / "releases/2026-11-30-parks.yaml"
    original.write_text(
        original.read_text().replace("Keep Parks Open at Night", "Keep Parks Open Late"),
        encoding="utf-8",
    )
    checked = run(capsys, root, "check")
    assert (
        "releases/2026-11-30-parks.de.yaml:" in checked.err
        and "warning: translates: releases/2026-11-30-parks.yaml changed since this was "
        "translated: headline;"
        in checked.err
    ), checked.err

    marked = run(capsys, root, "translate", "parks", "--to", "de", "--update")
    assert marked.code == 0, marked.err
    assert path.read_text(encoding="utf-8").split("translates:")[0] == text.split("translates:")[0]
    assert "translation-stale" not in run(capsys, root, "check").err


def test_translate_refuses_the_original_language_and_unknown_tags(room_with, capsys):
    root = room_with(german=None)
    assert "written in en-US" in run(capsys, root, "translate", "parks", "--to", "en-GB").err
    assert "not a language tag" in run(capsys, root, "translate", "parks", "--to", "zz").err


def test_build_renders_each_translation_beside_its_original(room_with, capsys):
    from pypdf import PdfReader

    root = room_with()
    result = run(capsys, root, "build", "parks", "--format", "pdf,txt")
    assert result.code == 0, result.err
    folder = root / "build" / "2026-11-30-parks.de"
    text = " ".join(PdfReader(folder / "2026-11-30-parks.de.pdf").pages[0].extract_text().split())
    assert "Stadtrat beschließt nächtliche Öffnung der Parks" in text
    assert "Parks gehören den Menschen" in text
    assert (root / "build" / "2026-11-30-parks" / "2026-11-30-parks.pdf").is_file()

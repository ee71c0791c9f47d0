"""Drafts in German and French (and the other languages pressroom writes) import.

The round trip of issue 17, item 7, in other languages: every example release
rendered with ``language: de`` / ``language: fr`` to .docx by ``pressroom
build`` imports back to the same release (tests/import_canon.py), with
``language:`` set because the room is English; in a German room (``locale:
de_DE``) the same release comes back without ``language:``, the room's own.
Then hand-written drafts shaped like the seeds (a breaking release as text in
German, an open letter as Markdown in French; tests/imports/*.de.txt,
*.fr.md), and the pieces the recognisers read (release lines, dates and times,
attributions, labels) in every language.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from pressroom.drafts.importing import front, import_document, quotes
from pressroom.drafts.importing.back import about, contact_label
from pressroom.drafts.importing.language import detect_language
from pressroom.drafts.importing.moments import parse_moment_text, parse_span_text
from pressroom.load.room import load_release, load_room, release_files
from pressroom.render.build import build

from .conftest import REPO, MakeRoom
from .import_canon import canonical
from .test_import_text import _import

HERE = Path(__file__).parent / "imports"
EXAMPLES = [p.stem for p in sorted((REPO / "releases").glob("*.yaml")) if "." not in p.stem]


def _room(tmp_path: Path, name: str, locale: str | None) -> Path:
    root = tmp_path / name
    root.mkdir()
    text = (REPO / "pressroom.yaml").read_text(encoding="utf-8")
    if locale is not None:
        text = re.sub(r"^locale: .*$", f"locale: {locale}", text, flags=re.M)
        assert f"locale: {locale}" in text
    (root / "pressroom.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "releases").mkdir()
    shutil.copytree(REPO / "releases" / "signatories", root / "releases" / "signatories")
    return root


def _round_trip(tmp_path: Path, stem: str, language: str | None, locale: str | None) -> str | None:
    source = _room(tmp_path, "source", locale)
    text = (REPO / "releases" / f"{stem}.yaml").read_text(encoding="utf-8")
    if language is not None:
        text = re.sub(r"^headline:", f"language: {language}\nheadline:", text, count=1, flags=re.M)
    (source / "releases" / f"{stem}.yaml").write_text(text, encoding="utf-8")
    room = load_room(source)
    [path] = release_files(room, [stem])
    original = load_release(room, path)
    built = build(room, [original], tmp_path / "build", ["docx"], workers=1)
    [docx] = [f for f in built[0].files if f.suffix == ".docx"]

    target = _room(tmp_path, "target", locale)
    done = import_document(
        load_room(target), docx.read_bytes(), docx.name, suffix=".docx", today=date(2026, 1, 1)
    )
    assert not [w for w in done.warnings if w.code == "import-unplaced"], done.warnings
    target_room = load_room(target)
    imported = load_release(target_room, done.path)
    want, got = canonical(room, original), canonical(target_room, imported)
    for key in want:
        assert got[key] == want[key], key
    return imported.language


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_docx_in_another_language_imports_back(tmp_path: Path, name: str, language: str) -> None:
    assert _round_trip(tmp_path, name, language, None) == language


@pytest.mark.parametrize("name", EXAMPLES)
def test_docx_of_a_german_room_imports_back_without_language(tmp_path: Path, name: str) -> None:
    assert _round_trip(tmp_path, name, None, "de_DE") is None


@pytest.mark.parametrize("language", ["es", "it", "nl", "pt"])
def test_docx_in_other_languages_imports_back(tmp_path: Path, language: str) -> None:
    stem = "2026-12-02-advisory-petition-delivery"  # release line, WHAT/WHEN/WHERE, contact
    assert _round_trip(tmp_path, stem, language, None) == language


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def test_german_breaking_text_draft(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_room()
    source = (HERE / "breaking-draft.de.txt").read_text(encoding="utf-8")
    (root / "entwurf.txt").write_text(source, encoding="utf-8")
    result, path, data = _import(capsys, root, "entwurf.txt")
    assert (data["language"], data["status"], data["type"]) == ("de", "breaking", "press-release")
    assert (data["dateline"], data["date"]) == ("HAMBURG", "2026-03-12")
    assert (
        data["headline"] == "Mieterbund Nordhafen fordert Ende der Gesichtserkennung an Haustüren"
    )
    assert data["subheadline"].startswith("Hausverwaltung soll die Aufnahmen")
    first, second = (block for block in data["body"] if isinstance(block, dict))
    assert first["quote"] == "jana-kohler"
    assert first["text"].startswith("Wer nach Hause kommt")
    assert first["text"].endswith("nie gefragt.")
    assert second["quote"] == "emre-yldz"
    assert second["text"] == (
        "Eine Pause reicht nicht. Die Daten müssen gelöscht werden, und zwar vollständig."
    )
    assert data["ps"].startswith("Unterstützen Sie die Kampagne #OffeneTüren")
    assert data["boilerplate"].startswith("Der Mieterbund Nordhafen berät seit 1998")
    assert "contacts" not in data  # the room's own media contact
    room = load_room(root)
    kohler = room.config.people["jana-kohler"]
    assert (kohler.name, kohler.title) == ("Jana Köhler", "Sprecherin des Mieterbunds Nordhafen")
    yildiz = room.config.people["emre-yldz"]
    assert (yildiz.title, yildiz.org) == ("Vorsitzender", "Mieterinitiative Altona")
    written = path.read_text(encoding="utf-8") + (root / "pressroom.yaml").read_text()
    furniture = _words(
        "EILMELDUNG Zur sofortigen Veröffentlichung 12 März 2026 sagte PS Pressekontakt Über den"
    )
    assert _words(source) - _words(written) - furniture == set()
    load_release(room, path)  # it loads


def test_french_open_letter_markdown_draft(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_room()
    source = (HERE / "open-letter-draft.fr.md").read_text(encoding="utf-8")
    (root / "lettre.md").write_text(source, encoding="utf-8")
    result, path, data = _import(capsys, root, "lettre.md")
    assert (data["language"], data["type"]) == ("fr", "open-letter")
    assert (data["status"], data["embargo"]) == ("embargoed", "2026-03-10 10:00 Europe/Paris")
    assert (data["dateline"], data["date"]) == ("PARIS", "2026-03-10")
    assert data["salutation"] == "Madame la Présidente,"
    assert data["closing"].startswith("Nous vous prions d'agréer")
    assert data["signatories"] == [
        "Collectif Rails Libres",
        "Ligue des usagers du Grand Est",
        "Association Vie privée d'abord",
    ]
    quote = next(block for block in data["body"] if isinstance(block, dict))
    assert quote == {
        "quote": "claire-martin",
        "text": "Un tramway n'est pas un poste de contrôle. Nous voulons voyager sans être fichés.",
    }
    assert "**reconnaissance faciale**" in data["body"][0]
    assert data["body"][1].endswith("rendue publique : pourquoi ?")
    martin = load_room(root).config.people["claire-martin"]
    assert (martin.title, martin.org) == ("présidente", "Collectif Rails Libres")
    assert "import-unplaced" not in result.err
    written = path.read_text(encoding="utf-8") + (root / "pressroom.yaml").read_text()
    furniture = _words(
        "Sous embargo jusqu'au mardi 10 mars 2026 à 10 h HNEC le Contact presse Signataires"
    )
    assert _words(source) - _words(written) - furniture == set()


def test_a_german_draft_in_a_german_room_gets_no_language(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    from .conftest import MINIMAL_ROOM

    root = make_room(room=MINIMAL_ROOM.replace("locale: en_US", "locale: de_DE"))
    (root / "entwurf.txt").write_text((HERE / "breaking-draft.de.txt").read_text("utf-8"), "utf-8")
    result, path, data = _import(capsys, root, "entwurf.txt")
    assert "language" not in data
    assert data["status"] == "breaking"


@pytest.mark.parametrize(
    ("line", "status", "embargo"),
    [
        ("Zur sofortigen Veröffentlichung", "immediate", None),
        ("Sperrfrist: Mittwoch, 9. Dezember 2026, 10:00 Uhr MEZ", "embargoed",
         "2026-12-09 10:00 Europe/Berlin"),
        ("Sperrfrist bis 10 Uhr, 9. Dezember 2026", "embargoed", "2026-12-09 10:00"),
        ("EILMELDUNG – Zur sofortigen Veröffentlichung", "breaking", None),
        ("Pour diffusion immédiate", "immediate", None),
        ("Sous embargo jusqu’au mardi 10 mars 2026 à 10 h 30", "embargoed", "2026-03-10 10:30"),
        ("INFORMATIONS SOUS EMBARGO JUSQU'AU 10 MARS 2026 À 9H", "embargoed", "2026-03-10 09:00"),
        ("URGENT — Pour diffusion immédiate", "breaking", None),
        ("Para difusión inmediata", "immediate", None),
        ("Bajo embargo hasta el 1 de diciembre de 2026, 10:00", "embargoed", "2026-12-01 10:00"),
        ("Embargo fino alle 10:00 del 1 dicembre 2026", "embargoed", "2026-12-01 10:00"),
        ("Per diffusione immediata", "immediate", None),
        ("Embargo tot 1 december 2026, 10.00 uur", "embargoed", "2026-12-01 10:00"),
        ("Voor onmiddellijke publicatie", "immediate", None),
        ("Sob embargo até 1 de dezembro de 2026, 10h00", "embargoed", "2026-12-01 10:00"),
        ("Para divulgação imediata", "immediate", None),
        ("FOR IMMEDIATE RELEASE", "immediate", None),
    ],
)  # fmt: skip
def test_release_lines(line: str, status: str, embargo: str | None) -> None:
    found = front.release_line(line, "America/New_York")
    assert found is not None
    assert (found.status, found.embargo) == (status, embargo)


def test_prose_is_no_release_line() -> None:
    for text in ("Zur Veröffentlichung des Berichts sagte der Senat nichts.", "Über uns hinaus."):
        assert front.release_line(text, "UTC") is None


@pytest.mark.parametrize(
    ("text", "place", "day"),
    [
        ("BERLIN, 26. März 2019 – Der Senat", "BERLIN", date(2019, 3, 26)),
        ("PARIS, le 10 mars 2026 – La ville", "PARIS", date(2026, 3, 10)),
        ("MADRID, 1 de diciembre de 2026.– El ayuntamiento", "MADRID", date(2026, 12, 1)),
        ("ROMA, 1 dicembre 2026 – Il comune", "ROMA", date(2026, 12, 1)),
        ("AMSTERDAM, 1 december 2026 – De gemeente", "AMSTERDAM", date(2026, 12, 1)),
        ("LISBOA, 1 de dezembro de 2026 – A câmara", "LISBOA", date(2026, 12, 1)),
        ("ZÜRICH, 3. Januar 2027 – Die Stadt", "ZÜRICH", date(2027, 1, 3)),
        ("BALTIMORE, Md., Dec. 1, 2026 — The city", "BALTIMORE, Md.", date(2026, 12, 1)),
    ],
)
def test_datelines(text: str, place: str, day: date) -> None:
    found = front.dateline(text)
    assert found is not None
    assert found[:2] == (place, day)


@pytest.mark.parametrize(
    "text",
    [
        '"Wir bleiben dran", sagte Jana Köhler, Sprecherin.',
        '"Wir bleiben dran", so Jana Köhler.',
        '"Wir bleiben dran", erklärt Jana Köhler.',
        '"Nous restons mobilisés", déclare Claire Martin, présidente.',
        '"Nous restons mobilisés", a déclaré Claire Martin.',
        '"Seguiremos", dijo Lucía Gómez.',
        '"Continueremo", ha detto Marco Rossi.',
        '"We blijven", zei Sanne de Vries.',
        '"Vamos continuar", disse João Silva.',
    ],
)
def test_attributions(text: str) -> None:
    found = quotes.said_after(text)
    assert found is not None
    assert found[1].split(",")[0] in {
        "Jana Köhler", "Claire Martin", "Lucía Gómez", "Marco Rossi", "Sanne de Vries",
        "João Silva",
    }  # fmt: skip


def test_labels_at_the_end() -> None:
    for text in ("Über Sidewalk Commons", "À propos de Sidewalk Commons", "Acerca de X",
                 "Sobre X", "Chi siamo", "Over X", "Informazioni su X"):  # fmt: skip
        assert about(text), text
    for text in ("Pressekontakt:", "Contact presse", "Contacto de prensa", "Ufficio stampa",
                 "Perscontact", "Contacto de imprensa"):  # fmt: skip
        assert contact_label(text) == "", text
    assert not about("Übersicht der Maßnahmen")


def test_times_and_spans() -> None:
    assert parse_moment_text("le 10 mars 2026 à 10 h", "Europe/Paris") == "2026-03-10 10:00"
    assert parse_span_text("Freitag, 4. Dezember 2026, 10:00 – 11:30 Uhr", "Europe/Berlin") == (
        "2026-12-04 10:00",
        "2026-12-04 11:30",
    )


def test_language_detection() -> None:
    assert detect_language(["Zur sofortigen Veröffentlichung", "Pressekontakt"], None) == "de"
    assert detect_language(["Pour diffusion immédiate", "Contact presse"], "de-DE") == "fr"
    assert detect_language(["FOR IMMEDIATE RELEASE", "Media contact"], None) == "en"
    assert detect_language(["Hello"], "fr-FR") == "fr-FR"
    assert detect_language(["Hello"], None) is None
    # a German-tagged document with German labels keeps its region
    assert detect_language(["Pressekontakt"], "de-AT") == "de-AT"


def test_hostile_lines_stay_linear() -> None:
    """A paragraph of 50,000 capitals (a dateline candidate) or 100,000 opening quote
    marks is read in well under a second each; quadratic matching took minutes."""
    import time

    from pressroom.drafts.importing.language import plain_typography
    from pressroom.drafts.importing.markdown import Run

    start = time.monotonic()
    assert front.dateline("A" * 50_000) is None
    assert front.place_and_date("A" * 50_000 + ", 1") is None
    runs = plain_typography([Run("\u201e" * 100_000 + "\u201c")], "de")
    assert runs[0].text.startswith('"\u201e') and runs[0].text.endswith('"')
    assert time.monotonic() - start < 10


def test_odt_names_its_language(make_room: MakeRoom, capsys: pytest.CaptureFixture[str]) -> None:
    """An OpenDocument draft's ``fo:language``/``fo:country`` give the region with the language."""
    import io
    import zipfile

    from .test_import_text import NS

    styles = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS} office:version="1.3"><office:styles>
<style:default-style style:family="paragraph">
  <style:text-properties fo:language="de" fo:country="AT"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph"/>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard"/>
</office:styles></office:document-styles>"""
    paragraphs = [
        ("Title", "Stadtrat stoppt Gesichtserkennung im Bus"),
        ("", "WIEN, 3. Februar 2027 – Der Stadtrat hat die Kameras abgeschaltet."),
        ("", "Pressekontakt"),
        ("", "Dana Reyes, dana@example.org"),
    ]
    body = "".join(
        f'<text:p text:style-name="{style}">{words}</text:p>'
        if style
        else f"<text:p>{words}</text:p>"
        for style, words in paragraphs
    )
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS} office:version="1.3"><office:body><office:text>{body}
</office:text></office:body></office:document-content>"""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("styles.xml", styles)
        zf.writestr("content.xml", content)
    root = make_room()
    (root / "entwurf.odt").write_bytes(out.getvalue())
    result, path, data = _import(capsys, root, "entwurf.odt")
    assert data["language"] == "de-AT"
    assert (data["dateline"], data["date"]) == ("WIEN", "2027-02-03")
    assert data["body"] == ["Der Stadtrat hat die Kameras abgeschaltet."]

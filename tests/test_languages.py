"""A release in the room's language, or its own: labels, quote marks, dates.

The same release is rendered in German and French rooms and compared with what a
native press officer writes (never with the English translated back).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.i18n.labels import words_for
from pressroom.i18n.language import language_tag, primary_language, release_language
from pressroom.load.room import load_release, load_room
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.context import Document, document
from pressroom.render.email import render_email
from pressroom.render.environment import make_environment
from tests.conftest import MINIMAL_ROOM, MakeRoom

NNBSP = "\u202f"

RELEASE = """\
status: embargoed
embargo: 2026-12-09 10:00 Europe/Berlin
dateline: BERLIN
headline: "Neue Regeln für Kameras"
body:
  - Der Stadtrat hat heute "neue Regeln" beschlossen. Stimmt das? Ja!
  - quote: dana-reyes
    text: Das ist ein guter Tag.
  - Mehr unter https://example.org/?a=1 um 10:00 Uhr.
distribution:
  lists: []
"""


def room_in(make_room: MakeRoom, locale: str, release: str = RELEASE, extra: str = "") -> Path:
    config = MINIMAL_ROOM.replace("locale: en_US", f"locale: {locale}") + extra
    return make_room({"releases/2026-12-08-kameras.yaml": release}, room=config)


def loaded(root: Path, name: str = "2026-12-08-kameras") -> tuple[Room, Release]:
    room = load_room(root)
    return room, load_release(room, root / "releases" / f"{name}.yaml")


def doc_of(root: Path, name: str = "2026-12-08-kameras") -> Document:
    return document(*loaded(root, name))


def test_language_tags() -> None:
    assert [primary_language(t) for t in ("de-AT", "de_DE", "DE", "pt-br")] == ["de"] * 3 + ["pt"]
    assert language_tag("de_at") == "de-AT"
    assert language_tag("pt-BR") == "pt-BR"
    with pytest.raises(ValueError, match="BCP 47"):
        language_tag("deutsch")


def test_the_release_line_subject_and_labels_in_german(make_room: MakeRoom) -> None:
    doc = doc_of(room_in(make_room, "de_DE"))
    assert doc.language == "de-DE"
    assert doc.type_label == "Pressemitteilung"
    assert doc.release_line == "Sperrfrist: Mittwoch, 9. Dezember 2026, 10:00 Uhr MEZ"
    assert doc.subject.startswith("Sperrfrist: Mittwoch, 9. Dezember 2026, 10:00 Uhr MEZ – Neue")
    assert doc.lead_in == "BERLIN, 8. Dezember 2026 \u2013"
    assert doc.about_heading == "Über Example Justice Network"
    quote = next(b for b in doc.blocks if b.kind == "quote")
    assert quote.rich is not None and quote.rich.text.startswith(
        "\u201eDas ist ein guter Tag.\u201c"
    )
    assert "\u201eneue Regeln\u201c" in doc.blocks[0].rich.text  # type: ignore[union-attr]


def test_the_release_line_subject_and_labels_in_french(make_room: MakeRoom) -> None:
    doc = doc_of(room_in(make_room, "fr_FR"))
    assert doc.type_label == "Communiqué de presse"
    assert doc.release_line.startswith("Sous embargo jusqu’au mercredi 9 décembre 2026 à 10:00")
    quote = next(b for b in doc.blocks if b.kind == "quote")
    assert quote.rich is not None
    assert quote.rich.text.startswith(f"«{NNBSP}Das ist ein guter Tag.{NNBSP}»")
    first = doc.blocks[0].rich.text  # type: ignore[union-attr]
    assert f"Stimmt das{NNBSP}? Ja{NNBSP}!" in first
    last = doc.blocks[2].rich.text  # type: ignore[union-attr]
    assert "https://example.org/?a=1" in last and "10:00" in last  # no space in URLs or times


def test_a_release_may_speak_its_own_language(make_room: MakeRoom) -> None:
    english = RELEASE.replace("dateline: BERLIN", "dateline: BERLIN\nlanguage: en-GB")
    room, release = loaded(room_in(make_room, "de_DE", english))
    assert release.language == "en-GB"
    assert release_language(room, release) == "en-GB"
    doc = document(room, release)
    assert doc.type_label == "Press release"
    assert doc.release_line.startswith("EMBARGOED UNTIL 10:00 CET, Wednesday, 9 December 2026")


def test_a_region_of_the_room_keeps_its_locale(make_room: MakeRoom) -> None:
    german = RELEASE.replace("dateline: BERLIN", "dateline: WIEN\nlanguage: de")
    room, release = loaded(room_in(make_room, "de_AT", german))
    assert release_language(room, release) == "de-AT"


def test_email_in_german_and_french(make_room: MakeRoom) -> None:
    for locale, words in (
        ("de_DE", ["Pressekontakt", "Über Example Justice Network", "Abmelden"]),
        ("fr_FR", ["Contact presse", "À propos de Example Justice Network", "Se désabonner"]),
    ):
        doc = doc_of(room_in(make_room, locale))
        email = render_email(
            doc, make_environment(), greeting="Hallo", unsubscribe="https://u.example/x"
        )
        assert f'<html lang="{locale.replace("_", "-")}"' in email.html
        for word in words:
            assert word in email.html, (locale, word)
        assert "Media contact" not in email.html and "Unsubscribe" not in email.html


def test_words_fall_back_to_english_for_a_language_without_a_catalog() -> None:
    words = words_for("sv")
    assert words("FOR IMMEDIATE RELEASE") == "FOR IMMEDIATE RELEASE"
    assert words_for("de-AT")("FOR IMMEDIATE RELEASE") == "Zur sofortigen Veröffentlichung"


BY_LANGUAGE = """\
org:
  name: {en: Example Justice Network, de: Example Justice Netzwerk e.V.}
  website: https://example.org
  address: 100 Main St, Oakland, CA 94612
  boilerplate:
    en: Example Justice Network works for fair streets.
    de: Das Example Justice Netzwerk setzt sich für faire Straßen ein.
sender:
  email: press@example.org
people:
  dana-reyes:
    name: Dana Reyes
    title: {en: Communications Director, de: Pressesprecherin}
    email: dana@example.org
contacts: [dana-reyes]
timezone: Europe/Berlin
locale: de_DE
"""


def test_room_texts_by_language_follow_the_release(make_room: MakeRoom) -> None:
    english = RELEASE.replace("dateline: BERLIN", "dateline: BERLIN\nlanguage: en")
    root = make_room(
        {"releases/2026-12-08-kameras.yaml": RELEASE, "releases/2026-12-08-english.yaml": english},
        room=BY_LANGUAGE,
    )
    room = load_room(root)
    assert room.config.org.name == "Example Justice Netzwerk e.V."  # the room's language
    assert room.config.sender.name == "Example Justice Netzwerk e.V."
    german = doc_of(root)
    assert german.org.name == "Example Justice Netzwerk e.V."
    assert german.about_heading == "Über Example Justice Netzwerk e.V."
    assert german.boilerplate is not None and "faire Straßen" in german.boilerplate.text
    assert german.contacts[0].affiliation == "Pressesprecherin, Example Justice Netzwerk e.V."
    other = doc_of(root, "2026-12-08-english")
    assert other.org.name == "Example Justice Network"
    assert other.about_heading == "About Example Justice Network"
    assert other.boilerplate is not None and "fair streets" in other.boilerplate.text
    assert other.contacts[0].affiliation == "Communications Director, Example Justice Network"


def test_a_wrong_language_tag_is_an_error_at_its_line(make_room: MakeRoom, capsys) -> None:
    from tests.cli_runner import run

    bad = RELEASE.replace("dateline: BERLIN", "dateline: BERLIN\nlanguage: deutsch")
    root = make_room(
        {"releases/2026-12-08-kameras.yaml": bad},
        room=BY_LANGUAGE.replace("de: Pressesprecherin", "xx-yy: Pressesprecherin"),
    )
    result = run(capsys, root, "check")
    assert result.code != 0
    assert "pressroom.yaml:13:42:" in result.out + result.err
    assert "people.dana-reyes.title.xx-yy" in result.out + result.err
    (root / "pressroom.yaml").write_text(BY_LANGUAGE)
    result = run(capsys, root, "check")
    text = result.out + result.err
    assert (
        "releases/2026-12-08-kameras.yaml:4:1: error: language: 'deutsch' is not a language tag"
        in text
    )


def test_a_room_overrides_labels_per_language(make_room: MakeRoom, capsys) -> None:
    from tests.cli_runner import run

    labels = """\
labels:
  media_contact: {de: Pressestelle, en: Press office}
  about: "Wer ist {org}?"
  release_line: ZUR VERÖFFENTLICHUNG FREI
"""
    doc = doc_of(
        room_in(
            make_room,
            "de_DE",
            RELEASE.replace("status: embargoed\n", "").replace(
                "embargo: 2026-12-09 10:00 Europe/Berlin\n", ""
            ),
            labels,
        )
    )
    assert doc.release_line == "ZUR VERÖFFENTLICHUNG FREI"
    assert doc.about_heading == "Wer ist Example Justice Network?"
    email = render_email(doc, make_environment())
    assert "Pressestelle" in email.html and "Pressekontakt" not in email.html

    root = room_in(make_room, "de_DE", extra="labels:\n  media_contakt: Presse\n")
    result = run(capsys, root, "check")
    text = result.out + result.err
    assert (
        "pressroom.yaml:20:3: error: labels.media_contakt: no label 'media_contakt' (did you mean 'media_contact'?)"
        in text
    )
    assert "release_line, embargoed_until" in text


def test_datelines_as_each_language_writes_them(make_room: MakeRoom) -> None:
    french = RELEASE.replace("dateline: BERLIN", "dateline: PARIS")
    doc = doc_of(room_in(make_room, "fr_FR", french))
    assert doc.lead_in == "PARIS, le 8 décembre 2026 \u2013"
    full = RELEASE.replace("dateline: BERLIN", "dateline: BERLIN, 26. März 2019 –")
    assert doc_of(room_in(make_room, "de_DE", full)).lead_in == "BERLIN, 26. März 2019 \u2013"


def test_style_checks_know_the_language(make_room: MakeRoom) -> None:
    from pressroom.check.rules import check_release
    from pressroom.clock import now

    def codes(locale: str, release: str) -> dict[str, str]:
        room, loaded_release = loaded(room_in(make_room, locale, release))
        return {p.code: p.message for p in check_release(room, loaded_release, now())}

    mixed = RELEASE.replace("dateline: BERLIN", "dateline: Berlin")
    assert "dateline-style" not in codes("de_DE", mixed)  # AP style is English only
    assert "dateline-style" in codes("en_US", mixed)
    compounds = " ".join(["Datenschutzgrundverordnungsanpassungsgesetzentwurf"] * 15)
    long_words = RELEASE.replace(
        "  - Mehr unter https://example.org/?a=1 um 10:00 Uhr.", f"  - {compounds}"
    )
    german = codes("de_DE", long_words)
    assert "body-short" not in german  # 40 "words" of German are a long text
    english = codes("en_US", long_words)
    assert "body-short" in english
    assert "words in the body" in english["body-short"]


def test_new_writes_german_starter_text_in_a_german_room(make_room: MakeRoom, capsys) -> None:
    from pressroom.drafts.scaffold import starter_text_in
    from tests.cli_runner import run

    root = make_room(room=BY_LANGUAGE)
    for kind in ("press-release", "statement", "open-letter", "media-advisory"):
        result = run(capsys, root, "new", "--type", kind, f"Neue Regeln {kind}")
        assert result.code == 0, result
    text = (root / "releases").glob("*neue-regeln-press-release.yaml").__next__().read_text()
    assert "Schreiben Sie hier den ersten Absatz: wer, was, wann, wo, warum." in text
    assert "Write the first paragraph" not in text
    assert starter_text_in("Schreiben Sie hier den ersten Absatz: wer, was, wann, wo, warum.")
    result = run(capsys, root, "check")
    assert "starter-text" in result.out + result.err
    letter = next((root / "releases").glob("*open-letter.yaml")).read_text()
    assert "closing: Mit freundlichen Grüßen," in letter


def test_french_spacing_leaves_links_code_and_times_alone() -> None:
    from pressroom.i18n.typography import typography_for
    from pressroom.render.markup import Markdown

    md = Markdown("https://example.org", typography_for("fr"))
    rich = md.rich(
        "Voir [le rapport ?](https://example.org/r?x=1:2) à 10:00, `a:b;c` et "
        "<https://example.org/?q=1> : fin !"
    )
    html = str(rich.html)
    assert 'href="https://example.org/r?x=1:2"' in html  # the link's target untouched
    assert f"le rapport{NNBSP}?" in html  # its text spaced
    assert "<code>a:b;c</code>" in html and "10:00" in html
    assert f">https://example.org/?q=1</a>{NNBSP}: fin{NNBSP}!" in html


def test_new_writes_french_starter_text_in_a_french_room(make_room: MakeRoom, capsys) -> None:
    from tests.cli_runner import run

    root = make_room(room=MINIMAL_ROOM.replace("locale: en_US", "locale: fr_FR"))
    for kind in ("press-release", "statement", "open-letter", "media-advisory"):
        result = run(capsys, root, "new", "--type", kind, f"Nouvelles règles {kind}")
        assert result.code == 0, result
    text = next((root / "releases").glob("*press-release.yaml")).read_text()
    assert "Écrivez ici le premier paragraphe : qui, quoi, quand, où, pourquoi." in text
    result = run(capsys, root, "check")
    assert "starter-text" in result.out + result.err

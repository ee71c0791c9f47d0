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
    assert doc.release_line == "Sperrfrist: Mittwoch, 9. Dezember 2026, 10:00 Uhr CET"
    assert doc.subject.startswith("Sperrfrist: Mittwoch, 9. Dezember 2026, 10:00 Uhr CET – Neue")
    assert doc.lead_in == "BERLIN, 8. Dezember 2026 \u2014"
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

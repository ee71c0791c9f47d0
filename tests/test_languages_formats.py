"""One release, written in German and in French, in every format a journalist or
the public sees: PDF (read back with pypdf, its /Lang too), Word (python-docx, and
w:lang in its styles), the email's HTML, text and subject, its .ics, the newsroom
page. Every label is compared with a native press officer's wording; the other
languages are spot-checked in the email.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from pressroom.load.room import load_release, load_room
from pressroom.render.context import Document, document
from pressroom.render.docx import render_docx
from pressroom.render.email import render_email
from pressroom.render.environment import make_environment
from pressroom.render.ics import render_ics
from pressroom.render.pdf import render_pdf
from tests.cli_runner import run
from tests.conftest import MINIMAL_ROOM, MakeRoom

NNBSP = "\u202f"

ADVISORY = """\
type: media-advisory
status: embargoed
embargo: 2026-12-09 10:00 Europe/Berlin
dateline: {place}
headline: "{headline}"
event:
  what: {what}
  when: {{start: 2026-12-10 10:00, end: 2026-12-10 11:00}}
  where: {{venue: Rathaus, address: Marktplatz 1}}
  who: Dana Reyes
  visuals: >-
    {visuals}
  onsite_contact: dana-reyes
  rsvp: dana@example.org
body:
  - >-
    {paragraph}
  - quote: dana-reyes
    text: "{quote}"
updates:
  - label: CORRECTION
    text: >-
      {correction}
"""

TEXTS = {
    "de_DE": {
        "place": "BERLIN",
        "headline": "Stadt legt Regeln für Kameras vor",
        "what": "Vorstellung der neuen Regeln",
        "visuals": "Die Kameras am Rathaus",
        "paragraph": 'Die Stadt hat heute "neue Regeln" für ihre Kameras vorgestellt.',
        "quote": "Endlich wissen alle, wer zuschaut.",
        "correction": "Die Uhrzeit war falsch.",
    },
    "fr_FR": {
        "place": "PARIS",
        "headline": "La ville publie les règles de ses caméras",
        "what": "Présentation des nouvelles règles",
        "visuals": "Les caméras de l'hôtel de ville",
        "paragraph": 'La ville a présenté aujourd\'hui de "nouvelles règles" : enfin !',
        "quote": "Chacun sait enfin qui regarde.",
        "correction": "L'heure était fausse.",
    },
}

NATIVE = {
    "de_DE": {
        "type": "Presseeinladung",
        "release_line": "Sperrfrist: Mittwoch, 9. Dezember 2026, 10:00 Uhr MEZ",
        "lead_in": "BERLIN, 8. Dezember 2026 –",
        "contact": "Pressekontakt",
        "about": "Über Example Justice Network",
        "page": "Seite 1 von",
        "labels": [
            "Was",
            "Wann",
            "Wo",
            "Wer",
            "Bildmotive",
            "Ansprechpartner vor Ort",
            "Anmeldung",
        ],
        "correction": "KORREKTUR",
        "quote": "\u201eEndlich wissen alle, wer zuschaut.\u201c",
        "writer_quotes": "\u201eneue Regeln\u201c",
        "greeting": "Guten Tag Ana,",
        "unsubscribe": "um keine Pressemitteilungen von Example Justice Network mehr zu erhalten",
        "subject": "Sperrfrist: Mittwoch, 9. Dezember 2026, 10:00 Uhr MEZ – Stadt legt Regeln",
        "newsroom": ["Zum Inhalt springen", "Alle Meldungen", "Pressekontakt", "Downloads"],
    },
    "fr_FR": {
        "type": "Invitation presse",
        "release_line": "Sous embargo jusqu’au mercredi 9 décembre 2026 à 10:00 (CET)",
        "lead_in": "PARIS, le 8 décembre 2026 –",
        "contact": "Contact presse",
        "about": "À propos de Example Justice Network",
        "page": "Page 1 sur",
        "labels": ["Quoi", "Quand", "Où", "Qui", "Images", "Contact sur place", "Accréditation"],
        "correction": "RECTIFICATIF",
        "quote": f"«{NNBSP}Chacun sait enfin qui regarde.{NNBSP}»",
        "writer_quotes": f"«{NNBSP}nouvelles règles{NNBSP}»{NNBSP}: enfin{NNBSP}!",
        "greeting": "Bonjour Ana,",
        "unsubscribe": "pour ne plus recevoir les communiqués de Example Justice Network",
        "subject": "Sous embargo jusqu’au mercredi 9 décembre 2026 à 10:00 (CET) : La ville",
        "newsroom": [
            "Aller au contenu",
            "Tous les communiqués",
            "Contact presse",
            "Téléchargements",
        ],
    },
}
ENGLISH = ["Media contact", "About Example", "Page 1 of", "EMBARGOED", "WHAT", "Hello"]

NAME = "2026-12-08-kameras"


def make(make_room: MakeRoom, locale: str) -> tuple[Path, Document]:
    release = ADVISORY.format(**TEXTS[locale])
    config = MINIMAL_ROOM.replace("locale: en_US", f"locale: {locale}")
    config = config.replace("timezone: America/New_York", "timezone: Europe/Berlin")
    root = make_room({f"releases/{NAME}.yaml": release}, room=config)
    room = load_room(root)
    return root, document(room, load_release(room, root / "releases" / f"{NAME}.yaml"))


def flat(text: str) -> str:
    """Text as pypdf or a parser gives it: every kind of space one plain space."""
    return " ".join(text.replace("\u2010\n", "").replace(NNBSP, " ").replace("\u00a0", " ").split())


@pytest.mark.parametrize("locale", ["de_DE", "fr_FR"])
def test_the_pdf_speaks_the_language(make_room: MakeRoom, locale: str) -> None:
    root, doc = make(make_room, locale)
    native = NATIVE[locale]
    pdf = render_pdf(doc, make_environment(), base_url=root.as_uri() + "/")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == locale.replace("_", "-")
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    for label in (native["type"], native["release_line"], native["lead_in"], native["contact"],
                  native["page"], native["correction"], *native["labels"]):  # fmt: skip
        assert flat(label).upper() in text.upper(), (locale, label)  # some are set in capitals
    assert flat(native["quote"]) in text
    for english in ENGLISH:
        assert english not in text, (locale, english)


@pytest.mark.parametrize("locale", ["de_DE", "fr_FR"])
def test_the_word_file_speaks_the_language(make_room: MakeRoom, locale: str) -> None:
    root, doc = make(make_room, locale)
    native = NATIVE[locale]
    word = docx.Document(io.BytesIO(render_docx(doc)))
    body = flat("\n".join(p.text for p in word.paragraphs))
    footer = flat("\n".join(p.text for s in word.sections for p in s.footer.paragraphs))
    header = flat("\n".join(p.text for s in word.sections for p in s.header.paragraphs))
    for label in (native["release_line"], native["lead_in"], native["contact"].upper(),
                  native["correction"], *(label.upper() for label in native["labels"])):  # fmt: skip
        assert flat(label) in body, (locale, label)
    assert flat(native["quote"]) in body
    assert (
        native["release_line"] in header.replace("  ", " ")
        or flat(native["release_line"]) in header
    )
    assert flat(native["page"]).split()[0] in footer  # "Seite"/"Page" then the PAGE field
    lang = word.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert lang is not None and lang.get(qn("w:val")) == locale.replace("_", "-")
    assert word.core_properties.language == locale.replace("_", "-")
    for english in ENGLISH:
        assert english.upper() not in body.upper() or english == "Page 1 of", (locale, english)


@pytest.mark.parametrize("locale", ["de_DE", "fr_FR"])
def test_the_email_speaks_the_language(make_room: MakeRoom, locale: str) -> None:
    root, doc = make(make_room, locale)
    native = NATIVE[locale]
    email = render_email(
        doc, make_environment(), greeting=native["greeting"], unsubscribe="https://u.example/x"
    )
    html, text = flat(email.html), flat(email.text)
    assert email.subject.startswith(native["subject"])
    assert f'<html lang="{locale.replace("_", "-")}"' in email.html
    for part in (html, text):
        for label in (native["type"], native["release_line"], native["contact"].upper() if part is text else native["contact"],
                      native["about"].upper() if part is text else native["about"],
                      native["unsubscribe"], native["correction"], flat(native["writer_quotes"])):  # fmt: skip
            assert flat(label).lower() in part.lower(), (locale, label, part[:300])
        for label in native["labels"]:
            assert label.upper() in part, (locale, label)
        for english in ENGLISH:
            assert english not in part, (locale, english)
    if locale == "fr_FR":  # French sets a narrow no-break space before a label's colon
        assert f"QUOI{NNBSP}: Présentation des nouvelles règles" in email.text
        assert f"RECTIFICATIF{NNBSP}:" in email.text
    invitation = render_ics(doc, "example.org").decode()
    assert "QUI" in invitation.replace(NNBSP, " ") or "WER:" in invitation


def test_the_newsroom_page_speaks_the_language(make_room: MakeRoom, capsys) -> None:
    for locale in ("de_DE", "fr_FR"):
        root, _ = make(make_room, locale)
        release = root / "releases" / f"{NAME}.yaml"
        text = release.read_text().replace("status: embargoed\n", "")
        release.unlink()
        published = "2026-11-20-kameras"  # dated before the tests' clock: on the site
        (root / "releases" / f"{published}.yaml").write_text(
            text.replace("embargo: 2026-12-09 10:00 Europe/Berlin\n", "")
        )
        out = root / f"site-{locale}"
        result = run(
            capsys,
            root,
            "site",
            "--out",
            str(out),
            "--base-url",
            "https://press.example.org/",
            "--use-pressroom-now",
        )
        assert result.code == 0, result
        index = flat((out / "index.html").read_text())
        assert f'lang="{locale.replace("_", "-")}"' in index
        page = flat((out / published / "index.html").read_text())
        for label in NATIVE[locale]["newsroom"]:
            assert label in page, (locale, label)
        assert "Skip to content" not in page and "All releases" not in index


@pytest.mark.parametrize(
    "locale, words",
    [
        (
            "es_ES",
            [
                "Contacto de prensa",
                "Bajo embargo hasta el",
                "Sobre Example Justice Network",
                "Convocatoria de prensa",
            ],
        ),
        (
            "it_IT",
            [
                "Contatto stampa",
                "Embargo fino a",
                "Informazioni su Example Justice Network",
                "Invito stampa",
            ],
        ),
        (
            "nl_NL",
            ["Perscontact", "Embargo tot", "Over Example Justice Network", "Persuitnodiging"],
        ),
        (
            "pt_PT",
            [
                "Contacto de imprensa",
                "Sob embargo até",
                "Sobre Example Justice Network",
                "Convite à imprensa",
            ],
        ),
    ],
)
def test_the_other_languages_in_the_email(
    make_room: MakeRoom, locale: str, words: list[str]
) -> None:
    TEXTS[locale] = TEXTS["de_DE"]
    _, doc = make(make_room, locale)
    html = flat(render_email(doc, make_environment(), unsubscribe="https://u.example/x").html)
    for word in words:
        assert flat(word) in html, (locale, word)
    for english in ENGLISH:
        assert english not in html, (locale, english)


def test_hyphenation_follows_the_language(make_room: MakeRoom) -> None:
    """``hyphens: auto`` breaks a German compound only because the PDF knows it is German."""
    compound = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"
    long = ADVISORY.format(**{**TEXTS["de_DE"], "paragraph": " ".join([compound] * 12)})

    def text(locale: str) -> str:
        config = MINIMAL_ROOM.replace("locale: en_US", f"locale: {locale}")
        root = make_room({f"releases/{NAME}.yaml": long}, room=config)
        room = load_room(root)
        doc = document(room, load_release(room, root / "releases" / f"{NAME}.yaml"))
        pdf = render_pdf(doc, make_environment(), base_url=root.as_uri() + "/")
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    import re

    import pyphen

    german = {len(a) for a, _ in pyphen.Pyphen(lang="de_DE").iterate(compound)}
    english = {len(a) for a, _ in pyphen.Pyphen(lang="en_US").iterate(compound)}
    assert german != english
    breaks = [len(f) for f in re.findall(r"(\w+)\u2010", text("de_DE"))]  # WeasyPrint's hyphen
    assert breaks, "the German compound was never hyphenated"
    assert set(breaks) <= german, (breaks, german)

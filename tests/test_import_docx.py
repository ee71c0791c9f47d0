"""Drafts from Word: real .docx files made with python-docx, imported as a user would.

The documents use Word's styles (Title, Subtitle, Heading 1, List Bullet,
Caption), a bold first line instead of a Title, direct bold and italic,
hyperlinks, a picture, tracked changes (raw ``w:ins``/``w:del``) and a comment.
Every test checks what the release file holds and that no word of the
draft was lost (:func:`lost_words`).
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from PIL import Image

from pressroom.load.room import load_release, load_room

from .cli_runner import run
from .conftest import MINIMAL_ROOM, MakeRoom

ROOM = "# The room's own comments must survive an import.\n" + MINIMAL_ROOM.replace(
    "people:\n", "people:\n  # spokespeople first\n"
)
STRUCTURAL = {
    *("FOR", "IMMEDIATE", "RELEASE", "BREAKING", "EMBARGOED", "UNTIL"),  # status: the release line
    *("said", "Said"),  # the attribution: quote: <person>
    *("Media", "contact", "About"),  # labels pressroom writes before the contacts and boilerplate
    *("P", "S"),  # P.S.: the ps key, which pressroom writes with its label
}
"""Words the importer turns into keys that pressroom writes back itself."""


def lost_words(texts: list[str], root: Path, release: Path) -> set[str]:
    """Words of *texts* (what the draft said) found neither in the release nor in
    pressroom.yaml (where new people go) nor among the structural words."""
    written = release.read_text() + (root / "pressroom.yaml").read_text()
    found = set(re.findall(r"\w+", written))
    written_date = yaml.safe_load(release.read_text()).get("date")
    if written_date is not None:
        day = date.fromisoformat(
            str(written_date)
        )  # "Dec. 1, 2026" in the dateline became date: 2026-12-01
        found |= {day.strftime("%B"), day.strftime("%b"), str(day.day), str(day.year)}
    said = {word for text in texts for word in re.findall(r"\w+", text)}
    return said - found - STRUCTURAL


def add_link(paragraph, text: str, url: str) -> None:  # type: ignore[no-untyped-def]
    rel = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def tracked(paragraph, inserted: str, deleted: str) -> None:  # type: ignore[no-untyped-def]
    """A tracked insertion and deletion, as Word writes them with Track Changes on."""
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="Editor" w:date="2026-11-30T10:00:00Z">'
            f'<w:r><w:t xml:space="preserve">{inserted}</w:t></w:r></w:ins>'
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="Editor" w:date="2026-11-30T10:00:00Z">'
            f"<w:r><w:delText>{deleted}</w:delText></w:r></w:del>"
        )
    )


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def word_draft() -> tuple[bytes, list[str]]:
    """A release as staff draft it in Word; and the texts a reader sees in it."""
    doc = Document()
    seen: list[str] = []

    def para(text: str, style: str | None = None, bold: bool = False):  # type: ignore[no-untyped-def]
        p = doc.add_paragraph(style=style)
        run = p.add_run(text)
        run.bold = bold or None
        seen.append(text)
        return p

    para("FOR IMMEDIATE RELEASE", bold=True)
    para("Media contact:")
    para("Dana Reyes, dana@example.org, +1 202 555 0143")
    para("Parks Board Bans Face Scanning at Public Playgrounds", "Title")
    para("Vote Follows Months of Pressure From Parents and Neighbors", "Subtitle")
    first = para("OAKLAND, Calif., Dec. 1, 2026 — The Parks Board voted ")
    first.add_run("unanimously").bold = True
    first.add_run(" on Tuesday to ban ")
    first.add_run("face scanning").italic = True
    first.add_run(" at the city's 48 playgrounds, according to ")
    add_link(first, "the board's minutes", "https://parks.example/minutes")
    first.add_run(". The ban takes effect in January.")
    seen += ["unanimously on Tuesday to ban face scanning at the city's 48 playgrounds,"]
    seen += ["according to the board's minutes. The ban takes effect in January."]
    para("What the ban covers", "Heading 1")
    para("The ban covers:")
    para("cameras that match faces against any list;", "List Bullet")
    para("software that estimates age or mood;", "List Bullet")
    para("storage of footage for more than 72 hours.", "List Bullet")
    para(
        "\u201cParents asked for swings, not surveillance,\u201d said Dana Reyes, "
        "Communications Director. \u201cToday the board listened.\u201d"
    )
    para(
        "\u201cEvery child deserves to play without being scanned. We will watch how "
        "the ban is carried out.\u201d"
    )
    para("\u2014 Jordan Lee, Organizer, Neighbors for Open Parks")
    change = para("The board will review the ban in two years")
    tracked(change, " and publish every request for footage.", "and may lift it.")
    seen.append("and publish every request for footage.")
    commented = para("Residents may comment until December 15.")
    doc.add_comment(commented.runs, text="Check this date with the clerk", author="Editor")
    picture = doc.add_paragraph()
    picture.add_run().add_picture(io.BytesIO(png()))
    picture._p.xpath(".//wp:docPr")[0].set("descr", "Children on swings at Lakeside playground")
    para("Children on swings at Lakeside playground. Photo: Sam Ortiz", "Caption")
    seen.append("Children on swings at Lakeside playground")
    para("###")
    para("About Example Justice Network", "Heading 1")
    para("Example Justice Network works for fair streets & safe parks.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue(), seen


@pytest.fixture
def imported(make_room: MakeRoom, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    root = make_room(room=ROOM)
    data, seen = word_draft()
    (root / "Draft.docx").write_bytes(data)
    result = run(capsys, root, "import", "Draft.docx")
    return root, result, seen


def test_word_draft_becomes_a_release(imported) -> None:  # type: ignore[no-untyped-def]
    root, result, seen = imported
    assert result.code == 0, result.err
    [path] = (root / "releases").glob("*.yaml")
    assert path.name == "2026-12-01-parks-board-bans-face-scanning-at-public-playgrounds.yaml"
    assert f"created releases/{path.name}" in result.out
    data = yaml.safe_load(path.read_text())
    assert data["status"] == "immediate" and data["draft"] is True
    assert data["headline"] == "Parks Board Bans Face Scanning at Public Playgrounds"
    assert data["subheadline"] == "Vote Follows Months of Pressure From Parents and Neighbors"
    assert data["dateline"] == "OAKLAND, Calif." and data["date"] == "2026-12-01"
    body = data["body"]
    assert body[0].startswith(
        "The Parks Board voted **unanimously** on Tuesday to ban *face scanning*"
    )
    assert "[the board's minutes](https://parks.example/minutes)" in body[0]
    assert body[1] == {"heading": "What the ban covers"}
    assert body[2] == (
        "The ban covers:\n\n- cameras that match faces against any list;\n"
        "- software that estimates age or mood;\n- storage of footage for more than 72 hours."
    )
    assert body[3] == {"quote": "dana-reyes", "text": "Parents asked for swings, not surveillance."}
    assert body[4] == "\u201cToday the board listened.\u201d"
    assert body[5]["quote"] == "jordan-lee"
    assert body[5]["text"].startswith("Every child deserves to play")
    assert (
        body[6]
        == "The board will review the ban in two years and publish every request for footage."
    )
    assert body[7] == "Residents may comment until December 15."
    assert "contacts" not in data  # Dana Reyes is the room's default contact
    assert "boilerplate" not in data  # the About section is the room's own
    [image] = data["images"]
    assert image["file"].startswith("assets/2026-12-01-parks-board") and image["file"].endswith(
        ".png"
    )
    assert image["caption"] == "Children on swings at Lakeside playground."
    assert image["credit"] == "Photo: Sam Ortiz"
    assert image["alt"] == "Children on swings at Lakeside playground"
    assert (root / image["file"]).read_bytes() == png()


def test_word_draft_warnings_and_people(imported) -> None:  # type: ignore[no-untyped-def]
    root, result, seen = imported
    assert "tracked changes were taken as accepted" in result.err
    assert "comments were left out" in result.err
    assert (
        "may lift"
        not in (root / "releases")
        .joinpath(next((root / "releases").glob("*.yaml")).name)
        .read_text()
    )
    assert "Check this date" not in next((root / "releases").glob("*.yaml")).read_text()
    assert re.search(
        r"pressroom\.yaml:\d+:\d+: warning: people\.jordan-lee: Jordan Lee", result.err
    )
    room_text = (root / "pressroom.yaml").read_text()
    assert room_text.startswith("# The room's own comments must survive an import.\n")
    assert "  # spokespeople first\n" in room_text
    room = load_room(root)
    jordan = room.config.people["jordan-lee"]
    assert (jordan.name, jordan.title, jordan.org) == (
        "Jordan Lee",
        "Organizer",
        "Neighbors for Open Parks",
    )
    release = load_release(room, next((root / "releases").glob("*.yaml")))
    assert [q.quote.name for q in release.quotes] == ["Dana Reyes", "Jordan Lee"]


def test_no_word_of_the_word_draft_is_lost(imported) -> None:  # type: ignore[no-untyped-def]
    root, result, seen = imported
    path = next((root / "releases").glob("*.yaml"))
    assert lost_words(seen, root, path) == set()


def test_bold_first_line_and_heading_one_are_headlines(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_room()
    for name, style, bold in (("bold.docx", None, True), ("heading.docx", "Heading 1", False)):
        doc = Document()
        doc.add_paragraph(style=style).add_run(f"Library Ends Face Scans {name[:4]}").bold = (
            bold or None
        )
        doc.add_paragraph("OAKLAND \u2014 The library will stop scanning faces at its doors.")
        doc.add_paragraph("Its board voted 5 to 2.")
        doc.save(root / name)
        result = run(capsys, root, "import", name)
        assert result.code == 0, result.err
    for stem in ("bold", "head"):
        [path] = (root / "releases").glob(f"*library-ends-face-scans-{stem}.yaml")
        data = yaml.safe_load(path.read_text())
        assert data["headline"] == f"Library Ends Face Scans {stem}"
        assert data["dateline"] == "OAKLAND"
        assert data["body"] == [
            "The library will stop scanning faces at its doors.",
            "Its board voted 5 to 2.",
        ]


def test_what_cannot_be_placed_stays_with_a_warning_at_its_line(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_room()
    doc = Document()
    doc.add_paragraph("Draft three, not for circulation")
    doc.add_paragraph("Parks Board Bans Face Scanning", style="Title")
    doc.add_paragraph("OAKLAND \u2014 The board voted to ban face scanning at playgrounds.")
    doc.add_paragraph("###")
    doc.add_paragraph("Notes for the web team: publish at noon")
    doc.save(root / "draft.docx")
    result = run(capsys, root, "import", "draft.docx")
    assert result.code == 0, result.err
    [path] = (root / "releases").glob("*.yaml")
    data = yaml.safe_load(path.read_text())
    assert data["body"] == [
        "Draft three, not for circulation",
        "The board voted to ban face scanning at playgrounds.",
        "Notes for the web team: publish at noon",
    ]
    lines = path.read_text().splitlines()
    for index, words in ((0, "Draft three"), (2, "Notes for the web team")):
        found = re.search(
            rf"releases/{path.name}:(\d+):\d+: warning: body\[{index}\]: .*paragraph \d of draft\.docx",
            result.err,
        )
        assert found, result.err
        assert words in lines[int(found[1]) - 1]
        assert lines[int(found[1]) - 2].strip().startswith("# pressroom import: ")
    # check says the same until the comments are deleted
    checked = run(capsys, root, "check")
    assert checked.err.count("[import-unplaced]") == 2
    assert "body[0]: text above the headline" in checked.err
    path.write_text(
        "".join(
            line
            for line in path.read_text().splitlines(keepends=True)
            if "# pressroom import:" not in line
        )
    )
    assert "[import-unplaced]" not in run(capsys, root, "check").err

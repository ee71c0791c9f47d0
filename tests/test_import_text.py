"""Drafts that are not Word files: OpenDocument (.odt), Markdown, text, standard input.

The .odt is written by hand as a zip, as LibreOffice writes one (named styles,
automatic bold and italic spans, a list, tracked changes, an annotation, a
picture). The two text drafts in tests/imports/ have the shape of the seed
documents press offices receive (a breaking release with a "Said ..." quote
and a P.S.; an open letter with an update banner, a salutation and a list of
names but no headline), with their own words. A media advisory's
WHAT/WHEN/WHERE comes as a Word table.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from PIL import Image

from pressroom.load.room import load_release, load_room

from .cli_runner import run
from .conftest import MakeRoom
from .test_import_docx import lost_words

HERE = Path(__file__).parent / "imports"
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)
STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS} office:version="1.3"><office:styles>
<style:style style:name="Standard" style:family="paragraph"/>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph"
  style:parent-style-name="Standard"/>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Title"/>
<style:style style:name="Quotations" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Caption" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"/>
</office:styles></office:document-styles>"""
CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS} office:version="1.3">
<office:automatic-styles>
  <style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/>
  <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="T2" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
  <text:list-style style:name="L1"><text:list-level-style-bullet text:level="1" text:bullet-char="*"/></text:list-style>
</office:automatic-styles>
<office:body><office:text>
  <text:tracked-changes><text:changed-region text:id="ct1"><text:deletion>
    <office:change-info><dc:creator>Editor</dc:creator></office:change-info>
    <text:p>struck-out sentence</text:p></text:deletion></text:changed-region></text:tracked-changes>
  <text:p text:style-name="Standard">EMBARGOED UNTIL 10:00 a.m. ET, Thursday, December 3, 2026</text:p>
  <text:p text:style-name="P1">Transit Board Drops Face Scanning From Fare Gates</text:p>
  <text:p text:style-name="Subtitle">Riders Kept Their Privacy After a Year of Campaigning</text:p>
  <text:p text:style-name="Text_20_body">OAKLAND, Calif., Dec. 3, 2026 <text:s/>— The board voted <text:span text:style-name="T1">7 to 0</text:span> to drop <text:span text:style-name="T2">FaceFare</text:span>, as the <text:a xlink:href="https://transit.example/agenda">agenda</text:a> had proposed.<text:change text:change-id="ct1"/><office:annotation><dc:creator>Editor</dc:creator><text:p>comment that stays out</text:p></office:annotation></text:p>
  <text:h text:style-name="Heading_20_2" text:outline-level="2">What changes for riders</text:h>
  <text:list text:style-name="L1">
    <text:list-item><text:p>No cameras at the gates.</text:p></text:list-item>
    <text:list-item><text:p>No photographs kept.</text:p></text:list-item>
  </text:list>
  <text:p text:style-name="Quotations">“Riders can pay their fare without handing over their face.”</text:p>
  <text:p text:style-name="Standard">— Dana Reyes, Communications Director</text:p>
  <text:p text:style-name="Standard"><draw:frame draw:name="photo"><draw:image xlink:href="Pictures/gate.png"/><svg:desc>Fare gates at Lake Merritt station</svg:desc></draw:frame></text:p>
  <text:p text:style-name="Caption">Fare gates at Lake Merritt station. (Photo by Ana Ruiz)</text:p>
  <text:p text:style-name="Standard">-30-</text:p>
</office:text></office:body></office:document-content>"""


def picture() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("META-INF/manifest.xml", "<manifest/>")
        zf.writestr("styles.xml", STYLES)
        zf.writestr("content.xml", CONTENT, zipfile.ZIP_DEFLATED)
        zf.writestr("Pictures/gate.png", picture())
    return out.getvalue()


def _import(capsys, root: Path, name: str):  # type: ignore[no-untyped-def]
    result = run(capsys, root, "import", name)
    assert result.code == 0, result.err
    path = root / result.out.split("created ", 1)[1].split("\n", 1)[0]
    return result, path, yaml.safe_load(path.read_text())


def test_odt_draft(make_room: MakeRoom, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_room()
    (root / "draft.odt").write_bytes(odt())
    result, path, data = _import(capsys, root, "draft.odt")
    assert data["status"] == "embargoed"
    assert data["embargo"] == "2026-12-03 10:00 America/New_York"
    assert data["headline"] == "Transit Board Drops Face Scanning From Fare Gates"
    assert data["subheadline"] == "Riders Kept Their Privacy After a Year of Campaigning"
    assert (data["dateline"], data["date"]) == ("OAKLAND, Calif.", "2026-12-03")
    assert data["body"] == [
        "The board voted **7 to 0** to drop *FaceFare*, as the "
        "[agenda](https://transit.example/agenda) had proposed.",
        {"heading": "What changes for riders"},
        "- No cameras at the gates.\n- No photographs kept.",
        {
            "quote": "dana-reyes",
            "text": "Riders can pay their fare without handing over their face.",
        },
    ]
    [image] = data["images"]
    assert (image["caption"], image["credit"]) == (
        "Fare gates at Lake Merritt station.",
        "Photo by Ana Ruiz",
    )
    assert image["alt"] == "Fare gates at Lake Merritt station"
    assert (root / image["file"]).read_bytes() == picture()
    text = path.read_text()
    assert "struck-out" not in text and "comment that stays" not in text
    assert "tracked changes were taken as accepted" in result.err
    assert "comments were left out" in result.err
    load_release(load_room(root), path)  # a release pressroom loads


def test_breaking_text_draft(make_room: MakeRoom, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_room()
    source = (HERE / "breaking-draft.txt").read_text()
    (root / "draft.txt").write_text(source)
    result, path, data = _import(capsys, root, "draft.txt")
    assert data["status"] == "breaking"
    assert data["headline"].startswith("Harbor Tenants Coalition Demands")
    assert data["subheadline"].startswith("Residents of Color Led Pressure")
    quote = data["body"][1]
    assert quote["quote"] == "marisol-vega"
    assert quote["text"].startswith("Lockwise’s cameras have let landlords")
    assert quote["text"].endswith("never selling this system again.")
    assert "\n\n" in quote["text"]
    assert data["ps"].startswith("You can support the #OpenDoors campaign")
    vega = load_room(root).config.people["marisol-vega"]
    assert (vega.title, vega.org) == ("Campaign Director", "Harbor Tenants Coalition")
    assert lost_words([source], root, path) == set()


def test_open_letter_text_draft_without_headline(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_room()
    source = (HERE / "open-letter-draft.txt").read_text()
    (root / "letter-to-lumen.txt").write_text(source)
    result, path, data = _import(capsys, root, "letter-to-lumen.txt")
    assert data["type"] == "open-letter"
    assert data["headline"] == "Letter to lumen"
    assert "headline: letter-to-lumen.txt has no headline" in result.err
    assert data["updates"][0]["label"] == "UPDATE"
    assert data["salutation"] == "Dear Ms. Whitfield and Mr. Osei,"
    assert len(data["body"]) == 3
    assert data["signatories"][3] == "Ex-Incarcerated Organizers Network (EXON)"
    assert len(data["signatories"]) == 6
    assert lost_words([source], root, path) == set()


def test_markdown_and_standard_input(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_room()
    markdown = (
        "**FOR IMMEDIATE RELEASE**\n\n# Clinic Ends Patient Face Scans\n\n"
        "## A Win for Patients' Privacy\n\n"
        "OAKLAND — The clinic will stop scanning faces at check-in, *effective today*. "
        "Read [the notice](https://clinic.example/notice).\n\n"
        "> Nobody should trade their face for a doctor's appointment.\n\n"
        "— Dana Reyes, Communications Director\n\n###\n\n"
        "Media contact: Dana Reyes, dana@example.org\n"
    )
    (root / "draft.md").write_text(markdown)
    _, path, data = _import(capsys, root, "draft.md")
    assert data["headline"] == "Clinic Ends Patient Face Scans"
    assert data["subheadline"] == "A Win for Patients' Privacy"
    assert data["body"] == [
        "The clinic will stop scanning faces at check-in, *effective today*. "
        "Read [the notice](https://clinic.example/notice).",
        {
            "quote": "dana-reyes",
            "text": "Nobody should trade their face for a doctor's appointment.",
        },
    ]
    done = subprocess.run(
        [sys.executable, "-m", "pressroom", "import", "-"],
        input=b"Library Drops Scanners\n\nOAKLAND \xe2\x80\x94 The library dropped its scanners.\n",
        cwd=root,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    created = done.stdout.decode().split("created ", 1)[1].split("\n", 1)[0]
    data = yaml.safe_load((root / created).read_text())
    assert data["headline"] == "Library Drops Scanners"
    assert data["body"] == ["The library dropped its scanners."]


def test_advisory_table(make_room: MakeRoom, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_room()
    doc = Document()
    doc.add_paragraph("MEDIA ADVISORY: Tenants Rally at City Hall", style="Title")
    doc.add_paragraph(
        "OAKLAND \u2014 Tenants will rally before the council's vote on door cameras."
    )
    table = doc.add_table(rows=5, cols=2)
    rows = [
        ("WHAT", "Rally and press conference on face-scanning door locks"),
        ("WHEN", "Friday, December 11, 2026, 10:00 a.m. \u2013 11:30 a.m. PT"),
        ("WHERE", "City Hall, north steps, 1 Frank H. Ogawa Plaza, Oakland, CA 94612"),
        ("WHO", "Tenants from 12 buildings"),
        ("RSVP", "dana@example.org"),
    ]
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    doc.save(root / "advisory.docx")
    _, path, data = _import(capsys, root, "advisory.docx")
    assert data["type"] == "media-advisory"
    assert data["event"] == {
        "what": "Rally and press conference on face-scanning door locks",
        "when": {
            "start": "2026-12-11 10:00 America/Los_Angeles",
            "end": "2026-12-11 11:30 America/Los_Angeles",
        },
        "where": {
            "venue": "City Hall, north steps",
            "address": "1 Frank H. Ogawa Plaza, Oakland, CA 94612",
        },
        "who": "Tenants from 12 buildings",
        "rsvp": "dana@example.org",
    }
    load_release(load_room(root), path)


def test_prose_that_looks_like_furniture_stays_prose(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    """An "About ..." heading inside the body, a sentence opening with "Contact",
    a quote-like aside: no boilerplate, no person, no quote invented from them."""
    root = make_room()
    before = (root / "pressroom.yaml").read_text()
    markdown = (
        "# Report Maps Every Camera in Oakland\n\n"
        "OAKLAND \u2014 A new report maps 900 cameras.\n\n"
        "## About the report\n\n"
        "It took 14 months.\n\n"
        "> It was a long year.\n\n"
        "Contact the council before Friday to comment.\n\n"
        "## Next steps\n\n"
        "The council votes in March.\n"
    )
    (root / "report.md").write_text(markdown)
    result, path, data = _import(capsys, root, "report.md")
    assert "boilerplate" not in data and "contacts" not in data
    assert data["body"] == [
        "A new report maps 900 cameras.",
        {"heading": "About the report"},
        "It took 14 months.",
        "It was a long year.",
        "Contact the council before Friday to comment.",
        {"heading": "Next steps"},
        "The council votes in March.",
    ]
    assert (root / "pressroom.yaml").read_text() == before

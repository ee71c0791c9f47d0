"""A hostile signatory list cannot stall a build: 40,000 names make a Word file in seconds.

The signatories are written in bulk (:mod:`pressroom.render.docx.signatories`);
the file is read back with python-docx and as XML, every name present and in
order, links related to their addresses. How fast belongs to
``bench/hostile.py`` (docs/performance.md), not to a timed test.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from lxml import etree

from tests.cli_runner import run

COUNT = 40_000
LETTER = "transit-letter"


def signatory(i: int) -> str:
    """One row of the CSV: every third name with details, every seventh with a link."""
    title, org = ("Organizer", f"Group {i % 97}") if i % 3 == 0 else ("", "")
    url = f"https://signer-{i}.example.org/" if i % 7 == 0 else ""
    return f"Person Number {i:05d},{title},{org},,{url}"


def test_a_letter_with_40000_signatories_builds_a_whole_word_file(room: Path, capsys):
    [csv] = room.glob("releases/signatories/*transit-letter.csv")
    rows = "\n".join(signatory(i) for i in range(COUNT))
    csv.write_text(f"name,title,org,location,url\n{rows}\n")
    result = run(capsys, room, "build", LETTER, "--format", "docx", "--jobs", "1")
    assert result.code == 0, result
    [built] = room.glob(f"build/*{LETTER}/*.docx")

    word = docx.Document(str(built))
    texts = [p.text for p in word.paragraphs]
    assert f"Signatories ({COUNT:,})" in texts or f"Signatories ({COUNT})" in texts
    style = word.styles["Signatory"].style_id  # by id: a lookup by name per paragraph is slow
    signed = [p for p in word.paragraphs if p._p.style == style]
    assert len(signed) == COUNT
    names = [p.text.split(" \u2014 ")[0] for p in signed]
    assert names == [f"Person Number {i:05d}" for i in range(COUNT)]  # all, in order
    assert signed[3].text == "Person Number 00003 \u2014 Organizer, Group 3"
    assert signed[3].runs[0].style.name == "Strong"
    assert signed[1].text == "Person Number 00001" and signed[1].runs[0].style is not None

    # links: each a w:hyperlink whose relationship is the signer's address
    part = word.part
    links = signed[7]._p.findall(qn("w:hyperlink"))
    assert len(links) == 1
    assert part.rels[links[0].get(qn("r:id"))].target_ref == "https://signer-7.example.org/"
    related = {rel.target_ref for rel in part.rels.values() if rel.reltype.endswith("/hyperlink")}
    assert {f"https://signer-{i}.example.org/" for i in range(0, COUNT, 7)} <= related

    # well-formed XML, the names laid out in two columns after the heading
    with zipfile.ZipFile(built) as archive:
        body = etree.parse(io.BytesIO(archive.read("word/document.xml"))).getroot()
    columns = [cols.get(qn("w:num")) for cols in body.iter(qn("w:cols"))]
    assert "2" in columns and columns[-1] == "1"

"""The Word renderer: real .docx files read back with python-docx."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from pressroom.errors import RenderError
from pressroom.load.room import load_release, load_room, release_files
from pressroom.render.context import Document, document
from pressroom.render.docx import render_docx
from pressroom.render.markup import Rich

from .conftest import REPO, MakeRoom, example_document, example_release_names

EPOCH = 1795000000  # conftest sets SOURCE_DATE_EPOCH to this
EXAMPLES = example_release_names()


@cache
def _example(name: str) -> tuple[Document, bytes]:
    doc = example_document(load_room(REPO), name)
    return doc, render_docx(doc)


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def texts(word: docx.document.Document) -> list[str]:
    return [p.text for p in word.paragraphs]


def style_of(word: docx.document.Document, text: str, after: str = "") -> str:
    """The style of the first paragraph containing *text* (after one equal to *after*)."""
    paragraphs = word.paragraphs
    if after:
        paragraphs = paragraphs[texts(word).index(after) + 1 :]
    for paragraph in paragraphs:
        if text in paragraph.text:
            return paragraph.style.name
    raise AssertionError(f"no paragraph contains {text!r}")


def rich_texts(rich: Rich | None) -> list[str]:
    return [para.text for para in rich.paras if para.text.strip()] if rich else []


def expected_in_order(doc: Document) -> list[str]:
    """Every piece of the Document, in the order the release reads."""
    out = [doc.release_line]
    for contact in doc.contacts:
        out += [contact.name] + [x for x in (contact.email, contact.phone) if x]
    for update in doc.updates:
        out += [update.label, *rich_texts(update.rich)]
    out.append(doc.full_headline)
    if doc.subheadline:
        out.append(doc.subheadline)
    if doc.place_and_date:
        out.append(doc.place_and_date)
    out += [addressee.name for addressee in doc.addressees]
    out += rich_texts(doc.salutation)
    if doc.lead_in:
        out.append(doc.lead_in)
    for block in doc.blocks:
        if block.kind == "heading":
            out.append(block.heading)
        else:
            out += rich_texts(block.rich)
        if block.kind == "quote" and block.attribution:
            out.append(block.attribution)
    if doc.event is not None:
        event = doc.event
        out += ["WHAT", *rich_texts(event.what), "WHEN", event.when_text]
        if event.venue:
            out += ["WHERE", event.venue]
        for label, rich in (("WHO", event.who), ("WHY", event.why), ("VISUALS", event.visuals)):
            if rich:
                out += [label, *rich_texts(rich)]
        if event.onsite_contact:
            out += ["ON-SITE CONTACT", event.onsite_contact.name]
        if event.rsvp:
            out += ["RSVP", event.rsvp]
    for image in doc.images:
        out += [x for x in (image.caption, image.credit) if x]
    out += rich_texts(doc.closing)
    if doc.signatory_groups:
        out.append(f"Signatories ({doc.signatory_count})")
        for group in doc.signatory_groups:
            if group.label:
                out.append(f"{group.label} ({group.count})")
            out += [signatory.name for signatory in group.signatories]
    out += rich_texts(doc.ps)
    out += [f"#{tag.lstrip('#')}" for tag in doc.hashtags]
    if doc.boilerplate:
        out += [doc.about_heading, *rich_texts(doc.boilerplate)]
    out.append(doc.end_mark)
    return out


def assert_in_order(paragraphs: list[str], needles: list[str]) -> None:
    text = "\n".join(paragraphs)
    position = 0
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, (
            f"{needle!r} missing or out of order after: {text[position - 80 : position]!r}"
        )
        position = found + len(needle)


def hyperlinks(word: docx.document.Document) -> dict[str, str]:
    """Each w:hyperlink's text -> the target of its (external) relationship."""
    links = {}
    for element in word.element.body.iter(qn("w:hyperlink")):
        rel = word.part.rels[element.get(qn("r:id"))]
        assert rel.is_external
        text = "".join(t.text or "" for t in element.iter(qn("w:t")))
        links[text] = rel.target_ref
    return links


# -- the example room ----------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_content_in_order(name: str) -> None:
    doc, data = _example(name)
    assert_in_order(texts(read(data)), expected_in_order(doc))


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_styles(name: str) -> None:
    doc, data = _example(name)
    word = read(data)
    assert style_of(word, doc.release_line) == "Release Line"
    assert style_of(word, doc.headline) == "Title"
    if doc.subheadline:
        assert style_of(word, doc.subheadline) == "Subtitle"
    for block in doc.blocks:
        if block.kind == "quote":
            assert style_of(word, block.rich.paras[0].text) == "Quote"
            assert style_of(word, block.attribution) == "Attribution"
        elif block.kind == "heading":
            assert style_of(word, block.heading) == "Heading 1"
        else:
            for para in block.rich.paras:
                if para.kind == "bullet" and para.level == 0:
                    assert style_of(word, para.text) == "List Bullet"
    for group in doc.signatory_groups:
        for signatory in group.signatories:
            heading = f"Signatories ({doc.signatory_count})"
            assert style_of(word, signatory.name, after=heading) == "Signatory"
    if doc.boilerplate:
        assert style_of(word, doc.about_heading) == "Heading 1"
    if doc.lead_in:
        runs = [r for p in word.paragraphs for r in p.runs if r.text.startswith(doc.lead_in)]
        assert runs and runs[0].style.name == "Dateline"
    assert word.paragraphs[-1].text == "###"
    assert word.paragraphs[-1].style.name == "End Mark"


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_links_are_real_hyperlinks(name: str) -> None:
    doc, data = _example(name)
    links = hyperlinks(read(data))
    for contact in doc.contacts:
        if contact.email:
            assert links[contact.email] == f"mailto:{contact.email}"
    rich_fields = [block.rich for block in doc.blocks] + [doc.ps, doc.boilerplate, doc.closing]
    for rich in rich_fields:
        for para in rich.paras if rich else ():
            for span in para.spans:
                if span.href and "://" in span.href:
                    assert links[span.text] == span.href


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_header_footer_and_properties(name: str) -> None:
    doc, data = _example(name)
    word = read(data)
    first = word.sections[0]
    header = "\n".join(p.text for p in first.header.paragraphs)
    assert doc.release_line in header
    if doc.is_embargoed:
        assert header.count("EMBARGOED UNTIL") == 1
    for section in word.sections:  # the running header is on every page
        assert doc.release_line in "".join(p.text for p in section.header.paragraphs)
    fields = [
        f.get(qn("w:instr")).split()[0] for f in first.footer._element.iter(qn("w:fldSimple"))
    ]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "Page" in first.footer.paragraphs[0].text

    props = word.core_properties
    assert props.title == doc.full_headline
    assert props.author == doc.org.name
    assert props.subject == doc.type_label
    assert props.language == doc.language
    for tag in doc.hashtags:
        assert tag.lstrip("#") in props.keywords
    moment = datetime.fromtimestamp(EPOCH, UTC)
    assert props.created == moment and props.modified == moment


def test_examples_exist() -> None:
    assert EXAMPLES, "the example room has no releases"


def test_long_signatory_list_is_set_in_two_columns() -> None:
    long = [n for n in EXAMPLES if _example(n)[0].signatory_count >= 10]
    assert long, "the example room lost its open letter with a long signatory list"
    word = read(_example(long[0])[1])
    columns = [cols.get(qn("w:num")) for cols in word.element.body.iter(qn("w:cols"))]
    assert "2" in columns and columns[-1] == "1"


def test_logo_and_images_are_embedded() -> None:
    with_image = [n for n in EXAMPLES if _example(n)[0].images]
    assert with_image, "the example room lost its release with a photo"
    doc, data = _example(with_image[0])
    word = read(data)
    pictures = word.inline_shapes
    assert len(pictures) == len(doc.images) + (1 if doc.org.logo else 0)
    assert abs(pictures[-1].width.cm - 12) < 0.1
    assert style_of(word, doc.images[0].caption or doc.images[0].credit) == "Caption"


# -- reproducibility -----------------------------------------------------------------------


def test_two_renders_are_byte_identical() -> None:
    doc, data = _example(EXAMPLES[0])
    assert render_docx(doc) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        stamps = {info.date_time for info in archive.infolist()}
    assert stamps == {datetime.fromtimestamp(EPOCH, UTC).timetuple()[:6]}


# -- a room made for the test ----------------------------------------------------------------

RELEASE = """\
status: embargoed
embargo: 2026-12-01 09:00 America/New_York
date: 2026-11-30
dateline: OAKLAND, Calif.
headline: "<script>alert(1)</script> Launch"
body:
  - |
    First **bold** and *italic* text with a [link](https://example.org/a?b=1&c=2).

    1. one
    2. two
       - nested
  - heading: Next
  - |
    3. three
    4. four
"""


def make_document(make_room: MakeRoom, release: str = RELEASE) -> Document:
    root = make_room({"releases/2026-11-30-launch.yaml": release})
    room = load_room(root)
    [path] = release_files(room, ["2026-11-30-launch"])
    return document(room, load_release(room, path))


def test_markup_runs_lists_and_script_as_text(make_room: MakeRoom) -> None:
    doc = make_document(make_room)
    data = render_docx(doc)
    word = read(data)
    title = [p for p in word.paragraphs if p.style.name == "Title"]
    assert [p.text for p in title] == ["<script>alert(1)</script> Launch"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in archive.read("word/document.xml").decode()

    runs = {r.text: r for p in word.paragraphs for r in p.runs}
    assert runs["bold"].bold and runs["italic"].italic
    assert hyperlinks(word)["link"] == "https://example.org/a?b=1&c=2"
    assert style_of(word, "one") == "List Number"
    assert style_of(word, "nested") == "List Bullet 2"
    assert style_of(word, "three") == "List Number"
    # the second list starts again (at 3), so it has its own numbering instance
    num_ids = [
        p.paragraph_format.element.pPr.numPr for p in word.paragraphs if p.text in ("one", "three")
    ]
    assert num_ids[0].numId.val != num_ids[1].numId.val
    assert word.paragraphs[0].style.name == "Letterhead"  # no logo: the org's name
    header = word.sections[0].header.paragraphs[0]
    assert "EMBARGOED UNTIL" in header.text
    assert any(r.style.name == "Alert" for r in header.runs)


# -- the reference document ------------------------------------------------------------------


def test_reference_docx_supplies_the_styles(make_room: MakeRoom, tmp_path: Path) -> None:
    reference = docx.Document()
    reference.styles["Title"].font.name = "Courier New"
    reference.styles["Title"].font.size = Pt(30)
    reference.add_paragraph("Old body text that must go")
    reference.sections[0].header.paragraphs[0].text = "Old header"
    path = tmp_path / "reference.docx"
    reference.save(str(path))

    doc = make_document(make_room)
    plain = read(render_docx(doc))
    assert plain.styles["Title"].font.name != "Courier New"
    word = read(render_docx(doc, reference=path))
    title = word.styles["Title"]
    assert title.font.name == "Courier New" and title.font.size == Pt(30)
    assert style_of(word, "Launch") == "Title"
    assert "Old body text that must go" not in texts(word)
    assert "Old header" not in word.sections[0].header.paragraphs[0].text
    assert word.styles["Release Line"] is not None  # our own styles are added


@pytest.mark.parametrize("content", [b"not a zip file", None])
def test_invalid_reference_is_a_render_error(
    make_room: MakeRoom, tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "templates" / "reference.docx"
    if content is not None:
        path.parent.mkdir()
        path.write_bytes(content)
    with pytest.raises(RenderError) as error:
        render_docx(make_document(make_room), reference=path)
    message = str(error.value)
    assert str(path) in message and ".docx" in message

"""The PDF renderer, tested on real PDFs read back with pypdf.

Every example release is rendered once per session (``rendered``) and its text
checked for every piece of content, in reading order. Text is compared with
all whitespace removed, so line breaks chosen by the layout do not matter.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from pressroom.errors import RenderError
from pressroom.load.room import load_release, load_room, release_files
from pressroom.model.room import Room
from pressroom.render.context import END_MARK, Document, document
from pressroom.render.environment import make_environment
from pressroom.render.pdf import print_html, render_pdf
from tests.conftest import NOW, REPO, MakeRoom, example_document, example_release_names

EMBARGOED = "2037-12-01-unseen-terms-audit"
DRAFT = "DRAFT\u2014NOTFORDISTRIBUTION"


def squash(text: str) -> str:
    """*text* without spaces, and without the hyphens hyphenation adds at line ends
    (``hyphens: auto``: WeasyPrint's hyphenate-character, U+2010)."""
    return re.sub(r"\s+", "", re.sub("\u2010\\s+", "", text))


@dataclass
class Rendered:
    doc: Document
    pdf: bytes
    reader: PdfReader

    @property
    def pages(self) -> list[str]:
        return [page.extract_text() for page in self.reader.pages]

    def body_text(self) -> str:
        """The text of all pages without the running header and footer, squashed."""
        org = squash(self.doc.org.name)
        release = squash(self.doc.release_line)
        parts = []
        count = len(self.pages)
        for number, text in enumerate(self.pages, 1):
            text = squash(text)
            # WeasyPrint draws the page-margin boxes last: they end each page's text.
            running = (
                rf"(?:{re.escape(release)})?(?:{DRAFT})?(?:{re.escape(org)})?"
                rf"{re.escape(org)}Page{number}of{count}$"
            )
            stripped = re.sub(running, "", text)
            assert stripped != text, f"page {number} has no running footer"
            parts.append(stripped)
        return "".join(parts)


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


@pytest.fixture(scope="module")
def rendered() -> Iterator[Callable[[str], Rendered]]:
    """Renders an example release once for the whole module."""
    cache: dict[str, Rendered] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PRESSROOM_NOW", NOW)
        mp.setenv("SOURCE_DATE_EPOCH", "1795000000")
        room = load_room(REPO)
        env = make_environment(REPO / "templates")

        def render(name: str) -> Rendered:
            if name not in cache:
                doc = example_document(room, name)
                pdf = render_pdf(doc, env)
                cache[name] = Rendered(doc, pdf, read(pdf))
            return cache[name]

        yield render


def expected_sequence(doc: Document) -> list[str]:
    """Every piece of content of *doc*, in the order a reader meets it."""

    def first(text: str, length: int = 60) -> str:
        return " ".join(text.split())[:length]

    seq = [doc.release_line]
    for contact in doc.contacts:
        seq += [contact.name] + [
            v for v in (contact.affiliation, contact.email, contact.phone) if v
        ]
    for update in doc.updates:
        seq += [update.label] + [first(p.text) for p in update.rich.paras]
    seq.append(doc.full_headline)
    if doc.subheadline:
        seq.append(doc.subheadline)
    if doc.place_and_date:
        seq.append(doc.place_and_date)
    for addressee in doc.addressees:
        seq += [v for v in (addressee.name, addressee.title, addressee.address) if v]
    if doc.salutation:
        seq.append(doc.salutation.paras[0].text)
    if doc.lead_in:
        seq.append(doc.lead_in)
    for block in doc.blocks:
        if block.kind == "heading":
            seq.append(block.heading)
        else:
            assert block.rich is not None
            seq += [first(p.text) for p in block.rich.paras]
            seq += [p.text[-30:] for p in block.rich.paras[-1:]]
            if block.kind == "quote":
                seq.append(f"\u2014 {block.attribution}")
    if doc.event:
        ev = doc.event
        seq += ["WHAT", first(ev.what.text), "WHEN", ev.when_text]
        seq += [v for v in (ev.venue, ev.address) if v]
        for label, rich in (("WHO", ev.who), ("WHY", ev.why), ("VISUALS", ev.visuals)):
            if rich:
                seq += [label] + [first(p.text) for p in rich.paras]
        if ev.onsite_contact:
            seq += ["ON-SITE CONTACT", ev.onsite_contact.name]
        if ev.rsvp:
            seq += ["RSVP", ev.rsvp]
    for image in doc.images:
        seq += [v for v in (image.caption, image.credit) if v]
    if doc.closing:
        seq.append(doc.closing.paras[0].text)
    if doc.signatory_groups:
        seq.append(f"Signatories ({doc.signatory_count})")
        for group in doc.signatory_groups:
            if group.label:
                seq.append(f"{group.label} ({group.count})")
            people = group.signatories
            for s in [people[0], people[len(people) // 2], people[-1]]:
                seq += [s.name] + ([s.details] if s.details else [])
    if doc.ps:
        assert doc.ps.paras[0].text.startswith("P.S. ")
        seq.append(first(doc.ps.paras[0].text))
    if doc.hashtags:
        seq.append(" ".join(f"#{tag}" for tag in doc.hashtags))
    if doc.boilerplate:
        seq += [doc.about_heading, first(doc.boilerplate.paras[0].text)]
    seq.append(doc.end_mark)
    return [s for s in seq if s]


@pytest.mark.parametrize("name", example_release_names())
def test_every_piece_of_content_in_order(rendered: Callable[[str], Rendered], name: str) -> None:
    result = rendered(name)
    text = result.body_text()
    position = 0
    for piece in expected_sequence(result.doc):
        found = text.find(squash(piece), position)
        assert found >= 0, (
            f"{piece!r} missing or out of order after …{text[max(0, position - 80) : position]}"
        )
        position = found + len(squash(piece))
    assert text.endswith(squash(result.doc.end_mark))
    assert text.count(squash("P.S.")) == (1 if result.doc.ps else 0)


@pytest.mark.parametrize("name", example_release_names())
def test_metadata_and_page_numbers(rendered: Callable[[str], Rendered], name: str) -> None:
    result = rendered(name)
    doc, reader = result.doc, result.reader
    assert reader.metadata is not None
    assert reader.metadata.title == doc.full_headline
    assert reader.metadata.author == doc.org.name
    assert reader.root_object["/Lang"] == doc.language
    mark_info = reader.root_object["/MarkInfo"].get_object()
    assert isinstance(mark_info, DictionaryObject) and mark_info["/Marked"]  # tagged PDF
    count = len(reader.pages)
    for number, page in enumerate(result.pages, 1):
        assert f"Page {number} of {count}" in page
        assert doc.org.name in page


def test_embargo_line_on_every_page(rendered: Callable[[str], Rendered]) -> None:
    result = rendered(EMBARGOED)
    assert result.doc.is_embargoed
    assert len(result.pages) >= 2
    for page in result.pages:
        assert squash(result.doc.release_line) in squash(page)


def test_links_are_live(rendered: Callable[[str], Rendered]) -> None:
    result = rendered(EMBARGOED)
    uris = {
        annot.get_object()["/A"]["/URI"]
        for page in result.reader.pages
        for annot in page.get("/Annots") or []
        if "/URI" in annot.get_object().get("/A", {})
    }
    doc = result.doc
    assert doc.org.website in uris
    contact = doc.contacts[0]
    assert f"mailto:{contact.email}" in uris
    assert contact.phone_href in uris


def test_the_image_and_logo_are_embedded(rendered: Callable[[str], Rendered]) -> None:
    result = rendered(EMBARGOED)
    assert result.doc.images and result.doc.org.logo
    images = [image for page in result.reader.pages for image in page.images]
    assert len(images) >= 2


def test_two_renders_are_byte_identical(rendered: Callable[[str], Rendered]) -> None:
    first = rendered(EMBARGOED)
    env = make_environment(REPO / "templates")
    assert render_pdf(first.doc, env) == first.pdf
    info = read(first.pdf).metadata
    assert info is not None and info.creation_date is not None
    assert info.creation_date.timestamp() == 1795000000


def make_document(root: Path, name: str) -> Document:
    room: Room = load_room(root)
    [path] = release_files(room, [name])
    return document(room, load_release(room, path))


RELEASE = """\
    type: press-release
    date: 2026-11-20
    dateline: OAKLAND, Calif.
    headline: "<script>alert(1)</script> Budget hearing"
    body:
      - First paragraph.
"""


def test_script_in_headline_is_text(make_room: MakeRoom) -> None:
    root = make_room({"releases/x.yaml": RELEASE})
    doc = make_document(root, "x")
    env = make_environment(root / "templates")
    assert "<script>" not in print_html(doc, env)
    reader = read(render_pdf(doc, env))
    assert "<script>alert(1)</script> Budget hearing" in " ".join(
        reader.pages[0].extract_text().split()
    )
    assert reader.metadata is not None and reader.metadata.title == doc.full_headline


def test_room_stylesheet_replaces_the_bundled_one(make_room: MakeRoom) -> None:
    root = make_room({"releases/x.yaml": RELEASE})
    doc = make_document(root, "x")
    bundled = read(render_pdf(doc, make_environment(root / "templates")))
    assert round(float(bundled.pages[0].mediabox.width)) == 612  # en-US: US Letter
    (root / "templates").mkdir()
    (root / "templates" / "print.css").write_text("@page { size: A5; margin: 1cm }\n")
    custom = read(render_pdf(doc, make_environment(root / "templates")))
    assert round(float(custom.pages[0].mediabox.width)) == 420  # A5
    assert "Page 1 of" not in custom.pages[0].extract_text()


def test_a4_outside_the_united_states(make_room: MakeRoom) -> None:
    from tests.conftest import MINIMAL_ROOM

    root = make_room({"releases/x.yaml": RELEASE}, room=MINIMAL_ROOM.replace("en_US", "en_GB"))
    doc = make_document(root, "x")
    assert doc.language != "en-US"
    reader = read(render_pdf(doc, make_environment(root / "templates")))
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    assert reader.root_object["/Lang"] == doc.language


@pytest.mark.parametrize("image", ["https://tracker.example/pixel.png", "../outside.png"])
def test_a_release_cannot_make_the_renderer_fetch(make_room: MakeRoom, image: str) -> None:
    # Relative Markdown links and images resolve against org.website: the network.
    release = RELEASE.replace("First paragraph.", f"First ![pixel]({image}) paragraph.")
    root = make_room({"releases/x.yaml": release})
    doc = make_document(root, "x")
    with pytest.raises(RenderError, match="refused to load"):
        render_pdf(doc, make_environment(root / "templates"), base_url=root.as_uri() + "/")


def test_only_the_release_images_are_read(make_room: MakeRoom) -> None:
    css = "body { background: url(file:///etc/hostname) }\n"
    root = make_room({"releases/x.yaml": RELEASE, "templates/print.css": css})
    doc = make_document(root, "x")
    with pytest.raises(RenderError, match="refused to load file:///etc/hostname"):
        render_pdf(doc, make_environment(root / "templates"))


def test_a_broken_template_is_a_render_error(make_room: MakeRoom) -> None:
    root = make_room({"releases/x.yaml": RELEASE, "templates/print.html.j2": "{{ doc.nope }}"})
    doc = make_document(root, "x")
    with pytest.raises(RenderError, match="print.html.j2"):
        render_pdf(doc, make_environment(root / "templates"))


def test_a_long_signatory_list_runs_on_in_order(make_room: MakeRoom) -> None:
    names = "\n".join(
        f"  - {{name: Signer {i:04d}, org: Group {i % 7}, location: Town {i % 5}}}"
        for i in range(400)
    )
    root = make_room(
        {
            "releases/x.yaml": "type: open-letter\nheadline: Four Hundred Voices\n"
            f"salutation: Dear Council,\nbody: [We ask for a vote.]\nclosing: Sincerely,\nsignatories:\n{names}\n"
        }
    )
    doc = make_document(root, "x")
    html = print_html(doc, make_environment(root / "templates"))
    assert 'class="signatory-run"' in html and 'class="signatory-list"' not in html
    reader = read(render_pdf(doc, make_environment(root / "templates")))
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    assert squash("Signatories (400)") in text
    positions = [
        text.find(squash(f"Signer {i:04d} (Group {i % 7}, Town {i % 5})")) for i in range(400)
    ]
    assert -1 not in positions and positions == sorted(positions)


# -- signatories across pages ----------------------------------------------------------

FORTY = [
    "American-Arab Anti-Discrimination Committee",
    "Baltimore Tenants Union",
    "Council on American-Islamic Relations Maryland",
    "Electronic Frontier Alliance of the Chesapeake",
    "Fight for the Future",
    "Government Accountability Watch of Central Maryland",
    "Harbor Point Neighborhood Association",
    "Immigrant Justice Network of the Mid-Atlantic",
    "Jews United for Justice",
    "Korean American Civic Association",
    "League of Women Voters of Baltimore City",
    "Maryland Alliance for Justice Reform",
    "National Lawyers Guild Baltimore Chapter",
    "Open Society Baltimore",
    "Patapsco Valley Civic League",
    "Queer Elders of Mount Vernon",
    "Restore the Fourth Maryland",
    "Southeast Neighbors United",
    "Transit Riders United of Central Maryland",
    "Union of Concerned Scientists Local Group",
]
FORTY += [f"{name} Youth Committee" for name in FORTY]


def letter_pages(make_room: MakeRoom, names: list[str], paragraphs: int) -> list[str]:
    """The squashed text of each page of a letter signed by *names*."""
    body = "\n".join(f"  - Paragraph {i} {'words ' * 60}" for i in range(paragraphs))
    signed = "\n".join(f'  - "{name}"' for name in names)
    root = make_room(
        {
            "releases/x.yaml": "type: open-letter\nheadline: Forty Groups\n"
            f"salutation: Dear Council,\nbody:\n{body}\nclosing: Sincerely,\n"
            f"boilerplate: false\nsignatories:\n{signed}\n"
        }
    )
    reader = read(render_pdf(make_document(root, "x"), make_environment()))
    return [squash(page.extract_text()) for page in reader.pages]


def pages_holding(pages: list[str], name: str) -> list[int]:
    return [number for number, text in enumerate(pages, 1) if squash(name) in text]


@pytest.mark.parametrize("paragraphs", [2, 3, 4, 5])
def test_a_signatory_is_never_split_across_pages(make_room: MakeRoom, paragraphs: int) -> None:
    """Body lengths that put the list across a page break; with 3 paragraphs,
    "Baltimore Tenants Union Youth | Committee" once ended page 1."""
    pages = letter_pages(make_room, FORTY, paragraphs)
    assert len(pages) >= 2
    for name in FORTY:
        assert pages_holding(pages, name), f"{name!r} is split across pages"
    # no last page with only the tail of the list: at least two rows (4 names) and ###
    last = len(pages)
    on_last = [name for name in FORTY if pages_holding(pages, name) == [last]]
    assert not on_last or len(on_last) >= 4, on_last
    assert f"{END_MARK}FORIMMEDIATERELEASE" in pages[-1]  # the end mark closes the text


def test_a_long_list_never_splits_a_name(make_room: MakeRoom) -> None:
    """Over 150 names run on in paragraphs: a name still stays on one line and one page."""
    names = [f"{FORTY[i % 40]} Chapter {i}" for i in range(200)]
    pages = letter_pages(make_room, names, 1)
    assert len(pages) >= 3
    split = [name for name in names if not pages_holding(pages, name)]
    assert not split


@pytest.mark.parametrize("name", [n for n in example_release_names() if "letter" in n])
def test_example_letters_keep_every_name_on_one_page(
    rendered: Callable[[str], Rendered], name: str
) -> None:
    result = rendered(name)
    pages = [squash(text) for text in result.pages]
    for group in result.doc.signatory_groups:
        for signatory in group.signatories:
            assert pages_holding(pages, signatory.name), signatory.name


def test_a_letters_closing_never_stands_alone_atop_a_page(
    rendered: Callable[[str], Rendered],
) -> None:
    """ "Respectfully," opened page 2 of the transit letter on its own, cut off from
    the letter it closes: it keeps the letter's last lines with it."""
    letter = rendered("2026-12-08-transit-letter")
    closing = squash(letter.doc.closing.text if letter.doc.closing else "")
    assert closing.startswith("Respectfully")
    org = squash(letter.doc.org.name)
    tops = [
        re.sub(
            rf"^(?:{re.escape(squash(letter.doc.release_line))})?(?:{re.escape(org)})?",
            "",
            squash(text),
        )  # fmt: skip
        for text in letter.pages
    ]
    assert any(closing in page for page in tops)
    assert not any(page.startswith(closing) for page in tops), tops

"""The HTML email and its text alternative.

Every example release is rendered and its visible text checked piece by piece,
in order, against the Document; then compared whole with the golden files in
tests/golden/. After an intended change to the templates or the example
releases, regenerate the golden files with one command and review the diff::

    python -m tests.regen_golden
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pressroom.load.room import load_room
from pressroom.model.room import Room
from pressroom.render.context import Document
from pressroom.render.email import Email, about_heading, ps_label, render_email
from pressroom.render.environment import make_environment
from pressroom.render.markup import Rich, span_text
from tests.conftest import MakeRoom, example_document, example_release_names
from tests.regen_golden import golden_email, golden_paths

EXAMPLES = example_release_names()
GMAIL_CLIP_BYTES = 100_000  # Gmail clips messages larger than about 102 KB


# -- helpers --------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """The text a reader sees: no <head>, nothing inside display:none."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
    VOID |= {"source", "wbr"}
    BLOCK = {"p", "div", "td", "th", "tr", "table", "li", "ul", "ol", "blockquote", "title"}
    BLOCK |= {"h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # hidden?
        self.parts: list[str] = []
        self.hidden: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        self.tags.append((tag, attributes))
        if tag in self.VOID:
            if tag == "br":
                self.parts.append("\n")
            return
        style = attributes.get("style", "").replace(" ", "").lower()
        hidden = tag in ("head", "style", "title") or "display:none" in style
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()
            if tag in self.BLOCK:
                self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1]:
            self.hidden.append(data)
        else:
            self.parts.append(data)


def parse(html: str) -> _VisibleText:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser


def squash(text: str) -> str:
    return " ".join(text.split())


def visible_text(html: str) -> str:
    return squash("".join(parse(html).parts))


def assert_in_order(haystack: str, needles: list[str], what: str) -> None:
    position = 0
    for needle in needles:
        needle = squash(needle)
        if not needle:
            continue
        found = haystack.find(needle, position)
        assert found >= 0, (
            f"{what}: {needle!r} missing after position {position}"
            f" (context: {haystack[max(0, position - 80) : position + 80]!r};"
            f" anywhere: {needle in haystack})"
        )
        position = found + len(needle)


def rich_pieces(rich: Rich | None, *, links: bool) -> list[str]:
    """The paragraphs of a Markdown field as a reader sees them (text links show their URL)."""
    if rich is None:
        return []
    return ["".join(span_text(s) if links else s.text for s in para.spans) for para in rich.paras]


def expected_pieces(doc: Document, *, text: bool, greeting: str | None = None) -> list[str]:
    """Everything of *doc* that the email must show, in reading order."""
    out: list[str] = []
    if greeting:
        out.append(greeting)
    if doc.draft:
        out.append("DRAFT")
    out += [doc.org.name.upper() if text else doc.org.name, doc.release_line]
    if doc.contacts:
        out.append("MEDIA CONTACT" if text else "Media contact")
        for c in doc.contacts:
            out += [c.name, c.pronouns or "", c.affiliation, c.email or "", c.phone or ""]
    for update in doc.updates:
        out += [update.label, update.date_text or ""] + rich_pieces(update.rich, links=text)
    out += [doc.full_headline, doc.subheadline, doc.place_and_date or ""]
    for a in doc.addressees:
        out += [a.name, a.title or "", a.address or ""]
    out += rich_pieces(doc.salutation, links=text)
    if doc.lead_in:
        out.append(doc.lead_in)
    for block in doc.blocks:
        if block.kind == "heading":
            out.append(block.heading.upper() if text else block.heading)
        else:
            out += rich_pieces(block.rich, links=text)
            if block.kind == "quote":
                out.append(f"\u2014 {block.attribution}")
    if doc.event:
        ev = doc.event
        colon = ":" if text else ""
        out += [f"WHAT{colon}"] + rich_pieces(ev.what, links=text)
        out += [f"WHEN{colon} {ev.when_text}", f"WHERE{colon}", ev.venue or "", ev.address or ""]
        for label, rich in (("WHO", ev.who), ("WHY", ev.why), ("VISUALS", ev.visuals)):
            if rich:
                out += [f"{label}{colon}"] + rich_pieces(rich, links=text)
        if ev.onsite_contact:
            person = ev.onsite_contact
            out += [f"ON-SITE CONTACT{colon}", person.name, person.affiliation]
            out += [person.phone or "", person.email or ""]
        if ev.rsvp:
            out += [f"RSVP{colon} {ev.rsvp}"]
    for image in doc.images:
        out += ["(attached)", image.filename, image.caption or "", image.credit or ""]
    out += rich_pieces(doc.closing, links=text)
    if doc.signatory_groups:
        out.append(f"{'SIGNATORIES' if text else 'Signatories'} ({doc.signatory_count})")
        for group in doc.signatory_groups:
            if group.label:
                out.append(f"{group.label} ({group.count})")
            for s in group.signatories:
                name = f"{s.name}, {s.details}" if s.details else s.name
                out.append(f"{name} <{s.url}>" if text and s.url else name)
    if doc.ps:
        out += ["P.S." if ps_label(doc) else ""] + rich_pieces(doc.ps, links=text)
    if doc.hashtags:
        out.append(" ".join(f"#{tag}" for tag in doc.hashtags))
    if doc.boilerplate:
        heading = about_heading(doc)
        out.append(heading.upper() if text else heading)
        out += rich_pieces(doc.boilerplate, links=text)
    out += [doc.end_mark, doc.org.name, doc.org.address or ""]
    out.append(doc.org.website if text and doc.org.website else doc.org.website_label)
    return out


def css_outside_media(style: str) -> str:
    """What a <style> block holds besides @media rules and comments."""
    style = re.sub(r"/\*.*?\*/", "", style, flags=re.S)
    rest, depth, i = [], 0, 0
    while i < len(style):
        if depth == 0 and style.startswith("@media", i):
            brace = style.index("{", i)
            depth, i = 1, brace + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(style[i], 0)
                i += 1
            continue
        rest.append(style[i])
        i += 1
    return "".join(rest).strip()


@pytest.fixture(scope="module")
def emails(example_room: Room) -> dict[str, tuple[Document, Email]]:
    env = make_environment()
    return {
        name: (d := example_document(example_room, name), render_email(d, env)) for name in EXAMPLES
    }


def room_email(
    make_room: MakeRoom,
    release: str,
    files: dict[str, str] | None = None,
    greeting: str | None = None,
) -> tuple[Document, Email]:
    root = make_room({"releases/r.yaml": release, **(files or {})})
    room = load_room(root)
    doc = example_document(room, "r")
    return doc, render_email(doc, make_environment(root / "templates"), greeting=greeting)


SIMPLE = """\
headline: City Opens Three New Parks
dateline: OAKLAND, Calif.
date: 2026-11-30
body:
  - The city opened three parks today, see [the map](/map).
  - quote: dana-reyes
    text: We are delighted.
"""


# -- the example releases -------------------------------------------------------------


def test_there_are_example_releases() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("name", EXAMPLES)
def test_html_shows_everything_in_order(
    emails: dict[str, tuple[Document, Email]], name: str
) -> None:
    doc, email = emails[name]
    assert_in_order(visible_text(email.html), expected_pieces(doc, text=False), f"{name}.html")


@pytest.mark.parametrize("name", EXAMPLES)
def test_text_shows_everything_in_order(
    emails: dict[str, tuple[Document, Email]], name: str
) -> None:
    doc, email = emails[name]
    assert_in_order(squash(email.text), expected_pieces(doc, text=True), f"{name}.txt")


@pytest.mark.parametrize("name", EXAMPLES)
def test_html_is_self_contained_and_inlined(
    emails: dict[str, tuple[Document, Email]], name: str
) -> None:
    doc, email = emails[name]
    html = email.html
    lower = html.lower()
    assert "<script" not in lower
    assert "<link" not in lower
    assert not re.search(r"\ssrc\s*=", lower), "no images or frames: attachments come later"
    assert "url(" not in lower and "@import" not in lower
    assert len(html.encode("utf-8")) < GMAIL_CLIP_BYTES
    # only the @media rules (phone layout, dark mode) may stay in a <style> block
    for style in re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.S | re.I):
        assert css_outside_media(style) == ""
    parsed = parse(html)
    styled = {
        cls
        for tag, attrs in parsed.tags
        if "style" in attrs
        for cls in attrs.get("class", "").split()
    }
    for cls in ("container", "card", "content", "headline", "end-mark", "footer"):
        assert cls in styled, f"class {cls} was not inlined"
    # head: charset first, viewport, title = subject, lang, preheader hidden
    assert re.search(r'<meta charset="utf-8">', html[:1024], flags=re.I)
    assert 'name="viewport"' in html
    assert re.search(rf'<html[^>]* lang="{re.escape(doc.language)}"', html)
    title = re.search(r"<title>(.*?)</title>", html, flags=re.S)
    assert title and parse(f"<p>{title.group(1)}</p>").parts[0] == doc.subject
    assert doc.preheader and doc.preheader in squash("".join(parsed.hidden))
    assert re.search(r'<div class="preheader" style="display: none;', html)
    assert 'role="presentation"' in html


@pytest.mark.parametrize("name", EXAMPLES)
def test_text_lines_fit(emails: dict[str, tuple[Document, Email]], name: str) -> None:
    _, email = emails[name]
    long = [line for line in email.text.splitlines() if len(line) > 78 and "://" not in line]
    assert not long
    assert email.text.endswith("\n") and "\n\n\n" not in email.text


@pytest.mark.parametrize("name", EXAMPLES)
def test_golden(name: str) -> None:
    email = golden_email(name)
    html_path, text_path = golden_paths(name)
    hint = f"{html_path.name} differs: if intended, run `python -m tests.regen_golden`"
    assert html_path.is_file(), hint
    assert email.html == html_path.read_text(encoding="utf-8"), hint
    assert email.text == text_path.read_text(encoding="utf-8"), hint


def test_no_stale_golden_files() -> None:
    expected = {p for name in EXAMPLES for p in golden_paths(name)}
    folder = Path(__file__).resolve().parent / "golden"
    assert set(folder.glob("*.html")) | set(folder.glob("*.txt")) == expected


def test_example_statuses(emails: dict[str, tuple[Document, Email]]) -> None:
    """The example room exercises every status, so the tests above cover them."""
    statuses = {doc.status for doc, _ in emails.values()}
    assert {"immediate", "embargoed", "breaking"} <= statuses
    for doc, email in emails.values():
        if doc.is_embargoed:
            assert "EMBARGOED UNTIL" in email.subject
            assert 'class="embargo"' in email.html
        if doc.is_breaking:
            assert email.subject.startswith("BREAKING: ")
            assert re.search(r'<span class="breaking"[^>]*>BREAKING: </span>', email.html)


# -- rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "subject"),
    [
        ("", "City Opens Three New Parks"),
        ("status: breaking\n", "BREAKING: City Opens Three New Parks"),
        (
            "status: embargoed\nembargo: 2026-12-01 09:00 America/New_York\n",
            "EMBARGOED UNTIL 9:00 AM EST, Tuesday, December 1, 2026: City Opens Three New Parks",
        ),
    ],
)
def test_subject(make_room: MakeRoom, status: str, subject: str) -> None:
    doc, email = room_email(make_room, status + SIMPLE)
    assert email.subject == subject == doc.subject
    assert f"<title>{subject}</title>" in email.html
    assert email.preheader == doc.preheader


def test_headline_is_escaped(make_room: MakeRoom) -> None:
    release = SIMPLE.replace("City Opens Three New Parks", '"<script>alert(1)</script> & more"')
    doc, email = room_email(make_room, release, greeting="<b>Ana</b>")
    assert "<script" not in email.html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in email.html
    assert "<b>Ana</b>" not in email.html and "&lt;b&gt;Ana&lt;/b&gt;" in email.html
    assert "<script>alert(1)</script> & more" in email.text
    assert "<script>alert(1)</script> & more" in visible_text(email.html)


@pytest.mark.parametrize("greeting", ["Dear Ana,", "{{first_name}}"])
def test_greeting_opens_the_email(make_room: MakeRoom, greeting: str) -> None:
    doc, email = room_email(make_room, SIMPLE, greeting=greeting)
    assert visible_text(email.html).startswith(greeting + " ")
    assert email.text.startswith(greeting + "\n\n")
    assert_in_order(
        visible_text(email.html), expected_pieces(doc, text=False, greeting=greeting), "html"
    )
    assert_in_order(squash(email.text), expected_pieces(doc, text=True, greeting=greeting), "text")


def test_no_greeting_by_default(make_room: MakeRoom) -> None:
    _, email = room_email(make_room, SIMPLE)
    assert visible_text(email.html).startswith("Example Justice Network ")
    assert email.text.startswith("EXAMPLE JUSTICE NETWORK")


def test_lead_in_is_bold_inside_the_first_paragraph(make_room: MakeRoom) -> None:
    doc, email = room_email(make_room, SIMPLE)
    assert doc.lead_in == "OAKLAND, Calif., November 30, 2026 \u2014"
    assert re.search(
        r'<p[^>]*><strong class="lead-in"[^>]*>OAKLAND, Calif., November 30, 2026 \u2014</strong>'
        r" The city opened three parks today",
        email.html,
    )
    first = "\nOAKLAND, Calif., November 30, 2026 \u2014 The city opened three parks today,"
    assert first in email.text
    assert "see the map <https://example.org/map>." in squash(email.text)


def test_lead_in_before_a_body_that_opens_with_a_heading(make_room: MakeRoom) -> None:
    release = SIMPLE.replace("body:\n", "body:\n  - heading: Parks\n")
    doc, email = room_email(make_room, release)
    assert_in_order(
        visible_text(email.html), [doc.lead_in or "", "Parks", "The city opened"], "html"
    )
    assert_in_order(squash(email.text), [doc.lead_in or "", "PARKS", "The city opened"], "text")


def test_quote_in_text_is_indented_with_attribution(make_room: MakeRoom) -> None:
    doc, email = room_email(make_room, SIMPLE)
    assert doc.blocks[1].attribution.startswith("Dana Reyes, Communications Director")
    quote = doc.blocks[1].rich
    assert quote is not None and "We are delighted." in quote.text
    assert f"\n\n    {quote.text}\n    \u2014 {doc.blocks[1].attribution}\n\n" in email.text


def test_room_stylesheet_overrides_the_bundled_one(make_room: MakeRoom) -> None:
    css = ".headline { color: #123456; font-family: Verdana, sans-serif; }\n"
    _, bundled = room_email(make_room, SIMPLE)
    _, custom = room_email(make_room, SIMPLE, files={"templates/email.css": css})
    assert "#123456" not in bundled.html
    assert re.search(r'<h1 class="headline" style="[^"]*color: #123456', custom.html)
    assert "Verdana" in custom.html


def test_thousand_signatories_stay_small(make_room: MakeRoom) -> None:
    def letter(count: int) -> str:
        names = "".join(
            f"  - {{name: Resident Number {i}, title: Neighbour, location: 'Baltimore, MD'}}\n"
            for i in range(count)
        )
        return f"type: open-letter\nheadline: A Letter\nbody: We object.\nsignatories:\n{names}"

    _, small = room_email(make_room, letter(3))
    _, large = room_email(make_room, letter(1000))
    assert "Signatories (1000)" in visible_text(large.html)
    assert "Resident Number 999, Neighbour, Baltimore, MD" in large.text
    names = sum(len(f"Resident Number {i}, Neighbour, Baltimore, MD") for i in range(3, 1000))
    overhead = (len(large.html.encode()) - len(small.html.encode()) - names) / 997
    assert overhead < 20, "one short line per name: no per-name tables or inline styles"
    assert large.html.count("<table") == small.html.count("<table")
    assert len(large.html.encode()) < GMAIL_CLIP_BYTES


def test_about_heading_unless_the_boilerplate_has_its_own(make_room: MakeRoom) -> None:
    _, default = room_email(make_room, SIMPLE)
    assert "About Example Justice Network" in visible_text(default.html)
    own = SIMPLE + "boilerplate: |\n  **About Parks United.** We plant trees.\n"
    _, custom = room_email(make_room, own)
    assert "About Example Justice Network" not in visible_text(custom.html)
    assert "ABOUT EXAMPLE JUSTICE NETWORK" not in custom.text
    assert_in_order(visible_text(custom.html), ["About Parks United. We plant trees.", "###"], "")


@pytest.mark.parametrize("ps", ["Join us.", "P.S. Join us."])
def test_ps_label_once(make_room: MakeRoom, ps: str) -> None:
    _, email = room_email(make_room, SIMPLE + f"ps: {ps!r}\n")
    assert visible_text(email.html).count("P.S.") == 1
    assert "P.S. Join us." in visible_text(email.html)
    assert email.text.count("P.S.") == 1 and "P.S. Join us." in email.text


def test_event_and_contact_links(emails: dict[str, tuple[Document, Email]]) -> None:
    [(doc, email)] = [(d, e) for d, e in emails.values() if d.event is not None][:1]
    assert doc.event is not None
    for contact in doc.contacts:
        if contact.email:
            assert f'href="mailto:{contact.email}"' in email.html
        if contact.phone_href:
            assert f'href="{contact.phone_href}"' in email.html
    if doc.event.rsvp_href:
        assert f'href="{doc.event.rsvp_href}"' in email.html

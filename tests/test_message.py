"""Composing what is sent: the .ics, the vCard, the Content and the MIME message.

The .ics and .vcf files are read back with a strict parser of RFC 5545 content
lines (below), which refuses bare LF, lines over 75 octets and bad escapes.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from pressroom.deliver.contents import attachments_for, content_for
from pressroom.deliver.message import GREETING, Content, Delivery, greeting_for
from pressroom.deliver.mime import mime_message
from pressroom.errors import NotReadyToSend, PressroomError, RenderError
from pressroom.model.contacts import Recipient
from pressroom.model.room import Room
from pressroom.render.context import Contact, Org
from pressroom.render.email import render_email
from pressroom.render.environment import make_environment
from pressroom.render.ics import fold, render_ics
from pressroom.render.vcard import render_vcard
from tests.conftest import example_document, load_example

ADVISORY = "2026-12-02-advisory-petition-delivery"
EMBARGOED = "2037-12-01-unseen-terms-audit"
BREAKING = "2026-11-23-streetsight-suspended"

Line = tuple[str, dict[str, str], str]

_UNESCAPE = re.compile(r"\\(.)")


def unescape(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        char = match[1]
        if char in "nN":
            return "\n"
        if char in "\\;,":
            return char
        raise AssertionError(f"bad escape \\{char} in {value!r}")

    assert not re.search(r"(?<!\\)(?:\\\\)*\\$", value), value
    return _UNESCAPE.sub(one, value)


def parse_content_lines(data: bytes) -> list[Line]:
    """RFC 5545 / RFC 2426 content lines -> (NAME, params, raw value), strictly."""
    assert data.endswith(b"\r\n")
    physical = data.split(b"\r\n")[:-1]
    for line in physical:
        assert b"\n" not in line and b"\r" not in line, line
        assert len(line) <= 75, (len(line), line)
        line.decode("utf-8")  # never folded inside a character
    logical: list[str] = []
    for line in physical:
        text = line.decode("utf-8")
        if text.startswith((" ", "\t")):
            logical[-1] += text[1:]
        else:
            logical.append(text)
    parsed = []
    for text in logical:
        match = re.match(r'^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:]*))*):(.*)$', text)
        assert match, text
        params = {}
        for param in re.findall(r';([A-Za-z0-9-]+)=("[^"]*"|[^";:]*)', match[2]):
            params[param[0].upper()] = param[1].strip('"')
        parsed.append((match[1].upper(), params, match[3]))
    return parsed


def properties(lines: list[Line], component: str) -> dict[str, tuple[dict[str, str], str]]:
    """The properties of the one *component* (VEVENT, VCARD), by name."""
    begin = lines.index(("BEGIN", {}, component))
    end = lines.index(("END", {}, component))
    inside = lines[begin + 1 : end]
    names = [name for name, _, _ in inside]
    assert len(names) == len(set(names)), names
    return {name: (params, value) for name, params, value in inside}


@pytest.fixture(scope="module")
def env():  # type: ignore[no-untyped-def]
    return make_environment()


# -- .ics ----------------------------------------------------------------------


def test_ics_event_in_utc(example_room: Room) -> None:
    doc = example_document(example_room, ADVISORY)
    lines = parse_content_lines(render_ics(doc, "sidewalkcommons.example"))
    assert lines[0] == ("BEGIN", {}, "VCALENDAR")
    assert lines[-1] == ("END", {}, "VCALENDAR")
    calendar = dict((name, value) for name, _, value in lines[1:5])
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["PRODID"]
    event = properties(lines, "VEVENT")
    assert event["UID"][1] == f"{ADVISORY}@sidewalkcommons.example"
    assert event["DTSTAMP"][1] == "20261123T120000Z"  # PRESSROOM_NOW
    # 10:00 in Baltimore (America/New_York, EST) is 15:00 UTC
    assert event["DTSTART"][1] == "20261204T150000Z"
    assert event["DTEND"][1] == "20261204T160000Z"
    start = datetime.strptime(event["DTSTART"][1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert start == doc.event.start if doc.event else False
    summary = unescape(event["SUMMARY"][1])
    # a short title (event.title); the WHAT paragraph opens the description
    assert summary == "Petition delivery and press conference, Baltimore City Hall"
    assert "\\," in event["SUMMARY"][1]
    assert event["SEQUENCE"][1] == "0"
    assert unescape(event["LOCATION"][1]) == (
        "Baltimore City Hall, west steps (Holliday Street side), "
        "100 N. Holliday Street, Baltimore, MD 21202"
    )
    description = unescape(event["DESCRIPTION"][1])
    assert description.startswith("Residents, neighborhood associations and civil rights groups")
    assert "\n\nWHO:\n- Devon Achebe, Executive Director, Sidewalk Commons\n" in description
    assert "co-author of Unseen Terms\n" in description  # markdown gone, not hard-wrapped
    assert "WHY:\nThe Mayor" in description
    assert description.endswith("RSVP: media@sidewalkcommons.example")
    params, organizer = event["ORGANIZER"]
    assert organizer == "mailto:theo@sidewalkcommons.example"
    assert params == {"CN": "Theo Brandt"}


def test_ics_uid_is_stable(example_room: Room) -> None:
    doc = example_document(example_room, ADVISORY)
    assert render_ics(doc, "x.example") == render_ics(doc, "x.example")


def test_ics_needs_an_event(example_room: Room) -> None:
    with pytest.raises(RenderError, match="event"):
        render_ics(example_document(example_room, BREAKING), "x.example")


def test_fold_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 100 + "x" * 100
    physical = fold(line).encode("utf-8").split(b"\r\n")
    assert all(len(part) <= 75 for part in physical)
    assert "".join(p.decode("utf-8")[1:] if i else p.decode() for i, p in enumerate(physical)) == (
        line
    )


# -- .vcf ----------------------------------------------------------------------


def test_vcard_fields(example_room: Room) -> None:
    [contact] = example_document(example_room, EMBARGOED).contacts
    lines = parse_content_lines(
        render_vcard(contact, example_document(example_room, EMBARGOED).org)
    )
    card = properties(lines, "VCARD")
    assert card["VERSION"][1] == "3.0"
    assert unescape(card["FN"][1]) == "Marisol Ortega"
    assert card["N"][1] == "Ortega;Marisol;;;"
    assert unescape(card["ORG"][1]) == "Sidewalk Commons"
    assert unescape(card["TITLE"][1]) == "Communications Director"
    assert card["EMAIL"] == ({"TYPE": "INTERNET,WORK"}, "marisol@sidewalkcommons.example")
    assert card["TEL"][1] == "+1 410 555 0134"
    assert unescape(card["NOTE"][1]) == "Pronouns: she/her"
    assert card["URL"][1] == "https://www.sidewalkcommons.example"


def test_vcard_escapes_and_folds() -> None:
    contact = Contact(
        name="Dr. Ruth Kaplan",
        title="Researcher, Privacy; Data\\Policy\nand more " + "long " * 30,
        org=None,
    )
    lines = parse_content_lines(render_vcard(contact, Org("Sidewalk Commons")))
    card = properties(lines, "VCARD")
    assert card["N"][1] == "Kaplan;Ruth;;Dr.;"
    assert "ORG" not in card and "URL" not in card and "EMAIL" not in card
    assert unescape(card["TITLE"][1]) == contact.title


# -- content and message -------------------------------------------------------


def test_greeting_for() -> None:
    assert greeting_for(Recipient(email="a@x.example", first_name=" Ana ")) == "Dear Ana,"
    assert greeting_for(Recipient(email="a@x.example", name="Ana Ortiz")) == "Hello,"


def test_placeholder_survives_rendering(example_room: Room, env) -> None:  # type: ignore[no-untyped-def]
    email = render_email(example_document(example_room, ADVISORY), env, greeting=GREETING)
    assert email.html.count(GREETING) == 1
    assert email.text.count(GREETING) == 1


def _without(room: Room, **changes: dict[str, object]) -> Room:
    config = room.config
    update = {
        part: getattr(config, part).model_copy(update=values) for part, values in changes.items()
    }
    return Room(room.root, config.model_copy(update=update))


@pytest.mark.parametrize(
    ("changes", "keys"),
    [
        ({"org": {"address": None}}, ["org.address"]),
        ({"sender": {"email": None}}, ["sender.email"]),
        ({"org": {"address": ""}, "sender": {"email": None}}, ["sender.email", "org.address"]),
    ],
)
def test_content_needs_sender_and_postal_address(
    example_room: Room,
    env,
    changes: dict[str, dict[str, object]],
    keys: list[str],  # type: ignore[no-untyped-def]
) -> None:
    room = _without(example_room, **changes)
    release = load_example(example_room, BREAKING)
    doc = example_document(example_room, BREAKING)
    with pytest.raises(NotReadyToSend) as caught:
        content_for(room, release, doc, env, {"pdf": b"%PDF-1.7"})
    assert isinstance(caught.value, PressroomError)
    assert [p.key for p in caught.value.problems] == keys
    for line in str(caught.value).splitlines():
        assert line.startswith("pressroom.yaml: error: ")


def test_missing_attachment_is_an_error(example_room: Room) -> None:
    release = load_example(example_room, EMBARGOED)  # attach: [pdf, docx, vcard]
    doc = example_document(example_room, EMBARGOED)
    with pytest.raises(RenderError, match=r"distribution\.attach: asks for docx"):
        attachments_for(doc, release, {"pdf": b"%PDF-1.7"})


def _content(html: str = f"<p>{GREETING}</p>", text: str = f"{GREETING}\n\nBody") -> Content:
    return Content(
        subject="Headline",
        html=html,
        text=text,
        sender="press@sidewalkcommons.example",
        sender_name="Sidewalk Commons Press Office",
        reply_to=None,
        attachments=(),
        headers={"X-Pressroom-Release": "r"},
        release="r",
        version="v1",
    )


def _reparse(message: EmailMessage) -> EmailMessage:
    parsed = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_message_without_unsubscribe_url_has_mailto_only() -> None:
    delivery = Delivery("ana@dailyledger.example", None, "Hello,")
    message = _reparse(mime_message(_content(), delivery))
    assert message["To"] == "ana@dailyledger.example"
    assert message["List-Unsubscribe"] == (
        "<mailto:press@sidewalkcommons.example?subject=unsubscribe>"
    )
    assert message["List-Unsubscribe-Post"] is None
    assert message["Reply-To"] is None
    assert message.get_content_type() == "multipart/alternative"  # nothing attached
    plain = message.get_body(("plain",))
    assert plain is not None and plain.get_content().splitlines()[0] == "Hello,"

"""The outbox transport, end to end: example releases composed with real
artefacts, written as .eml files, and read back with the stdlib parser."""

from __future__ import annotations

import hashlib
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from pressroom.deliver.contents import content_for
from pressroom.deliver.message import Content, Delivery
from pressroom.deliver.outbox import Outbox, eml_name
from pressroom.deliver.transport import Transport
from pressroom.model.contacts import Recipient
from pressroom.model.room import Room
from pressroom.render.docx import render_docx
from pressroom.render.environment import make_environment
from pressroom.render.pdf import render_pdf
from tests.conftest import NOW, REPO, example_document, load_example
from tests.test_message import ADVISORY, BREAKING, EMBARGOED, parse_content_lines, properties

ANA = Recipient(email="ana@dailyledger.example", name="Ana Ortiz", first_name="Ana")
UNSUBSCRIBE = "https://www.sidewalkcommons.example/unsubscribe?t=opaque123"

_artefacts: dict[str, dict[str, bytes]] = {}


def artefacts(room: Room, name: str) -> dict[str, bytes]:
    """The rendered PDF and DOCX of an example release, once per module."""
    if name not in _artefacts:
        doc = example_document(room, name)
        _artefacts[name] = {
            "pdf": render_pdf(doc, make_environment()),
            "docx": render_docx(doc),
        }
    return _artefacts[name]


def compose(room: Room, name: str) -> Content:
    release = load_example(room, name)
    doc = example_document(room, name)
    return content_for(room, release, doc, make_environment(), artefacts(room, name))


def read(path: Path) -> EmailMessage:
    data = path.read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert not message.defects
    return message


def send_one(
    tmp_path: Path, content: Content, delivery: Delivery, test: bool = False
) -> tuple[str, EmailMessage]:
    outbox = Outbox(tmp_path / "outbox")
    [message_id] = outbox.send(content, [delivery], test=test)
    path = outbox.path_for(content.release, delivery.email, test=test)
    assert path.is_file()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp files left
    return message_id, read(path)


def test_outbox_is_a_transport(tmp_path: Path) -> None:
    transport: Transport = Outbox(tmp_path)
    assert transport.name == "outbox"


def test_advisory_message(tmp_path: Path, example_room: Room) -> None:
    content = compose(example_room, ADVISORY)
    message_id, message = send_one(tmp_path, content, Delivery.to(ANA, UNSUBSCRIBE))

    assert message["From"] == "Sidewalk Commons Press Office <press@sidewalkcommons.example>"
    assert message["To"] == "Ana Ortiz <ana@dailyledger.example>"
    assert message["Reply-To"] == "media@sidewalkcommons.example"
    assert message["Subject"] == example_document(example_room, ADVISORY).subject
    assert message["Message-ID"] == message_id
    assert message_id.startswith("<") and message_id.endswith("@sidewalkcommons.example>")
    assert parsedate_to_datetime(message["Date"]).isoformat() == NOW
    # a long first URL is folded onto its own line: unfolded, the value starts with a space
    assert message["List-Unsubscribe"].strip() == (
        f"<{UNSUBSCRIBE}>, <mailto:press@sidewalkcommons.example?subject=unsubscribe>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["X-Pressroom-Release"] == ADVISORY
    assert message["X-Pressroom-Version"] == content.version
    assert message["X-Pressroom-Test"] is None

    assert message.get_content_type() == "multipart/mixed"
    alternative, *attached = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    text_part, related = alternative.iter_parts()
    assert text_part.get_content_type() == "text/plain"
    # the HTML and the logo it shows (cid:) travel together: multipart/related
    assert related.get_content_type() == "multipart/related"
    html_part, logo = related.iter_parts()
    assert html_part.get_content_type() == "text/html"
    assert (logo.get_content_type(), logo.get_content_disposition()) == ("image/png", "inline")
    assert logo["Content-ID"] == "<logo@sidewalkcommons.example>"
    assert logo.get_content() == (REPO / "assets" / "logo.png").read_bytes()  # type: ignore[attr-defined]
    plain, html = text_part.get_content(), html_part.get_content()  # type: ignore[attr-defined]
    [logo_tag] = re.findall(r"<img [^>]*>", html)
    assert 'src="cid:logo@sidewalkcommons.example"' in logo_tag
    assert 'alt="Sidewalk Commons"' in logo_tag
    assert plain.splitlines()[0] == "Dear Ana,"
    assert ">Dear Ana,</td>" in html
    assert "{{greeting}}" not in plain + html
    assert "2418 St. Paul Street, Suite 3, Baltimore, MD 21218" in plain  # CAN-SPAM footer
    assert "2418 St. Paul Street, Suite 3, Baltimore, MD 21218" in html

    assert [(p.get_filename(), p.get_content_type()) for p in attached] == [
        (f"{ADVISORY}.pdf", "application/pdf"),
        (f"{ADVISORY}.ics", "text/calendar"),
    ]
    pdf = attached[0].get_content()  # type: ignore[attr-defined]
    assert pdf.startswith(b"%PDF") and pdf == artefacts(example_room, ADVISORY)["pdf"]
    assert attached[0].get_content_disposition() == "attachment"
    ics = attached[1].get_content()  # type: ignore[attr-defined]
    ics = ics.encode("utf-8") if isinstance(ics, str) else ics
    event = properties(parse_content_lines(ics), "VEVENT")
    assert event["DTSTART"][1] == "20261204T150000Z"
    assert event["UID"][1] == f"{ADVISORY}@sidewalkcommons.example"


def test_embargoed_with_vcard_and_docx(tmp_path: Path, example_room: Room) -> None:
    content = compose(example_room, EMBARGOED)
    _, message = send_one(tmp_path, content, Delivery.to(ANA))
    assert message["Subject"].startswith("EMBARGOED UNTIL ")
    assert "List-Unsubscribe-Post" not in message
    attached = list(message.iter_attachments())
    assert [p.get_filename() for p in attached] == [
        f"{EMBARGOED}.pdf",
        f"{EMBARGOED}.docx",
        "marisol-ortega.vcf",
        "camera-mast-dusk.jpg",
    ]
    photo = attached[3]
    assert photo.get_content_type() == "image/jpeg"
    assert photo.get_content() == (REPO / "assets" / "camera-mast-dusk.jpg").read_bytes()  # type: ignore[attr-defined]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Photo (attached): camera-mast-dusk.jpg" in html
    docx = attached[1].get_content()  # type: ignore[attr-defined]
    assert docx == artefacts(example_room, EMBARGOED)["docx"]
    vcf = attached[2].get_content()  # type: ignore[attr-defined]
    vcf = vcf.encode("utf-8") if isinstance(vcf, str) else vcf
    card = properties(parse_content_lines(vcf), "VCARD")
    assert card["EMAIL"][1] == "marisol@sidewalkcommons.example"


def test_breaking_subject_and_test_marker(tmp_path: Path, example_room: Room) -> None:
    content = compose(example_room, BREAKING)
    _, message = send_one(tmp_path, content, Delivery.to(ANA), test=True)
    assert message["Subject"].startswith("[TEST] BREAKING: ")
    assert message["X-Pressroom-Test"] == "yes"
    outbox = Outbox(tmp_path / "outbox")
    assert outbox.path_for(BREAKING, ANA.email, test=True).parent.name == "test"
    assert not outbox.path_for(BREAKING, ANA.email).exists()  # a proof is not a send


def test_greeting_is_escaped_in_html(tmp_path: Path, example_room: Room) -> None:
    content = compose(example_room, BREAKING)
    bold = Recipient(email="x@y.example", name="Bo <b>Ld</b>", first_name="<b>Bo</b> & Co")
    _, message = send_one(tmp_path, content, Delivery.to(bold))
    assert message["To"].addresses[0].display_name == "Bo <b>Ld</b>"
    plain = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert plain.splitlines()[0] == "Dear <b>Bo</b> & Co,"
    assert "Dear &lt;b&gt;Bo&lt;/b&gt; &amp; Co," in html
    assert "<b>Bo</b>" not in html


def test_one_file_per_recipient(tmp_path: Path, example_room: Room) -> None:
    content = compose(example_room, BREAKING)
    recipients = [
        ANA,
        Recipient(email="m.okafor@capitalwire.example", name="Michael Okafor"),
        Recipient(email="m-okafor@capitalwire.example"),  # the same slug, another address
    ]
    outbox = Outbox(tmp_path / "outbox")
    ids = outbox.send(content, [Delivery.to(r) for r in recipients])
    assert len(set(ids)) == 3
    files = sorted((tmp_path / "outbox" / BREAKING).glob("*.eml"))
    assert len(files) == 3
    by_to = {read(path)["To"].addresses[0].addr_spec: read(path) for path in files}
    assert set(by_to) == {r.email for r in recipients}
    assert [by_to[r.email]["Message-ID"] for r in recipients] == ids
    assert read(files[0])["Subject"] == content.subject


@pytest.mark.parametrize("address", ["Ana@DailyLedger.example", "ana@dailyledger.example"])
def test_eml_name_is_safe_and_case_blind(address: str) -> None:
    digest = hashlib.sha256(b"ana@dailyledger.example").hexdigest()[:8]
    assert eml_name(address) == f"ana-dailyledger.example-{digest}.eml"
    assert eml_name("../../etc/passwd@x.example").startswith("etc-passwd-x.example-")

"""The attachments' MIME parts are made once per release and shared by every message
(issue 20): each message is byte for byte what the email package's own
``add_related``/``add_attachment`` made for it before, the Message-ID, the Date
and the boundaries aside (fixed here), and no message changes a shared part."""

from __future__ import annotations

import dataclasses
import random
from email.message import EmailMessage

from pressroom.deliver.message import HEADER_TEST as TEST_HEADER
from pressroom.deliver.message import (
    TEST_PREFIX,
    Attachment,
    Content,
    Delivery,
    personal_html,
    personal_text,
    unsubscribe_headers,
)
from pressroom.deliver.mime import MESSAGE_POLICY, as_bytes, mailbox, mime_message
from pressroom.model.header import require_header_safe

PDF = b"%PDF-1.7\n" + random.Random(1).randbytes(50_000)
LOGO = b"\x89PNG\r\n\x1a\n" + random.Random(2).randbytes(3_000)


def _content() -> Content:
    return Content(
        subject="Headline: ünïcode",
        html='<p><img src="cid:logo@sidewalkcommons.example">{{greeting}}</p><p>Bödy</p>',
        text="{{greeting}}\n\nBödy, long enough " + "to fold " * 20,
        sender="press@sidewalkcommons.example",
        sender_name="Sidewalk Commons Press Office",
        reply_to="desk@sidewalkcommons.example",
        attachments=(
            Attachment("release.pdf", "application/pdf", PDF),
            Attachment("notes.txt", "text/plain", "Notes, é\n".encode()),
            Attachment("logo.png", "image/png", LOGO, content_id="logo@sidewalkcommons.example"),
        ),
        headers={"X-Pressroom-Release": "r", "X-Pressroom-Version": "v1"},
        release="r",
        version="v1",
    )


def _as_before(content: Content, delivery: Delivery, test: bool, msgid: str, date: str) -> bytes:
    """The message as mime_message made it before the parts were shared."""
    msg = EmailMessage(policy=MESSAGE_POLICY)
    msg["From"] = mailbox(content.sender_name, content.sender)
    msg["To"] = mailbox(delivery.name, delivery.email)
    if content.reply_to:
        msg["Reply-To"] = mailbox(None, content.reply_to)
    msg["Subject"] = require_header_safe((TEST_PREFIX if test else "") + content.subject, "s")
    msg["Date"] = date
    msg["Message-ID"] = msgid
    for name, value in unsubscribe_headers(content, delivery).items():
        msg[name] = value
    for name, value in content.headers.items():
        msg[name] = value
    if test:
        msg[TEST_HEADER] = "yes"
    text, html = personal_text(content, delivery), personal_html(content, delivery)
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    html_part = msg.get_body(("html",))
    for attachment in content.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        if attachment.content_id and html_part is not None:
            html_part.add_related(
                attachment.data,
                maintype=maintype,
                subtype=subtype,
                cid=f"<{attachment.content_id}>",
                filename=attachment.filename,
                disposition="inline",
            )
            continue
        params = {"charset": "utf-8"} if maintype == "text" else {}
        msg.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=params,
        )
    random.seed(7)  # the boundaries
    return as_bytes(msg, False)


def _now(message: EmailMessage) -> bytes:
    random.seed(7)
    return as_bytes(message, False)


def test_messages_are_as_before_with_shared_parts() -> None:
    content = _content()
    deliveries = [
        Delivery("ana@ledger.example", "Ana Ortiz", "Dear Ana,"),
        Delivery("bo@wire.example", None, "Hello,", "https://sidewalkcommons.example/u?e=bo"),
        Delivery("cy@post.example", "O'Brien & Co", "Dear Cy & <Co>,"),
    ]
    for test in (False, True):
        for delivery in deliveries * 2:  # the second time round, the parts are shared
            message = mime_message(content, delivery, test=test)
            before = _as_before(
                content, delivery, test, str(message["Message-ID"]), str(message["Date"])
            )
            assert _now(message) == before


def test_the_release_of_each_message_is_its_own() -> None:
    content = _content()
    other = dataclasses.replace(
        content, attachments=(Attachment("other.pdf", "application/pdf", b"%PDF other"),)
    )
    ana = Delivery("ana@ledger.example", "Ana Ortiz", "Dear Ana,")
    first = mime_message(content, ana)
    second = mime_message(other, ana)
    third = mime_message(content, ana)
    assert [p.get_filename() for p in second.iter_attachments()] == ["other.pdf"]
    assert [p.get_filename() for p in first.iter_attachments()] == ["release.pdf", "notes.txt"]
    assert _now(third).count(b"release.pdf") == _now(first).count(b"release.pdf") >= 1

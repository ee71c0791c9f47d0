"""The text and HTML parts of every email pressroom writes itself are quoted-printable:
7-bit lines that a relay without 8BITMIME passes on as they are, so the DKIM signature
over the body still holds (issue 19, item 13). The outbox and SMTP write the message;
SendGrid is handed the text and builds the message itself."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from tests.cli_runner import run
from tests.test_send_smtp import inbox  # noqa: F401 (the SMTP server fixture)

RELEASE = "2026-11-23-streetsight-suspended"


def assert_quoted_printable(raw: bytes) -> None:
    assert all(byte < 128 for byte in raw), "an 8-bit byte in the message"
    assert max(len(line) for line in raw.splitlines()) <= 998
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    for kind in ("plain", "html"):
        part = message.get_body((kind,))
        assert part is not None
        assert part["Content-Transfer-Encoding"] == "quoted-printable", kind
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "’" in text or "—" in text or "“" in text  # the release's typography survived


def test_the_outbox_writes_quoted_printable_parts(room: Path, capsys) -> None:
    assert run(capsys, room, "send", "streetsight-suspended", "--yes").code == 0
    emails = sorted((room / ".pressroom" / "outbox" / RELEASE).glob("*.eml"))
    assert emails
    for path in emails:
        assert_quoted_printable(path.read_bytes())


def test_smtp_sends_quoted_printable_parts(room: Path, inbox, capsys) -> None:  # noqa: F811
    assert run(capsys, room, "send", "streetsight-suspended", "--yes").code == 0
    assert inbox.messages
    for message in inbox.messages:
        assert_quoted_printable(message.as_bytes(policy=policy.SMTP))

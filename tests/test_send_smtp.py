"""pressroom send through an SMTP server (a real aiosmtpd on 127.0.0.1), chosen in pressroom.yaml."""

from __future__ import annotations

import csv
import io
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from tests.cli_runner import run
from tests.test_send import national_press


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[list[str]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        data = envelope.content if isinstance(envelope.content, bytes) else b""
        self.messages.append(message_from_bytes(data, policy=policy.default))  # type: ignore[arg-type]
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 OK queued"


@pytest.fixture
def inbox(room: Path) -> Iterator[Inbox]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    config = room / "pressroom.yaml"
    config.write_text(
        config.read_text()
        + f"delivery:\n  transport: smtp\n  smtp: {{host: 127.0.0.1, port: {port}, security: none}}\n"
        + "  unsubscribe_url: https://www.sidewalkcommons.example/unsubscribe?email={email}\n"
    )
    try:
        yield handler
    finally:
        controller.stop()


def test_a_release_goes_through_smtp_once_per_recipient(room, inbox, capsys):
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert result.code == 0, result.err
    assert "Transport:    smtp" in result.out and "Sent: 8 accepted, 0 failed." in result.out
    assert sorted(to for [to] in inbox.envelopes) == sorted(national_press(room))
    by_address = {m["To"].addresses[0].addr_spec: m for m in inbox.messages}
    ana = by_address["ana@dailyledger.example"]
    assert ana["Subject"].startswith("BREAKING: ")
    assert ana.get_body(("plain",)).get_content().lstrip().startswith("Dear Ana,")
    assert ana["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        "<https://www.sidewalkcommons.example/unsubscribe?email=ana%40dailyledger.example>"
        in ana["List-Unsubscribe"]
    )

    exported = run(capsys, room, "log", "streetsight-suspended", "--csv")
    rows = {r["email"]: r for r in csv.DictReader(io.StringIO(exported.out))}
    assert rows["ana@dailyledger.example"]["message_id"] == ana["Message-ID"]
    assert {r["state"] for r in rows.values()} == {"accepted"}

    again = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert "0 to send, 8 already sent" in again.out and len(inbox.messages) == 8


def test_smtp_cannot_schedule(room, inbox, capsys):
    result = run(
        capsys, room, "send", "streetsight-suspended", "--at", "2026-11-24 09:00 UTC", "--yes"
    )
    assert result.code == 2 and "scheduling needs SendGrid" in result.err
    assert inbox.messages == []

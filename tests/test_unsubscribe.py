"""Unsubscribe that works everywhere: with ``delivery.unsubscribe_url``, the
outbox, SMTP (a real aiosmtpd) and SendGrid (the compatible test server) all
give each message a literal, never RFC 2047-encoded ``List-Unsubscribe`` with
the https and mailto addresses, RFC 8058's ``List-Unsubscribe-Post``, and
bodies (HTML and text) that end with the postal address and a visible
unsubscribe line. Messages are read back with Python's strict parser."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from tests.cli_runner import run
from tests.sendgrid_server import SendGridServer
from tests.test_send import RELEASE, outbox

# long enough that the header cannot be folded at a space within 78 columns
TEMPLATE = (
    "https://www.sidewalkcommons.example/newsroom/preferences/unsubscribe"
    "?list=national-press&email={email}"
)
ANA = "ana@dailyledger.example"
ANA_URL = TEMPLATE.replace("{email}", "ana%40dailyledger.example")
MAILTO = "mailto:press@sidewalkcommons.example?subject=unsubscribe"
ADDRESS = "2418 St. Paul Street, Suite 3, Baltimore, MD 21218"


def with_delivery(root: Path, extra: str = "") -> None:
    config = root / "pressroom.yaml"
    config.write_text(
        config.read_text() + f"delivery:\n{extra}  unsubscribe_url: {TEMPLATE}\n",
        encoding="utf-8",
    )


def header_lines(raw: bytes, name: str) -> list[str]:
    """The physical lines of header *name* in *raw* (the header and its folds)."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    lines = head.split("\r\n")
    start = next(i for i, line in enumerate(lines) if line.lower().startswith(name.lower() + ":"))
    end = start + 1
    while end < len(lines) and lines[end][:1] in (" ", "\t"):
        end += 1
    return lines[start:end]


class _FooterText(HTMLParser):
    """The visible text of the email's last table cell with class footer, and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "td" and "footer" in classes:
            self.depth, self.text, self.links = 1, [], []
        elif self.depth and tag == "td":
            self.depth += 1
        if self.depth and tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "td":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and data.strip():
            self.text.append(" ".join(data.split()))


def assert_unsubscribe_everywhere(raw: bytes, url: str = ANA_URL) -> EmailMessage:
    """Header and bodies of one message as sent, *raw* bytes with CRLF."""
    lines = header_lines(raw, "List-Unsubscribe")
    assert "=?" not in "".join(lines), lines  # never RFC 2047-encoded
    assert lines[0] == f"List-Unsubscribe: <{url}>,"
    assert [line.strip() for line in lines[1:]] == [f"<{MAILTO}>"]
    assert all(len(line) <= 998 for line in lines)
    message = message_from_bytes(raw, policy=policy.strict)
    assert isinstance(message, EmailMessage) and not message.defects
    assert message["List-Unsubscribe"] == f"<{url}>, <{MAILTO}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    text_part, html_part = message.get_body(("plain",)), message.get_body(("html",))
    assert text_part is not None and html_part is not None
    text = [line for line in text_part.get_content().splitlines() if line.strip()]
    assert text[-1] == url, text[-6:]  # the last line of the text part
    assert "unsubscribe" in text[-2].lower()
    assert ADDRESS in text[-6:-2]
    footer = _FooterText()
    footer.feed(html_part.get_content())
    assert footer.links[-1] == url
    assert ADDRESS in footer.text and footer.text[-1].endswith("from Sidewalk Commons.")
    assert footer.text.index(ADDRESS) < footer.text.index("Unsubscribe")
    return message


def test_outbox(room: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with_delivery(room)
    assert run(capsys, room, "send", RELEASE, "--yes").code == 0
    [ana] = [path for path in outbox(room) if path.name.startswith("ana-dailyledger")]
    assert_unsubscribe_everywhere(ana.read_bytes())


class _Inbox:
    def __init__(self) -> None:
        self.raw: dict[str, bytes] = {}

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        [to] = envelope.rcpt_tos
        self.raw[to] = envelope.content
        return "250 OK queued"


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[_Inbox, int]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def test_smtp(
    room: Path, smtp_inbox: tuple[_Inbox, int], capsys: pytest.CaptureFixture[str]
) -> None:
    inbox, port = smtp_inbox
    server = f"  transport: smtp\n  smtp: {{host: 127.0.0.1, port: {port}, security: none}}\n"
    with_delivery(room, server)
    result = run(capsys, room, "send", RELEASE, "--yes")
    assert result.code == 0, result.err
    raw = inbox.raw[ANA]
    # aiosmtpd hands over the data as received: CRLF line ends
    assert_unsubscribe_everywhere(raw if b"\r\n" in raw else raw.replace(b"\n", b"\r\n"))


def test_sendgrid(
    room: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with_delivery(room)
    with SendGridServer() as server:
        monkeypatch.setenv("SENDGRID_API_KEY", server.api_key)
        monkeypatch.setenv("PRESSROOM_SENDGRID_URL", server.url)
        result = run(capsys, room, "send", RELEASE, "--yes")
        assert result.code == 0, result.err
        [request] = [  # one request per language: Ana's is the original's
            r
            for r in server.sent
            if ANA in (p["to"][0]["email"] for p in r.payload["personalizations"])
        ]
    payload = request.payload
    [ana] = [p for p in payload["personalizations"] if p["to"][0]["email"] == ANA]
    assert ana["headers"] == {
        "List-Unsubscribe": f"<{ANA_URL}>, <{MAILTO}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert payload["tracking_settings"] == {"subscription_tracking": {"enable": False}}
    text, html = (part["value"] for part in payload["content"])
    for tag, value in ana["substitutions"].items():
        text, html = text.replace(tag, value), html.replace(tag, value)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[-1] == ANA_URL and ADDRESS in lines[-6:-2]
    footer = _FooterText()
    footer.feed(html)
    assert footer.links[-1] == ANA_URL and footer.text[-1].endswith("from Sidewalk Commons.")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/unsubscribe?who=<{email}>",
        "https://example.org/un subscribe?e={email}",
        "https://example.org/désabonner?e={email}",
        "https://example.org/" + "x" * 300 + "?e={email}",
    ],
)
def test_an_unsubscribe_url_that_cannot_stand_in_a_header_is_refused(
    room: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + f'delivery:\n  unsubscribe_url: "{url}"\n')
    result = run(capsys, room, "check")
    assert result.code != 0
    assert "pressroom.yaml" in result.err + result.out
    assert "unsubscribe_url" in result.err + result.out

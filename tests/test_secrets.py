"""One scrubber: a secret never shows, as it is, as it crossed the wire, or cut in half."""

from __future__ import annotations

import base64
import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote

import pytest
from aiosmtpd.smtp import SMTP as Server
from aiosmtpd.smtp import Envelope, Session

from pressroom.deliver.message import Content, Delivery
from pressroom.deliver.sendgrid import SendGrid
from pressroom.deliver.smtp import PASSWORD_VAR, USERNAME_VAR, Smtp
from pressroom.deliver.transport import DeliveryFailed
from pressroom.model.room import Smtp as SmtpSettings
from pressroom.secrets import HIDDEN, Scrubber, wire_forms
from tests.cli_runner import run
from tests.test_outbox import ANA
from tests.test_smtp import (  # noqa: F401 - fixtures
    HOST,
    Mailbox,
    Serve,
    certificate,
    client_tls,
    content,
    serve,
    server_tls,
)

PASSWORD = "correct Horse+battery/5taple&x"
USER = "press@sidewalk.example"
# shaped like a real SendGrid key, but made up; assembled so that no committed line looks like one
KEY = ".".join(["SG", "Zx8aQ1w2E3r4T5y6U7i8Og", "Abc1Def2Ghi3Jkl4Mno5Pqr6Stu7Vwx8Yz90AbCdEfGh"])


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def pieces(secret: str) -> list[str]:
    """Every form of *secret*, and the halves a cut could leave of each."""
    out = []
    for form in wire_forms(secret, USER):
        out += [form, form[: len(form) // 2], form[len(form) // 2 :]]
    return out


def assert_hidden(text: str, secret: str) -> None:
    for piece in pieces(secret):
        assert piece not in text, f"{piece!r} in {text!r}"


def test_every_wire_form_and_every_half_is_hidden():
    scrubber = Scrubber([PASSWORD], USER)
    plain = b64(f"\0{USER}\0{PASSWORD}")  # the AUTH PLAIN argument smtplib sends
    said = [
        f"535 5.7.8 Authentication failed: {plain}",
        f"535 bad credentials {b64(PASSWORD)}",  # AUTH LOGIN sends it alone
        f"GET /?pw={quote(PASSWORD, safe='')}",  # URL-encoded...
        f"500 echo {plain[:20]}",  # ...cut by the server
        f"500 echo {PASSWORD[:9]}",
        f"trailing junk{PASSWORD[-10:]} and more",
    ]
    for text in said:
        scrubbed = scrubber.scrub(text)
        assert HIDDEN in scrubbed, text
        assert_hidden(scrubbed, PASSWORD)
    assert scrubber.scrub("check PRESSROOM_SMTP_PASSWORD: 250 2.0.0 queued as 4XyzQ12") == (
        "check PRESSROOM_SMTP_PASSWORD: 250 2.0.0 queued as 4XyzQ12"
    )


def test_scrubbed_before_it_is_shortened():
    text = "x" * 290 + KEY + " trailing"
    shortened = Scrubber([KEY]).shorten(text, 300)
    assert KEY[:10] not in shortened and HIDDEN in shortened


def test_anything_shaped_like_a_sendgrid_key_is_hidden_even_unknown():
    assert Scrubber().scrub(f"got {KEY[:30]}") == f"got {HIDDEN}"


def test_the_cli_hides_the_environment_s_secrets_in_every_message(make_room, capsys, monkeypatch):
    secret = "Zq8wXk2pLmN4"
    monkeypatch.setenv("PRESSROOM_SMTP_PASSWORD", secret)
    root = make_room({"releases/x.yaml": f"headline: A\nbody: [a]\n{secret}: pasted here\n"})
    result = run(capsys, root, "check")
    assert result.code == 1 and "releases/x.yaml:3:1" in result.err, result
    assert secret not in result.err and HIDDEN in result.err


# -- SMTP: a server that echoes the AUTH argument ---------------------------------


class Echoing(Mailbox):
    """Answers every AUTH with a 535 that repeats what the client sent."""

    def __init__(self, cut: bool = False) -> None:
        super().__init__()
        self.cut = cut

    async def handle_AUTH(
        self, server: Server, session: Session, envelope: Envelope, args: list[str]
    ) -> str:
        said = args[1] if len(args) > 1 else ""
        if self.cut:
            said = said[: len(said) // 2 + 3]
        return f"535 5.7.8 Authentication failed for {args[0]} {said}"


@pytest.mark.parametrize("cut", [False, True])
def test_an_smtp_server_echoing_auth_plain_never_shows_the_password(
    serve: Serve,  # noqa: F811
    content: Content,  # noqa: F811
    server_tls: ssl.SSLContext,  # noqa: F811
    client_tls: ssl.SSLContext,  # noqa: F811
    cut: bool,
) -> None:
    mailbox, port = serve(
        Echoing(cut),
        tls_context=server_tls,
        auth_required=True,
        auth_exclude_mechanism=["LOGIN"],
    )
    transport = Smtp.from_settings(
        SmtpSettings(host=HOST, port=port),
        {USERNAME_VAR: USER, PASSWORD_VAR: PASSWORD},
        ssl_context=client_tls,
        sleep=lambda s: None,
    )
    with pytest.raises(DeliveryFailed) as error:
        transport.send(content, [Delivery.to(ANA)])
    message = str(error.value)
    assert "535" in message and HIDDEN in message, message
    assert_hidden(message + repr(error.value), PASSWORD)


# -- SendGrid: an API that echoes the key in a long error ------------------------


class _EchoKey(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        key = self.headers.get("Authorization", "").removeprefix("Bearer ")
        body = ("proxy error " * 24 + key + " and then much more " * 20).encode()
        self.send_response(502 if self.path.endswith("json") else 400)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def echo_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoKey)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_key_echoed_where_the_message_is_cut_never_shows(echo_url, content):  # noqa: F811
    transport = SendGrid(KEY, base_url=echo_url, timeout=5, sleep=lambda s: None)
    with pytest.raises(DeliveryFailed) as error:
        transport.send(content, [Delivery.to(ANA)])
    message = str(error.value)
    assert "400" in message, message
    assert HIDDEN in message  # the body is cut at 300 characters, across the key
    assert_hidden(message, KEY)
    json.dumps(message)  # plain text, fit for the send log


def test_the_database_url_s_password_is_a_secret_too():
    scrubber = Scrubber.from_environment(
        {"PRESSROOM_DATABASE_URL": "postgresql://press:Hunter2-Hunter2@db.example/pressroom"}
    )
    said = scrubber.scrub("connection to postgresql://press:Hunter2-Hunter2@db.example failed")
    assert "Hunter2" not in said and "press:[hidden]@db.example" in said


def test_the_send_log_s_database_messages_use_the_one_scrubber(monkeypatch):
    from pressroom.secrets import scrub_url

    monkeypatch.setenv("PGPASSWORD", "Pg-Env-Secret-9")
    url = "postgresql://press:Url%2FSecret-7@db.example/pressroom"
    said = scrub_url(
        f"connection to {url} failed; password Url/Secret-7 and Pg-Env-Secret-9 rejected "
        f"(as sent: {b64('Pg-Env-Secret-9')})",
        url,
    )
    assert "Secret" not in said and "U3Vj" not in said and said.count(HIDDEN) == 4, said

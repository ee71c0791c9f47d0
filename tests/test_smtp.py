"""The SMTP transport against a real SMTP server (aiosmtpd on 127.0.0.1):
messages read back with the stdlib parser, STARTTLS and TLS with a
certificate made here, logins, refusals, retries and lost connections."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as Server
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from pressroom.deliver.message import Content, Delivery
from pressroom.deliver.retry import RetryPolicy
from pressroom.deliver.smtp import PASSWORD_VAR, USERNAME_VAR, Smtp
from pressroom.deliver.transport import DeliveryFailed, OutcomeUnknown, Schedule, Transport
from pressroom.errors import UsageError
from pressroom.model.contacts import Recipient
from pressroom.model.room import Room
from pressroom.model.room import Smtp as SmtpSettings
from tests.test_message import BREAKING
from tests.test_outbox import ANA, UNSUBSCRIBE, artefacts, compose

HOST = "127.0.0.1"
USERNAME = "press-office"
PASSWORD = "s3cret-Pa55word"
MICHAEL = Recipient(email="m.okafor@capitalwire.example", name="Michael Okafor")
NOBODY = "nobody@capitalwire.example"


# -- the server ---------------------------------------------------------------


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts.

    *answer_rcpt* may answer a recipient with a reply of its own (``550 ...``)
    instead of accepting it; *on_data* may replace the final answer.
    """

    def __init__(self) -> None:
        self.received: list[tuple[str, Envelope]] = []  # (peer, envelope)
        self.answer_rcpt: Callable[[str], str | None] = lambda address: None
        self.on_data: Callable[[Server], Any] | None = None

    async def handle_RCPT(
        self, server: Server, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        answer = self.answer_rcpt(address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Server, session: Session, envelope: Envelope) -> str:
        if self.on_data is not None:
            answer = await self.on_data(server)
            if answer:
                return str(answer)
        self.received.append((str(session.peer), envelope))
        return "250 2.0.0 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [parse(envelope) for _, envelope in self.received]

    def peers(self) -> list[str]:
        return [peer for peer, _ in self.received]


def parse(envelope: Envelope) -> EmailMessage:
    assert isinstance(envelope.content, bytes)
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert not message.defects
    return message


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def authenticate(
    server: Server, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == USERNAME.encode()
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


class Serve:
    """Starts SMTP servers on free ports: ``mailbox, port = serve(**aiosmtpd_options)``."""

    def __init__(self) -> None:
        self.controllers: list[Controller] = []

    def __call__(
        self, mailbox: Mailbox | None = None, port: int | None = None, **options: Any
    ) -> tuple[Mailbox, int]:
        mailbox = mailbox or Mailbox()
        controller = Controller(
            mailbox,
            hostname=HOST,
            port=port or free_port(),
            server_hostname="smtp.pressroom.test",
            **options,
        )
        controller.start()
        self.controllers.append(controller)
        return mailbox, controller.port

    def stop(self) -> None:
        """Stop the last server started, closing its connections."""
        self.controllers.pop().stop()


@pytest.fixture
def serve() -> Iterator[Serve]:
    servers = Serve()
    yield servers
    while servers.controllers:
        servers.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (certificate, key) in PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pressroom test SMTP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def client_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """A client context that trusts the test certificate (and checks the host)."""
    return ssl.create_default_context(cafile=str(certificate[0]))


# -- the transport ------------------------------------------------------------


@pytest.fixture
def content(example_room: Room) -> Content:
    return compose(example_room, BREAKING)


class Sleeps(list[float]):
    """Records the waits between attempts instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def plain(port: int, sleeps: Sleeps | None = None, **options: Any) -> Smtp:
    """A transport to the local server, without TLS or a login."""
    options.setdefault("timeout", 5)
    options.setdefault("retry", RetryPolicy(random=lambda: 1.0))  # no jitter: exact waits
    return Smtp(
        HOST, port, security="none", sleep=Sleeps() if sleeps is None else sleeps, **options
    )


def test_smtp_is_a_transport() -> None:
    transport: Transport = Smtp("smtp.example.net")
    assert (transport.name, transport.batch_size) == ("smtp", 1)
    assert isinstance(transport, Smtp) and transport.port == 587
    assert Smtp("smtp.example.net", security="tls").port == 465
    assert Smtp("smtp.example.net", security="none").port == 25


def test_message_arrives_intact(serve: Serve, content: Content, example_room: Room) -> None:
    mailbox, port = serve()
    with plain(port) as transport:
        [message_id] = transport.send(content, [Delivery.to(ANA, UNSUBSCRIBE)])

    [(_, envelope)] = mailbox.received
    assert envelope.mail_from == content.sender == "press@sidewalkcommons.example"
    assert envelope.rcpt_tos == [ANA.email]
    message = parse(envelope)
    assert message["Message-ID"] == message_id
    assert message["From"] == "Sidewalk Commons Press Office <press@sidewalkcommons.example>"
    assert message["To"] == "Ana Ortiz <ana@dailyledger.example>"
    assert message["Subject"] == content.subject
    assert message["List-Unsubscribe"].strip() == (
        f"<{UNSUBSCRIBE}>, <mailto:press@sidewalkcommons.example?subject=unsubscribe>"
    )
    assert message["X-Pressroom-Release"] == BREAKING
    assert message["X-Pressroom-Test"] is None

    alternative, *attached = message.iter_parts()
    text_part, related = alternative.iter_parts()
    assert related.get_content_type() == "multipart/related"  # the HTML and its inline logo
    html_part = related.get_body(("html",))
    assert text_part.get_content_type() == "text/plain" and html_part is not None
    text, html = text_part.get_content(), html_part.get_content()  # type: ignore[attr-defined]
    assert text.splitlines()[0] == "Dear Ana,"
    assert ">Dear Ana,</td>" in html
    [pdf] = [p for p in attached if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == f"{BREAKING}.pdf"
    assert pdf.get_content() == artefacts(example_room, BREAKING)["pdf"]  # type: ignore[attr-defined]


def test_proof_is_marked(serve: Serve, content: Content) -> None:
    mailbox, port = serve()
    with plain(port) as transport:
        transport.send(content, [Delivery("me@sidewalkcommons.example", None, "Hello,")], test=True)
    [message] = mailbox.messages()
    assert message["Subject"] == "[TEST] " + content.subject
    assert message["X-Pressroom-Test"] == "yes"
    assert message.get_body(("plain",)).get_content().startswith("Hello,")  # type: ignore[union-attr]


def test_lines_starting_with_a_dot_survive(serve: Serve, content: Content) -> None:
    text = "{{greeting}}\n.\n.hidden line\n..two dots\nend\n"
    dotted = dataclasses.replace(content, text=text, attachments=())
    mailbox, port = serve()
    with plain(port) as transport:
        transport.send(dotted, [Delivery.to(ANA)])
    [message] = mailbox.messages()
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert body.splitlines() == ["Dear Ana,", ".", ".hidden line", "..two dots", "end"]


def test_one_connection_for_many_messages(serve: Serve, content: Content) -> None:
    mailbox, port = serve()
    people = [ANA, MICHAEL, Recipient(email="c@example.org")]
    with plain(port) as transport:
        ids = [transport.send(content, [Delivery.to(r)])[0] for r in people]
    assert len(set(ids)) == 3
    assert [m["Message-ID"] for m in mailbox.messages()] == ids
    assert len(set(mailbox.peers())) == 1


def test_reconnects_when_the_server_dropped_the_connection(serve: Serve, content: Content) -> None:
    first, port = serve()
    sleeps = Sleeps()
    with plain(port, sleeps) as transport:
        transport.send(content, [Delivery.to(ANA)])
        # the server goes away and comes back, as after an idle timeout
        serve.stop()
        second, _ = serve(port=port)
        transport.send(content, [Delivery.to(MICHAEL)])
    assert [e.rcpt_tos for _, e in first.received] == [[ANA.email]]
    assert [e.rcpt_tos for _, e in second.received] == [[MICHAEL.email]]
    assert sleeps == []  # a stale connection is not a failed attempt


def test_schedule_is_refused(content: Content) -> None:
    transport = Smtp(HOST, free_port(), security="none")
    at = Schedule(datetime.datetime(2026, 12, 1, 14, tzinfo=datetime.UTC))
    with pytest.raises(UsageError, match="--at") as error:
        transport.send(content, [Delivery.to(ANA)], schedule=at)
    assert "SendGrid" in str(error.value)


# -- TLS and logins -----------------------------------------------------------


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_starttls_and_login_from_the_environment(
    serve: Serve,
    content: Content,
    server_tls: ssl.SSLContext,
    client_tls: ssl.SSLContext,
    monkeypatch: pytest.MonkeyPatch,
    mechanism: str,
) -> None:
    mailbox, port = serve(
        tls_context=server_tls,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
        auth_exclude_mechanism=[m for m in ("LOGIN", "PLAIN") if m != mechanism],
    )
    monkeypatch.setenv(USERNAME_VAR, USERNAME)
    monkeypatch.setenv(PASSWORD_VAR, PASSWORD)
    settings = SmtpSettings(host=HOST, port=port)  # starttls by default
    with Smtp.from_settings(settings, ssl_context=client_tls, timeout=5) as transport:
        assert PASSWORD not in repr(transport)
        transport.send(content, [Delivery.to(ANA)])
        transport.send(content, [Delivery.to(MICHAEL)])
    assert [e.rcpt_tos for _, e in mailbox.received] == [[ANA.email], [MICHAEL.email]]
    assert len(set(mailbox.peers())) == 1


def test_implicit_tls(
    serve: Serve, content: Content, server_tls: ssl.SSLContext, client_tls: ssl.SSLContext
) -> None:
    mailbox, port = serve(ssl_context=server_tls)
    settings = SmtpSettings(host=HOST, port=port, security="tls")
    with Smtp.from_settings(settings, environ={}, ssl_context=client_tls, timeout=5) as transport:
        transport.send(content, [Delivery.to(ANA)])
    assert len(mailbox.received) == 1


def test_wrong_password_is_fatal_and_never_shown(
    serve: Serve,
    content: Content,
    server_tls: ssl.SSLContext,
    client_tls: ssl.SSLContext,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mailbox, port = serve(tls_context=server_tls, authenticator=authenticate, auth_required=True)
    wrong = "not-the-Pa55word"
    environ = {USERNAME_VAR: USERNAME, PASSWORD_VAR: wrong}
    sleeps = Sleeps()
    transport = Smtp.from_settings(
        SmtpSettings(host=HOST, port=port), environ, ssl_context=client_tls, sleep=sleeps
    )
    with caplog.at_level("DEBUG", logger="pressroom"), pytest.raises(DeliveryFailed) as error:
        transport.send(content, [Delivery.to(ANA)])
    assert error.value.fatal
    message = str(error.value)
    assert "535" in message and USERNAME_VAR in message and PASSWORD_VAR in message
    assert wrong not in message + repr(error.value) + repr(transport) + caplog.text
    assert sleeps == [] and mailbox.received == []


def test_starttls_required_but_not_offered(serve: Serve, content: Content) -> None:
    mailbox, port = serve()
    transport = Smtp(HOST, port, security="starttls", timeout=5)
    with pytest.raises(DeliveryFailed, match="does not offer STARTTLS") as error:
        transport.send(content, [Delivery.to(ANA)])
    assert error.value.fatal and mailbox.received == []


def test_untrusted_certificate_is_fatal(
    serve: Serve, content: Content, server_tls: ssl.SSLContext
) -> None:
    mailbox, port = serve(tls_context=server_tls)
    transport = Smtp(HOST, port, timeout=5)  # the system's trust store
    with pytest.raises(DeliveryFailed, match="no secure connection") as error:
        transport.send(content, [Delivery.to(ANA)])
    assert error.value.fatal and mailbox.received == []


def test_login_without_tls_only_to_this_machine(serve: Serve, content: Content) -> None:
    with pytest.raises(UsageError, match="unencrypted") as error:
        Smtp("smtp.example.net", security="none", username=USERNAME, password=PASSWORD)
    assert PASSWORD not in str(error.value)
    with pytest.raises(UsageError, match=PASSWORD_VAR):
        Smtp.from_settings(SmtpSettings(host="smtp.example.net"), {USERNAME_VAR: USERNAME})

    mailbox, port = serve(authenticator=authenticate, auth_require_tls=False)
    environ = {USERNAME_VAR: USERNAME, PASSWORD_VAR: PASSWORD}
    settings = SmtpSettings(host=HOST, port=port, security="none")
    with Smtp.from_settings(settings, environ, timeout=5) as transport:
        transport.send(content, [Delivery.to(ANA)])
    assert len(mailbox.received) == 1


# -- refusals, retries, lost connections ----------------------------------------


def test_recipient_refused(serve: Serve, content: Content) -> None:
    mailbox = Mailbox()
    mailbox.answer_rcpt = lambda a: "550 5.1.1 No such mailbox here" if a == NOBODY else None
    _, port = serve(mailbox)
    sleeps = Sleeps()
    with plain(port, sleeps) as transport:
        transport.send(content, [Delivery.to(ANA)])
        with pytest.raises(DeliveryFailed) as error:
            transport.send(content, [Delivery(NOBODY, None, "Hello,")])
        transport.send(content, [Delivery.to(MICHAEL)])  # and the send goes on
    assert not error.value.fatal
    assert "550 5.1.1 No such mailbox here" in str(error.value)
    assert NOBODY in str(error.value)
    assert sleeps == []
    assert [e.rcpt_tos for _, e in mailbox.received] == [[ANA.email], [MICHAEL.email]]


def test_temporary_refusal_is_retried(serve: Serve, content: Content) -> None:
    answers = ["451 4.3.0 Try again later"]
    mailbox = Mailbox()
    mailbox.answer_rcpt = lambda address: answers.pop() if answers else None
    _, port = serve(mailbox)
    sleeps = Sleeps()
    with plain(port, sleeps) as transport:
        [message_id] = transport.send(content, [Delivery.to(ANA)])
    assert sleeps == [1.0]
    [message] = mailbox.messages()
    assert message["Message-ID"] == message_id


def test_server_down_fails_after_retries(content: Content) -> None:
    sleeps = Sleeps()
    transport = plain(free_port(), sleeps, retry=RetryPolicy(attempts=3, random=lambda: 1.0))
    with pytest.raises(DeliveryFailed) as error:
        transport.send(content, [Delivery.to(ANA)])
    assert not error.value.fatal
    assert "after 3 attempts: connection refused" in str(error.value)
    assert sleeps == [1.0, 2.0]  # backoff, at the top of its jitter


def test_connection_lost_after_the_message_is_unknown(serve: Serve, content: Content) -> None:
    async def hang_up(server: Server) -> str:
        assert isinstance(server.transport, asyncio.Transport)
        server.transport.abort()  # the message was read; the reply never comes
        return "250 never sent"

    mailbox = Mailbox()
    mailbox.on_data = hang_up
    _, port = serve(mailbox)
    sleeps = Sleeps()
    transport = plain(port, sleeps)
    with pytest.raises(OutcomeUnknown, match="may have been delivered"):
        transport.send(content, [Delivery.to(ANA)])
    assert sleeps == []


def test_timeout_after_the_message_is_unknown(serve: Serve, content: Content) -> None:
    async def stall(server: Server) -> str:
        await asyncio.sleep(2)
        return "250 too late"

    mailbox = Mailbox()
    mailbox.on_data = stall
    _, port = serve(mailbox)
    transport = plain(port, timeout=0.3)
    with pytest.raises(OutcomeUnknown, match="no answer in time"):
        transport.send(content, [Delivery.to(ANA)])

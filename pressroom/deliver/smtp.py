"""The SMTP transport: the one place that talks SMTP (through the connection of
:mod:`~pressroom.deliver.smtp_client`, a copy of :mod:`smtplib`'s client that knows when the
message itself has left).

One message per recipient (``batch_size = 1``), so each send-log batch is one
SMTP transaction and a failure never leaves a batch half sent. One connection
is kept open across :meth:`Smtp.send` calls and opened again when the server
has dropped it (servers close idle connections).

How each SMTP answer ends, for the send log (see
:mod:`pressroom.deliver.transport`):

- ``250`` after the message: accepted; the id is the message's Message-ID;
- connection refused, server unreachable, a timeout, or a ``4xx`` reply
  before the message was accepted: tried again on a new connection, with
  backoff, as the :class:`~pressroom.deliver.retry.RetryPolicy` allows (the
  one the SendGrid transport uses), then :class:`DeliveryFailed` (not fatal);
- an authentication failure, no STARTTLS when it is required, an untrusted
  certificate, the sender refused: :class:`DeliveryFailed` with ``fatal``
  (every other message would get the same answer);
- a ``5xx`` for the recipient: :class:`RecipientRefused` (that recipient
  failed, the send goes on); a ``5xx`` for the message: :class:`DeliveryFailed`,
  not fatal, with the server's reply;
- a message that cannot be built for one recipient, or an address with
  non-ASCII letters before the ``@`` when the server offers no SMTPUTF8:
  :class:`RecipientRefused` (nothing was sent to them); a sender address
  that needs SMTPUTF8 the server does not offer: fatal;
- the connection dropped or timed out after the whole message was sent but
  before the server's reply: :class:`OutcomeUnknown` (it may have been
  delivered).

Credentials (``PRESSROOM_SMTP_USERNAME``, ``PRESSROOM_SMTP_PASSWORD``) only
ever cross an encrypted connection, except to a server on this machine: with
``security: none`` they are refused for any other host. The password is never
put in a message, a repr or a log.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from email.message import EmailMessage
from types import TracebackType
from typing import Literal, NoReturn

from pressroom.deliver.message import Content, Delivery
from pressroom.deliver.mime import cannot_build, mime_message, uses_smtputf8
from pressroom.deliver.retry import RetryPolicy
from pressroom.deliver.smtp_client import (
    PASSWORD_VAR,
    USERNAME_VAR,
    _Client,
    _describe,
    _is_disconnect,
    _reply,
    _Retry,
    _TlsClient,
    require_safe_login,
)
from pressroom.deliver.transport import (
    DeliveryFailed,
    OutcomeUnknown,
    RecipientRefused,
    Schedule,
)
from pressroom.errors import UsageError
from pressroom.model.address import ascii_form
from pressroom.model.room import Smtp as SmtpSettings
from pressroom.secrets import Scrubber

Security = Literal["starttls", "tls", "none"]


TIMEOUT = 30.0
"""Seconds to wait for the server to connect or answer one command."""


class Smtp:
    """A transport that sends each message through an SMTP server."""

    name = "smtp"
    batch_size = 1

    def __init__(
        self,
        host: str,
        port: int | None = None,
        *,
        security: Security = "starttls",
        username: str | None = None,
        password: str | None = None,
        timeout: float = TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], object] = time.sleep,
    ):
        """*ssl_context* decides which certificates are trusted (default: the
        system's, with the host name checked); *retry* bounds the attempts at
        one message (default :class:`RetryPolicy()`) and *sleep* waits between them.

        Raises :class:`UsageError` when only one of *username* and *password*
        is given, or when they would be sent unencrypted to another machine.
        """
        require_safe_login(host, security, username, password)
        self.host = host
        self.port = (
            port if port is not None else SmtpSettings(host=host, security=security).effective_port
        )
        self.security: Security = security
        self.username = username or None
        self._password = password or None
        self._scrubber = Scrubber([self._password], self.username)
        self.timeout = timeout
        self._ssl_context = ssl_context
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._client: _Client | None = None

    @classmethod
    def from_settings(
        cls,
        settings: SmtpSettings,
        environ: Mapping[str, str] | None = None,
        *,
        timeout: float = TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], object] = time.sleep,
    ) -> Smtp:
        """The transport for ``delivery.smtp`` in pressroom.yaml, with the
        credentials from the environment (*environ*, default ``os.environ``)."""
        env = os.environ if environ is None else environ
        return cls(
            settings.host,
            settings.effective_port,
            security=settings.security,
            username=env.get(USERNAME_VAR, "").strip() or None,
            password=env.get(PASSWORD_VAR) or None,
            timeout=timeout,
            ssl_context=ssl_context,
            retry=retry,
            sleep=sleep,
        )

    def __repr__(self) -> str:
        login = f", username={self.username!r}" if self.username else ""
        return f"Smtp({self.host!r}, {self.port}, security={self.security!r}{login})"

    # -- the connection -------------------------------------------------------

    @property
    def where(self) -> str:
        return f"SMTP server {self.host}:{self.port}"

    def _context(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            self._ssl_context = ssl.create_default_context()
        return self._ssl_context

    def _connect(self) -> _Client:
        """A connected, greeted, encrypted (as configured) and logged-in client."""
        # the host is given to the constructor, which connects: smtplib checks
        # the certificate against the host it was constructed with
        client: _Client
        try:
            if self.security == "tls":
                client = _TlsClient(
                    self.host, self.port, timeout=self.timeout, context=self._context()
                )
            else:
                client = _Client(self.host, self.port, timeout=self.timeout)
        except smtplib.SMTPConnectError as exc:  # a greeting other than 220
            self._refused("connection", exc.smtp_code, exc.smtp_error)
        try:
            client.ehlo()
            if self.security == "starttls":
                if not client.has_extn("starttls"):
                    raise DeliveryFailed(
                        f"{self.where} does not offer STARTTLS, and security is starttls: "
                        "nothing was sent (use security: tls if it expects TLS from the start)",
                        fatal=True,
                    )
                client.starttls(context=self._context())
                client.ehlo()
            if self.username and self._password:
                self._login(client)
        except BaseException:
            client.close()
            raise
        return client

    def _login(self, client: _Client) -> None:
        assert self.username and self._password
        try:
            client.login(self.username, self._password)
        except smtplib.SMTPAuthenticationError as exc:
            if 400 <= exc.smtp_code < 500:
                raise _Retry(
                    f"login refused for now: {self._answer(exc.smtp_code, exc.smtp_error)}"
                ) from None
            raise DeliveryFailed(
                f"{self.where} refused the login of {self.username!r} "
                f"({self._answer(exc.smtp_code, exc.smtp_error)}): check "
                f"{USERNAME_VAR} and {PASSWORD_VAR}",
                fatal=True,
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryFailed(
                f"{self.where} offers no login (AUTH), but {USERNAME_VAR} is set: "
                f"unset {USERNAME_VAR} and {PASSWORD_VAR} to send without logging in",
                fatal=True,
            ) from None
        except smtplib.SMTPException as exc:  # no common mechanism
            raise DeliveryFailed(
                f"{self.where}: cannot log in: {self._safe(str(exc))}", fatal=True
            ) from None

    def _refused(self, stage: str, code: int, reply: bytes | str) -> NoReturn:
        text = self._answer(code, reply)
        if 400 <= code < 500:
            raise _Retry(f"{stage} refused for now: {text}")
        raise DeliveryFailed(f"{self.where} refused the {stage}: {text}", fatal=True)

    def _safe(self, text: str) -> str:
        """*text* without the password, should a server ever echo it, as it is or as it
        crossed the wire (the base64 of AUTH PLAIN and AUTH LOGIN; :mod:`pressroom.secrets`)."""
        return self._scrubber.scrub(text)

    def _answer(self, code: int, reply: bytes | str) -> str:
        """A server's reply, for a message: scrubbed."""
        return self._safe(_reply(code, reply))

    def close(self) -> None:
        """Say goodbye to the server, if connected; sending again reconnects."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def __enter__(self) -> Smtp:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- sending --------------------------------------------------------------

    def send(
        self,
        content: Content,
        deliveries: Sequence[Delivery],
        *,
        test: bool = False,
        schedule: Schedule | None = None,
    ) -> list[str]:
        """Send one message per delivery; their Message-IDs, in order.

        Raises :class:`UsageError` for a *schedule* (SMTP sends at once),
        :class:`DeliveryFailed` or :class:`OutcomeUnknown` as the module says.
        """
        if schedule is not None:
            raise UsageError(
                "the SMTP transport sends at once: scheduling with --at needs SendGrid "
                "(delivery.transport: sendgrid); drop --at to send now"
            )
        if len(deliveries) > self.batch_size:
            raise ValueError(f"Smtp.send takes at most {self.batch_size} delivery at a time")
        return [self._send_one(content, d, test) for d in deliveries]

    def _send_one(self, content: Content, delivery: Delivery, test: bool) -> str:
        try:
            message = mime_message(content, delivery, test=test)
        except Exception as exc:  # UnsafeHeader, a header the email package refuses...
            raise RecipientRefused(
                f"{delivery.email}: the message cannot be built: {cannot_build(exc)}"
            ) from None
        international = uses_smtputf8(content, delivery)
        sender = ascii_form(content.sender) or content.sender
        recipient = ascii_form(delivery.email) or delivery.email
        attempts = 0
        while True:
            try:
                self._transmit(message, sender, recipient, international)
                return str(message["Message-ID"])
            except _Retry as exc:
                self._drop()
                if exc.stale:
                    continue  # the kept connection had expired: not a failed attempt
                attempts += 1
                if not self.retry.may_retry(attempts):
                    raise DeliveryFailed(
                        f"{self.where}: not sent to {delivery.email} after {attempts} "
                        f"attempt{'s' if attempts != 1 else ''}: {exc.reason}"
                    ) from None
                self._sleep(self.retry.backoff(attempts))
            except DeliveryFailed as exc:
                if exc.fatal:
                    self._drop()
                raise

    def _transmit(
        self, message: EmailMessage, sender: str, recipient: str, international: bool
    ) -> None:
        """One attempt at one message, on the kept connection or a new one.

        *international*: the message needs SMTPUTF8 (an address with non-ASCII
        letters before the ``@``). Raises :class:`_Retry` for a temporary
        failure, else as :meth:`send`.
        """
        reused = self._client is not None
        try:
            if self._client is None:
                self._client = self._connect()
            if international and not self._client.has_extn("smtputf8"):
                self._no_smtputf8(sender, recipient)
            self._client.message_sent = False
            self._client.send_message(message, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            [(code, text)] = exc.recipients.values()
            answer = self._answer(code, text)
            if 400 <= code < 500:
                raise _Retry(f"recipient refused for now: {answer}") from None
            raise RecipientRefused(f"{self.where} refused {recipient}: {answer}") from None
        except smtplib.SMTPSenderRefused as exc:
            answer = self._answer(exc.smtp_code, exc.smtp_error)
            if 400 <= exc.smtp_code < 500:
                raise _Retry(f"sender refused for now: {answer}") from None
            raise DeliveryFailed(
                f"{self.where} refused the sender {sender}: {answer}", fatal=True
            ) from None
        except smtplib.SMTPDataError as exc:
            # a reply to DATA or to the message itself: the server answered, so
            # it did not take the message
            answer = self._answer(exc.smtp_code, exc.smtp_error)
            if 400 <= exc.smtp_code < 500:
                raise _Retry(f"message refused for now: {answer}") from None
            raise DeliveryFailed(
                f"{self.where} refused the message to {recipient}: {answer}"
            ) from None
        except ssl.SSLError as exc:
            # raised as such only while connecting (the handshake); later TLS
            # errors reach us as SMTPServerDisconnected
            why = (
                exc.verify_message if isinstance(exc, ssl.SSLCertVerificationError) else exc.reason
            )
            hint = "; does it expect starttls?" if self.security == "tls" else ""
            raise DeliveryFailed(
                f"{self.where}: no secure connection ({why}{hint}): nothing was sent", fatal=True
            ) from None
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            # OSError: refused connections, unreachable hosts, timeouts
            sent = self._client is not None and self._client.message_sent
            self._drop()
            if sent:
                raise OutcomeUnknown(
                    f"{self.where}: the message to {recipient} was sent, but the server "
                    f"did not confirm it ({_describe(exc)}): it may have been delivered"
                ) from None
            raise _Retry(_describe(exc), stale=reused and _is_disconnect(exc)) from None
        except smtplib.SMTPResponseException as exc:  # STARTTLS refused, ...
            self._refused("command", exc.smtp_code, exc.smtp_error)
        except smtplib.SMTPException as exc:
            raise DeliveryFailed(f"{self.where}: {self._safe(str(exc))}") from None
        except (ValueError, UnicodeError) as exc:  # the message could not be written out
            if self._client is not None and self._client.message_sent:
                raise
            raise RecipientRefused(
                f"{recipient}: the message cannot be written out: {exc}"
            ) from None

    def _no_smtputf8(self, sender: str, recipient: str) -> NoReturn:
        if ascii_form(sender) is None:
            raise DeliveryFailed(
                f"{self.where} does not offer SMTPUTF8, which the sender address {sender} "
                "needs (non-ASCII letters before the @): nothing was sent; use an ASCII "
                "sender.email, or a server that offers SMTPUTF8",
                fatal=True,
            )
        raise RecipientRefused(
            f"{self.where} does not offer SMTPUTF8, which {recipient} needs (non-ASCII "
            "letters before the @): not sent to this address; send through a server that "
            "offers SMTPUTF8, or ask the journalist for an ASCII address"
        )

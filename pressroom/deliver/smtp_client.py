"""The SMTP connection as :mod:`smtplib` gives it, and how its failures read: the pieces
:class:`~pressroom.deliver.smtp.Smtp` is made of (the one module that talks SMTP uses them)."""

from __future__ import annotations

import ipaddress
import re
import smtplib
import socket
from typing import TYPE_CHECKING

from pressroom.errors import UsageError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class _Client(smtplib.SMTP):
    """:class:`smtplib.SMTP` that records when the message itself has gone out.

    Once the whole message, with its final ``.``, has been handed to the
    network, a lost connection may have delivered it; lost before then (even
    half-way through the message) it cannot have, as the server throws an
    unfinished message away. ``smtplib`` raises the same exception in both
    cases, so ``data`` is this copy of its own that sets :attr:`message_sent`
    in between.
    """

    message_sent = False

    def data(self, msg: ReadableBuffer | str) -> tuple[int, bytes]:
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        data = msg.encode("ascii") if isinstance(msg, str) else bytes(msg)
        data = re.sub(rb"(?m)^\.", b"..", data)  # dot-stuffing (RFC 5321 4.5.2)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        self.send(data + b".\r\n")  # sendall: raises unless every byte went out
        self.message_sent = True
        return self.getreply()


class _TlsClient(_Client, smtplib.SMTP_SSL):
    """The same over implicit TLS (``security: tls``, port 465)."""


USERNAME_VAR = "PRESSROOM_SMTP_USERNAME"
PASSWORD_VAR = "PRESSROOM_SMTP_PASSWORD"


def require_safe_login(
    host: str, security: str, username: str | None, password: str | None
) -> None:
    """:class:`UsageError` for an unknown *security*, half a login, or a password that
    would cross the network unencrypted (``security: none`` to another machine)."""
    if security not in ("starttls", "tls", "none"):
        raise UsageError(f"delivery.smtp.security: unknown value {security!r}")
    if bool(username) != bool(password):
        raise UsageError(
            f"set both {USERNAME_VAR} and {PASSWORD_VAR} to log in to the SMTP server, "
            "or neither to send without logging in"
        )
    if username and security == "none" and not is_local(host):
        raise UsageError(
            f"pressroom.yaml: delivery.smtp.security is none, so {PASSWORD_VAR} would "
            f"cross the network to {host} unencrypted; use security: starttls or tls, "
            f"or unset {USERNAME_VAR} and {PASSWORD_VAR} (none with a login is allowed "
            "only for a server on this machine)"
        )


def is_local(host: str) -> bool:
    """Whether *host* is this machine, where a password does not cross a network."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {' '.join(text.split())}".strip()


class _Retry(Exception):
    """A temporary failure: nothing was delivered, try again on a new connection."""

    def __init__(self, reason: str, *, stale: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.stale = stale  # a kept connection the server had closed: reconnect at once


def _is_disconnect(exc: BaseException) -> bool:
    return isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionResetError | BrokenPipeError)


def _describe(exc: BaseException) -> str:
    """A short reason for a lost or impossible connection."""
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return f"host not found ({exc.strerror})"
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return "no answer in time"  # smtplib reports a read timeout as a disconnection
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__

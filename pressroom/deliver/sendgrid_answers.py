"""SendGrid's answers as the SendGrid transport reads them: what a refusal
(:func:`refused`) or a request that got no answer (:func:`unreached`) means for the
send log (tried again, failed, fatal, or unknown: see
:mod:`pressroom.deliver.sendgrid`), SendGrid's own error messages (scrubbed of the
API key) and which recipient or file an error's field names."""

from __future__ import annotations

import errno
import json
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from urllib.error import URLError
from urllib.parse import urlsplit

from python_http_client.exceptions import HTTPError

from pressroom.deliver.message import Content, Delivery
from pressroom.deliver.retry import RetryPolicy
from pressroom.deliver.transport import DeliveryFailed, OutcomeUnknown
from pressroom.secrets import Scrubber

KEY_VARIABLE = "SENDGRID_API_KEY"
URL_VARIABLE = "PRESSROOM_SENDGRID_URL"

_NEVER_REACHED_ERRNOS = frozenset(
    {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN, errno.EADDRNOTAVAIL}
)


class _Retryable(Exception):
    """A failure that proves nothing was delivered: worth another attempt."""

    def __init__(self, reason: str, *, rate_limit_reset: str | None = None, limited: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.rate_limit_reset = rate_limit_reset
        self.limited = limited

    def wait(self, policy: RetryPolicy, attempt: int) -> float:
        if self.limited:
            return policy.rate_limit_wait(self.rate_limit_reset, attempt, time.time())
        return policy.backoff(attempt)


def _errors(
    body: bytes | str | None, explain: Callable[[str], str] | None, scrubber: Scrubber
) -> str:
    """SendGrid's ``errors[].message`` (and ``field``), joined: what the user can act on.

    The body is scrubbed of the key before anything is cut from it.
    """
    if not body:
        return ""
    text = scrubber.scrub(body.decode("utf-8", "replace") if isinstance(body, bytes) else body)
    try:
        errors = json.loads(text)["errors"]
        said = []
        for error in errors[:5]:
            message = str(error.get("message") or "").strip()
            field = error.get("field")
            if field:
                meaning = explain(str(field)) if explain else ""
                message = f"{field}{f' ({meaning})' if meaning else ''}: {message}"
            if message:
                said.append(message)
        if len(errors) > 5:
            said.append(f"and {len(errors) - 5} more")
        return "; ".join(said)[:1000]
    except (ValueError, KeyError, TypeError, AttributeError):
        return " ".join(text.split())[:300]


def _field_meaning(field: str, content: Content, deliveries: Sequence[Delivery]) -> str:
    """Which recipient or file an error's field (``personalizations.3.to.0.email``) is about."""
    parts = field.split(".")
    if parts[0] == "personalizations" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1])
        if index < len(deliveries):
            return f"the recipient {deliveries[index].email}"
    if parts[0] == "attachments" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1])
        if index < len(content.attachments):
            return f"the attachment {content.attachments[index].filename}"
    if parts[0] == "from":
        return "sender.email in pressroom.yaml"
    if parts[0] == "reply_to":
        return "sender.reply_to in pressroom.yaml"
    return ""


def _describe(exc: object) -> str:
    if isinstance(exc, BaseException):
        text = str(exc) or type(exc).__name__
        return text if type(exc).__name__ in text else f"{type(exc).__name__}: {text}"
    return str(exc)


def unreached(exc: URLError, idempotent: bool, base_url: str, scrubber: Scrubber) -> Exception:
    """What a request that never got an answer means: retry, fatal, or unknown."""
    reason = exc.reason
    where = urlsplit(base_url).netloc
    if isinstance(reason, ssl.SSLCertVerificationError):
        return DeliveryFailed(
            scrubber.scrub(f"the certificate of {where} could not be verified ({reason})"),
            fatal=True,
        )
    never_reached = isinstance(
        reason, ConnectionRefusedError | socket.gaierror | TimeoutError | str
    ) or (isinstance(reason, OSError) and reason.errno in _NEVER_REACHED_ERRNOS)
    text = f"SendGrid ({where}) could not be reached ({_describe(reason)})"
    if never_reached or idempotent:
        return _Retryable(text)
    return OutcomeUnknown(
        scrubber.scrub(
            f"the connection to SendGrid ({where}) broke while sending "
            f"({_describe(reason)}): SendGrid may or may not have taken the messages, "
            "so they are not sent again automatically"
        )
    )


def refused(
    exc: HTTPError,
    sender: str | None,
    explain: Callable[[str], str] | None,
    scrubber: Scrubber,
) -> Exception:
    """What SendGrid's refusal (a status of 400 or more) means: retry, or fail."""
    status = int(exc.status_code)
    said = _errors(exc.body, explain, scrubber)
    if status == 429:
        reset = exc.headers.get("X-RateLimit-Reset") if exc.headers else None
        return _Retryable(
            "SendGrid's rate limit was reached (429)", rate_limit_reset=reset, limited=True
        )
    if status >= 500:
        return _Retryable(f"SendGrid answered {status}" + (f": {said}" if said else ""))
    if status in (401, 403):
        identity = f"that {sender} is a verified sender" if sender else "its permissions"
        return DeliveryFailed(
            f"SendGrid refused the API key or sender identity ({status}"
            + (f": {said}" if said else "")
            + f"): check {KEY_VARIABLE} and {identity}",
            fatal=True,
        )
    if status == 413:
        return DeliveryFailed(
            "SendGrid refused the message as too large (413): attach fewer or smaller "
            "files (distribution.attach in the release)",
            fatal=True,
        )
    if status == 400:
        return DeliveryFailed(
            "SendGrid refused the message (400): " + (said or "no reason given"), fatal=True
        )
    hint = f" (is {URL_VARIABLE} right?)" if status in (404, 405) else ""
    return DeliveryFailed(
        f"SendGrid answered {status}" + (f": {said}" if said else "") + hint, fatal=True
    )

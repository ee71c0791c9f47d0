"""SendGrid's answers as the SendGrid transport reads them: which failures are worth
another attempt (:class:`_Retryable`), SendGrid's own error messages (scrubbed of the
API key) and which recipient or file an error's field names."""

from __future__ import annotations

import errno
import json
import time
from collections.abc import Callable, Sequence

from pressroom.deliver.message import Content, Delivery
from pressroom.deliver.retry import RetryPolicy
from pressroom.secrets import Scrubber

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

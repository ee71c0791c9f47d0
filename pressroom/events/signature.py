"""SendGrid's signed Event Webhook: is a post SendGrid's, and recent?

SendGrid signs ``timestamp + raw body`` with ECDSA P-256 over SHA-256 and
sends the base64 signature in ``X-Twilio-Email-Event-Webhook-Signature`` and
the timestamp (Unix seconds) in ``X-Twilio-Email-Event-Webhook-Timestamp``.
The public key is shown on SendGrid's settings page as base64 DER; pressroom
reads it from ``SENDGRID_WEBHOOK_PUBLIC_KEY``. The check itself is the
official ``sendgrid`` package's (:mod:`sendgrid.helpers.eventwebhook`).

A timestamp further than :data:`MAX_AGE` from now (either way) is refused, so
a recorded post cannot be replayed later; storing events by ``sg_event_id``
makes a replay within that window change nothing anyway.
"""

from __future__ import annotations

import binascii
import os
from datetime import datetime, timedelta

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec
from sendgrid.helpers.eventwebhook import EventWebhook

from pressroom.errors import PressroomError

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
KEY_VARIABLE = "SENDGRID_WEBHOOK_PUBLIC_KEY"
MAX_AGE = timedelta(minutes=10)
"""How far a post's signed timestamp may be from now: SendGrid posts within seconds,
and its retries are signed anew."""


MAX_SIGNATURE = 200
"""Characters: a base64 DER ECDSA P-256 signature is under 100."""


class WebhookKeyError(PressroomError):
    """No usable public key to check SendGrid's signatures with."""


class Refused(Exception):
    """A post that is not SendGrid's, or not recent: *status* 401 (unsigned) or 403."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


class Verifier:
    """Checks posts against one public key; *max_age* bounds the signed timestamp's age."""

    def __init__(self, public_key: str, max_age: timedelta = MAX_AGE):
        self.max_age = max_age
        try:
            self._webhook = EventWebhook(public_key.strip())
            key = self._webhook.public_key
            if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
                raise ValueError("not a P-256 key")
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise WebhookKeyError(
                f"{KEY_VARIABLE} is not an ECDSA public key in base64 DER; copy the "
                "verification key from SendGrid (Settings > Mail Settings > Event Webhook "
                "> Signature Verification)"
            ) from None

    @classmethod
    def from_environment(cls, max_age: timedelta = MAX_AGE) -> Verifier:
        key = os.environ.get(KEY_VARIABLE, "").strip()
        if not key:
            raise WebhookKeyError(
                f"{KEY_VARIABLE} is not set: enable Signed Event Webhook Requests in "
                "SendGrid and set it to the verification key SendGrid shows; pressroom "
                "accepts no unsigned events"
            )
        return cls(key, max_age)

    def check(
        self, body: bytes, signature: str | None, timestamp: str | None, now: datetime
    ) -> None:
        """Return if SendGrid signed *body* at *timestamp*, near *now*; else :class:`Refused`."""
        self.check_headers(signature, timestamp, now)
        self.check_body(body, signature or "", timestamp or "")

    def check_headers(self, signature: str | None, timestamp: str | None, now: datetime) -> None:
        """What can be refused before the body is read: no signature or timestamp (401),
        a timestamp that is not near *now* (403)."""
        if not signature or not timestamp:
            raise Refused(401, "not signed")
        if len(signature) > MAX_SIGNATURE:
            raise Refused(403, "the signature does not match")
        try:
            signed_at = int(timestamp)
        except ValueError:
            raise Refused(403, "the timestamp is not a Unix time") from None
        if abs(now.timestamp() - signed_at) > self.max_age.total_seconds():
            raise Refused(403, "the timestamp is too far from now")

    def check_body(self, body: bytes, signature: str, timestamp: str) -> None:
        """Return if SendGrid signed *body* at *timestamp* (checked by :meth:`check_headers`)."""
        try:
            text = body.decode("utf-8")
            good = self._webhook.verify_signature(text, signature, timestamp)
        except (UnicodeDecodeError, binascii.Error, ValueError):
            good = False
        if not good:
            raise Refused(403, "the signature does not match")

"""The SendGrid transport: one v3 Mail Send request per batch of up to 1,000 recipients.

The only module that imports ``sendgrid``. Each request carries the release
once (subject, text and HTML, attachments base64-encoded once per release
version and reused for every batch) and one personalization per recipient,
so SendGrid writes a separate message to each address and no recipient sees
another.

The request body (the greeting's substitution tags, the recipient ids, what
SendGrid refuses outright) is built by :mod:`pressroom.deliver.sendgrid_body`,
pure functions, and written as bytes by :mod:`pressroom.deliver.sendgrid_wire`
(the release's constant part serialised once), which this module sends.

**What the outcome means** (see :mod:`pressroom.deliver.transport`): a 202 is
accepted; a 429 waits for ``X-RateLimit-Reset`` and a 5xx or a connection
that never reached SendGrid backs off and tries again, a bounded number of
times (:mod:`pressroom.deliver.retry`), then fails the batch; a timeout or a
connection dropped after the request left is :class:`OutcomeUnknown`, never
retried, since SendGrid may have taken it; a 400, 401, 403 or 413 would be
the same for every batch, so it stops the send.

**The API key** is handed to the client and nowhere else: no message built
here contains it (any text from the server is scrubbed of it too), and the
HTTP client's DEBUG log, which prints the Authorization header, is held at
INFO.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import time
import urllib.request
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from urllib.error import URLError
from urllib.parse import urlsplit

import sendgrid
from python_http_client.client import Response
from python_http_client.exceptions import HTTPError

from pressroom import clock
from pressroom.deliver.message import Attachment, Content, Delivery
from pressroom.deliver.retry import RetryPolicy, call
from pressroom.deliver.sendgrid_answers import (
    KEY_VARIABLE,
    URL_VARIABLE,
    _describe,
    _field_meaning,
    _Retryable,
    refused,
    unreached,
)
from pressroom.deliver.sendgrid_body import encode_attachments, mail_body
from pressroom.deliver.sendgrid_refusals import (
    MAX_PERSONALIZATIONS,
    MAX_REQUEST_BYTES,
    check_ahead,
    refusal,
    refusals,
    too_large,
)
from pressroom.deliver.sendgrid_wire import BodyWriter
from pressroom.deliver.transport import DeliveryFailed, OutcomeUnknown, Schedule
from pressroom.errors import UsageError
from pressroom.model.room import DeliverySettings
from pressroom.secrets import Scrubber

API_URL = "https://api.sendgrid.com"


# python_http_client logs every request's headers, the Authorization header
# with the API key included, at DEBUG. Whatever the application's logging
# configuration, that logger never goes below INFO.
_http_log = logging.getLogger("python_http_client.client")
if _http_log.level < logging.INFO:
    _http_log.setLevel(logging.INFO)


class SendGrid:
    """The SendGrid v3 Mail Send API as a :class:`~pressroom.deliver.transport.Transport`.

    *unsubscribe_url* is ``delivery.unsubscribe_url`` of pressroom.yaml
    (``{email}`` is replaced by the URL-quoted address); a
    :class:`Delivery` that carries its own URL keeps it. With a URL, each
    message gets one-click ``List-Unsubscribe`` headers; without any, the
    batch uses SendGrid's own subscription tracking.
    """

    name = "sendgrid"
    batch_size = MAX_PERSONALIZATIONS

    def __init__(
        self,
        api_key: str,
        base_url: str = API_URL,
        *,
        timeout: float = 30,
        unsubscribe_url: str | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], object] = time.sleep,
    ):
        if not api_key:
            raise UsageError(f"{KEY_VARIABLE} is empty")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.unsubscribe_url = unsubscribe_url
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._client = sendgrid.SendGridAPIClient(api_key=api_key, host=self.base_url)
        self._scrubber = Scrubber([api_key])
        self._encoded: tuple[tuple[Attachment, ...], list[dict[str, str]]] | None = None
        self._writer = BodyWriter()
        self._opener: urllib.request.OpenerDirector | None = None

    def __repr__(self) -> str:
        return f"SendGrid({self.base_url!r})"

    @classmethod
    def from_environment(cls, settings: DeliverySettings, **options: Any) -> SendGrid:
        """The transport for ``SENDGRID_API_KEY`` and ``PRESSROOM_SENDGRID_URL``.

        Raises :class:`UsageError` when the key is missing or malformed (never
        showing any of it), or when the URL would send it unencrypted.
        """
        key = os.environ.get(KEY_VARIABLE, "").strip()
        if not key:
            raise UsageError(
                f"{KEY_VARIABLE} is not set: create an API key with the Mail Send permission "
                f"in SendGrid (Settings > API Keys) and export {KEY_VARIABLE}=...; or choose "
                "another transport under delivery: in pressroom.yaml"
            )
        if any(char.isspace() or not char.isprintable() for char in key):
            raise UsageError(
                f"{KEY_VARIABLE} contains spaces or line breaks: copy the key again "
                "(it is not shown here)"
            )
        url = os.environ.get(URL_VARIABLE, "").strip() or API_URL
        parts = urlsplit(url)
        local = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if not parts.hostname or not (
            parts.scheme == "https" or (parts.scheme == "http" and local)
        ):
            raise UsageError(
                f"{URL_VARIABLE}={url!r} is not an https:// address (http:// is allowed "
                "only for 127.0.0.1 and localhost: the API key must not cross a network "
                f"unencrypted); unset it to use {API_URL}"
            )
        return cls(key, url, unsubscribe_url=settings.unsubscribe_url, **options)

    # -- sending ------------------------------------------------------------

    def send(
        self,
        content: Content,
        deliveries: Sequence[Delivery],
        *,
        test: bool = False,
        schedule: Schedule | None = None,
    ) -> list[str]:
        """One Mail Send request for *deliveries*; SendGrid's ``X-Message-Id`` for each.

        Raises :class:`DeliveryFailed` (``fatal`` when every batch would fail
        the same way: a message too large, a refused key, a request SendGrid
        calls invalid) or :class:`OutcomeUnknown`.
        """
        if not deliveries:
            return []
        try:
            body = self._writer.body(  # json.dumps(self.payload(...)), byte for byte
                content,
                deliveries,
                self._attachments(content.attachments),
                test=test,
                schedule=schedule,
                unsubscribe_url=self.unsubscribe_url,
            )
            size = len(body)
        except DeliveryFailed:
            raise
        except Exception as exc:  # built here, so nothing was sent
            raise DeliveryFailed(
                f"the request to SendGrid could not be built ({type(exc).__name__}: {exc}): "
                "nothing was sent",
                fatal=True,
            ) from None
        if size > MAX_REQUEST_BYTES:
            raise DeliveryFailed(too_large(content, size), fatal=True)
        response = self._request(
            lambda: self._post_mail(body),
            sender=content.sender,
            explain=lambda field: _field_meaning(field, content, deliveries),
        )
        message_id = response.headers.get("X-Message-Id") or ""
        return [message_id] * len(deliveries)

    def _post_mail(self, body: bytes) -> Any:
        """POST /v3/mail/send with *body*, the JSON already serialised (once, to weigh
        it): the request ``client.mail.send.post(request_body=payload)`` makes, the same
        URL, headers and bytes, without serialising the payload a second time (a
        thousand personalizations a batch), through one opener (the client builds one,
        with the default handlers, for every request). Its answers and failures are the
        client's; each request still has a connection of its own."""
        endpoint = self._client.client.mail.send
        endpoint.request_headers.setdefault("Content-Type", "application/json")
        request = urllib.request.Request(
            endpoint._build_url(None), headers=endpoint.request_headers, data=body, method="POST"
        )
        if self._opener is None:  # its handlers are made once, not once a request
            self._opener = urllib.request.build_opener()
        return Response(endpoint._make_request(self._opener, request, timeout=self.timeout))

    def refusal(self, delivery: Delivery) -> str | None:
        """Why SendGrid cannot take *delivery* (an address it refuses), or None."""
        return refusal(delivery)

    def refusals(self, deliveries: Sequence[Delivery]) -> list[str | None]:
        """:meth:`refusal` of each of *deliveries*, the batch at once."""
        return refusals(deliveries)

    def preflight(self, content: Content) -> None:
        """Refuse *content* before anything is planned or sent if one request cannot carry it.

        Measured with a single recipient: a release whose attachments alone
        pass the 30 MB limit can never be sent, however it is batched.
        """
        probe = Delivery("preflight@example.invalid", None, "Hello,")
        size = len(json.dumps(self.payload(content, [probe])))
        if size > MAX_REQUEST_BYTES:
            raise DeliveryFailed(too_large(content, size), fatal=True)

    def payload(
        self,
        content: Content,
        deliveries: Sequence[Delivery],
        *,
        test: bool = False,
        schedule: Schedule | None = None,
    ) -> dict[str, Any]:
        """The JSON body of the Mail Send request for one batch; nothing is sent.

        See :func:`~pressroom.deliver.sendgrid_body.mail_body`; the attachments
        are encoded once per release version and reused for every batch.
        """
        return mail_body(
            content,
            deliveries,
            self._attachments(content.attachments),
            test=test,
            schedule=schedule,
            unsubscribe_url=self.unsubscribe_url,
        )

    def _attachments(self, attachments: tuple[Attachment, ...]) -> list[dict[str, str]]:
        """Base64 once per release version: the same list object for every batch."""
        if self._encoded is None or self._encoded[0] is not attachments:
            self._encoded = (attachments, encode_attachments(attachments))
        return self._encoded[1]

    # -- scheduling ---------------------------------------------------------

    def new_schedule(self, send_at: datetime) -> Schedule:
        """A SendGrid batch id for messages held until *send_at*.

        Raises :class:`UsageError` for a time in the past or more than 72
        hours ahead (``pressroom.clock``'s now), before asking SendGrid.
        """
        if send_at.tzinfo is None:
            raise UsageError(f"{send_at.isoformat()}: a scheduled time needs a time zone")
        now = clock.now()
        if send_at <= now:
            raise UsageError(
                f"{send_at.isoformat()} is in the past (it is now {now.isoformat()}); "
                "give a time in the next 72 hours, or send now"
            )
        check_ahead(send_at, now, UsageError)
        response = self._request(
            lambda: self._client.client.mail.batch.post(timeout=self.timeout),
            idempotent=True,
        )
        try:
            batch_id = json.loads(response.body)["batch_id"]
        except (ValueError, KeyError, TypeError):
            raise DeliveryFailed(
                "SendGrid answered the request for a batch id without one", fatal=True
            ) from None
        if not isinstance(batch_id, str) or not batch_id:
            raise DeliveryFailed("SendGrid answered with an empty batch id", fatal=True)
        return Schedule(send_at=send_at, batch_id=batch_id)

    def cancel(self, batch_id: str) -> None:
        """Cancel every message of *batch_id* that SendGrid has not sent yet."""
        body = {"batch_id": batch_id, "status": "cancel"}
        self._request(
            lambda: self._client.client.user.scheduled_sends.post(
                request_body=body, timeout=self.timeout
            ),
            idempotent=True,
        )

    # -- suppressions ---------------------------------------------------------

    SUPPRESSION_LISTS = (
        ("bounces", "bounce"),
        ("unsubscribes", "unsubscribe"),
        ("spam_reports", "unsubscribe"),
        ("invalid_emails", "bounce"),
    )
    """SendGrid's global suppression lists, and the send log's reason for each."""
    PAGE = 500

    def suppressions(self) -> list[tuple[str, str]]:
        """(address, reason) of everyone SendGrid will not deliver to, from its
        global suppression lists, so that the send log knows them too."""
        found: list[tuple[str, str]] = []
        for kind, reason in self.SUPPRESSION_LISTS:
            offset = 0
            while True:
                query = {"limit": self.PAGE, "offset": offset}
                endpoint = getattr(self._client.client.suppression, kind)

                def page_of(endpoint: Any = endpoint, query: dict[str, int] = query) -> Any:
                    return endpoint.get(query_params=query, timeout=self.timeout)

                response = self._request(page_of, idempotent=True)
                try:
                    rows = json.loads(response.body or b"[]")
                    page = [str(row["email"]) for row in rows]
                except (ValueError, KeyError, TypeError):
                    raise DeliveryFailed(
                        f"SendGrid's {kind} list could not be read (an unexpected answer)"
                    ) from None
                found += [(address, reason) for address in page]
                if len(page) < self.PAGE:
                    break
                offset += self.PAGE
        return found

    # -- one request, its retries and what its failure means ----------------

    def _request(
        self,
        do: Callable[[], Any],
        *,
        sender: str | None = None,
        idempotent: bool = False,
        explain: Callable[[str], str] | None = None,
    ) -> Any:
        """``do()`` under the retry policy; every failure as a transport error.

        *idempotent* requests (a batch id, a cancellation) are retried after
        a timeout too: doing them twice does no harm.
        """

        def attempt() -> Any:
            try:
                return do()
            except HTTPError as exc:
                raise refused(exc, sender, explain, self._scrubber) from None
            except URLError as exc:
                raise unreached(exc, idempotent, self.base_url, self._scrubber) from None
            except (OSError, http.client.HTTPException) as exc:
                reason = (
                    "the connection to SendGrid failed after the request was sent "
                    f"({_describe(exc)})"
                )
                if isinstance(exc, TimeoutError):
                    reason = f"SendGrid did not answer within {self.timeout:g} seconds"
                if idempotent:
                    raise _Retryable(reason) from None
                raise OutcomeUnknown(
                    self._scrub(
                        f"{reason}: SendGrid may or may not have taken the messages, "
                        "so they are not sent again automatically"
                    )
                ) from None

        def retry_after(exc: Exception, attempt_number: int) -> float | None:
            return exc.wait(self.retry, attempt_number) if isinstance(exc, _Retryable) else None

        try:
            return call(attempt, self.retry, retry_after, self._sleep)
        except _Retryable as exc:
            tries = f"{self.retry.attempts} attempt{'s' if self.retry.attempts != 1 else ''}"
            raise DeliveryFailed(
                self._scrub(f"{exc.reason}; gave up after {tries}, nothing was sent")
            ) from None

    def _scrub(self, text: str) -> str:
        """*text* without the API key, whatever a server echoed (:mod:`pressroom.secrets`)."""
        return self._scrubber.scrub(text)


# -- reading SendGrid's answers ------------------------------------------------

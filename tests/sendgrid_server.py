"""A SendGrid-compatible HTTP server on 127.0.0.1, for the tests and the benchmark.

It answers the v3 endpoints pressroom uses as SendGrid documents them, and
refuses a request the way SendGrid would (``{"errors": [{"message", "field",
"help"}]}`` with a 400), so a payload that passes here has the shape SendGrid
asks for. Every request is recorded; failures can be scripted.

    with SendGridServer() as server:                 # or server.start() ... server.stop()
        transport = SendGrid(server.api_key, server.url)
        server.fail("429", times=1, reset_in=1)      # the next mail send answers 429
        server.fail("500", at=[2, 3])                # the 3rd and 4th mail sends answer 500
        server.fail("hang", seconds=5)               # read the request, then say nothing
        server.fail("drop")                          # read the request, then close the socket
        server.fail("503", times=None)               # every mail send from now on
        ...
        server.mail[0].payload["personalizations"]   # what was sent (attachments summarised)
        server.accepted["ana@ledger.example"]        # how many accepted requests included her

``closed_url()`` gives an address where nothing listens (connection refused),
and so does ``server.url`` once the server is stopped.

Like SendGrid's Event Webhook, it can tell a receiver what became of what it
accepted: events signed with a key pair (:class:`WebhookSigner`), posted in
batches, out of order, some twice, a whole batch again (as SendGrid does when
an answer is lost), and retried when the receiver does not answer 2xx:

        server.webhook(receiver_url, signer)         # from now on, queue events
        server.outcomes["gone@outlet.example"] = ["bounce"]     # default: delivered
        server.outcomes["ana@ledger.example"] = ["delivered", "open", "click"]
        server.post_events()                         # post what is queued; the statuses

Only the standard library, ``cryptography`` and ``pressroom.clock`` are used,
so a benchmark can start it outside pytest; ``keep_payloads=False`` keeps only
sizes and counts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import random
import re
import secrets
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeGuard
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs
from urllib.request import Request, urlopen

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from pressroom import clock

API_KEY = "SG.test-key-for-the-sendgrid-test-server"
MAX_BODY = 30_000_000
MAX_PERSONALIZATIONS = 1000
MAX_RECIPIENTS = 1000
MAX_SCHEDULE_AHEAD = 72 * 3600
MAX_CATEGORIES = 10
MAX_CUSTOM_ARGS = 10_000
MAX_SUBSTITUTIONS = 10_000
RESERVED_HEADERS = frozenset(
    ["x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type"]
    + ["content-transfer-encoding", "to", "from", "subject", "reply-to", "cc", "bcc"]
)
FAULTS = ("429", "500", "503", "hang", "drop")
SUPPRESSION_LISTS = ("bounces", "blocks", "unsubscribes", "spam_reports", "invalid_emails")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HEADER_NAME = re.compile(r"[!-9;-~]+")  # RFC 5322 field name: printable ASCII but ':'


Error = dict[str, Any]


def error(message: str, field: str | None = None) -> Error:
    return {"message": message, "field": field, "help": None}


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]  # as received, without Authorization
    size: int  # bytes of the body
    status: int | str = 0  # the HTTP status answered, or "hang" / "drop"
    payload: Any = None  # the parsed JSON; attachment contents -> {"bytes", "sha256"}
    errors: list[Error] = field(default_factory=list)
    message_id: str | None = None
    recipients: int = 0


@dataclass
class Fault:
    kind: str  # one of FAULTS
    reset_in: float = 1.0  # 429: X-RateLimit-Reset is now + this (Unix seconds, rounded up)
    seconds: float = 5.0  # hang: how long to say nothing before closing


class WebhookSigner:
    """A P-256 key pair: signs posts as SendGrid does; :attr:`public_key` as its settings show it."""

    def __init__(self) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        der = self._key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public_key = base64.b64encode(der).decode("ascii")

    def headers(self, body: bytes, timestamp: int) -> dict[str, str]:
        """The two headers SendGrid adds to a signed post of *body* at *timestamp*."""
        signature = self._key.sign(str(timestamp).encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": str(timestamp),
        }


@dataclass
class Webhook:
    """Where and how the server posts events (see :meth:`SendGridServer.webhook`)."""

    url: str
    signer: WebhookSigner
    batch_size: int = 50
    duplicates: float = 0.2  # the share of events posted twice, in different batches
    replay: int = 1  # whole batches posted again after a 2xx (an answer SendGrid lost)
    retries: int = 3  # posts again after a non-2xx answer or a broken connection
    seed: int = 0  # the shuffle, so a failing test can be replayed


class SendGridServer:
    """The server, its recorded requests and its scripted failures."""

    def __init__(
        self,
        api_key: str = API_KEY,
        *,
        now: Callable[[], float] | None = None,
        keep_payloads: bool = True,
        max_body: int = MAX_BODY,
    ):
        self.api_key = api_key
        self.keep_payloads = keep_payloads
        self.max_body = max_body
        self.requests: list[Recorded] = []
        self.accepted: Counter[str] = Counter()
        self.batches: dict[str, str | None] = {}  # batch id -> None, "cancel" or "pause"
        self.suppressions: dict[str, list[str]] = {kind: [] for kind in SUPPRESSION_LISTS}
        """Addresses on SendGrid's global suppression lists, served by GET /v3/suppression/..."""
        self._now = now
        self._lock = threading.Lock()
        self._at: dict[int, Fault] = {}
        self._next: deque[Fault] = deque()
        self._always: Fault | None = None
        self._mail_count = 0
        self.outcomes: dict[str, list[str]] = {}
        """Per address (lower case), the events after ``processed`` (default ``delivered``)."""
        self.events: list[dict[str, Any]] = []
        """Every event queued for the webhook, in the order it happened."""
        self._webhook: Webhook | None = None
        self._queue: list[dict[str, Any]] = []
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._url = ""

    # -- life ---------------------------------------------------------------

    def start(self) -> SendGridServer:
        self._stopping.clear()
        handler = type("Handler", (_Handler,), {"owner": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        host, port = self._httpd.server_address[:2]
        self._url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> SendGridServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``; after :meth:`stop`, connecting to it is refused."""
        assert self._url, "start() the server first"
        return self._url

    # -- time ---------------------------------------------------------------

    def now(self) -> float:
        """The server's Unix time for send_at: ``PRESSROOM_NOW`` when set, as the client's."""
        return self._now() if self._now else clock.now().timestamp()

    def set_now(self, moment: datetime | float | None) -> None:
        """Fix the server's time (``None``: follow ``pressroom.clock`` again)."""
        if moment is None:
            self._now = None
        else:
            stamp = moment.timestamp() if isinstance(moment, datetime) else float(moment)
            self._now = lambda: stamp

    # -- scripted failures --------------------------------------------------

    def fail(
        self,
        kind: str,
        *,
        at: int | Iterable[int] | None = None,
        times: int | None = 1,
        reset_in: float = 1.0,
        seconds: float = 5.0,
    ) -> None:
        """Answer mail sends with *kind* (``429 500 503 hang drop``).

        *at*: by index among all mail sends (0 is the first the server got);
        otherwise the next *times* mail sends, or every one with ``times=None``.
        """
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULTS)}")
        fault = Fault(kind, reset_in, seconds)
        with self._lock:
            if at is not None:
                for index in [at] if isinstance(at, int) else at:
                    self._at[index] = fault
            elif times is None:
                self._always = fault
            else:
                self._next.extend([fault] * times)

    def clear_faults(self) -> None:
        with self._lock:
            self._at.clear()
            self._next.clear()
            self._always = None

    def _fault_for_next_mail(self) -> Fault | None:
        with self._lock:
            index = self._mail_count
            self._mail_count += 1
            if index in self._at:
                return self._at.pop(index)
            if self._next:
                return self._next.popleft()
            return self._always

    # -- what was received --------------------------------------------------

    @property
    def mail(self) -> list[Recorded]:
        """The Mail Send requests, in order, whatever they were answered."""
        return [r for r in self.requests if r.path == "/v3/mail/send"]

    @property
    def sent(self) -> list[Recorded]:
        """The Mail Send requests answered 202."""
        return [r for r in self.mail if r.status == 202]

    def _record(self, recorded: Recorded) -> None:
        with self._lock:
            self.requests.append(recorded)

    # -- the event webhook ----------------------------------------------------

    def webhook(self, url: str, signer: WebhookSigner, **how: Any) -> Webhook:
        """Queue the events of every mail send accepted from now on, for *url*."""
        self._webhook = Webhook(url, signer, **how)
        return self._webhook

    def _queue_events(self, payload: dict[str, Any], message_id: str) -> None:
        if self._webhook is None:
            return
        top = payload.get("custom_args") or {}
        categories = payload.get("categories") or []
        stamp = int(self.now())
        queued = []
        for i, one in enumerate(payload["personalizations"]):
            args = {**top, **(one.get("custom_args") or {})}
            for address in one.get("to") or []:
                email = address["email"]
                kinds = ["processed"] + self.outcomes.get(email.lower(), ["delivered"])
                for step, kind in enumerate(kinds):
                    queued.append(
                        _event(kind, email, stamp + step * 60, f"{message_id}.filter0{i}", args)
                        | {"category": categories}
                    )
        with self._lock:
            self.events.extend(queued)
            self._queue.extend(queued)

    def post_events(self) -> list[int | str]:
        """Post the queued events to the webhook as SendGrid would; the answers, in order.

        Shuffled, a share posted twice, batches replayed after a 2xx and
        retried after anything else (at most ``retries`` times); each post
        signed anew at the server's time (``pressroom.clock``).
        """
        hook = self._webhook
        assert hook is not None, "call webhook() first"
        with self._lock:
            queued, self._queue = self._queue, []
        rng = random.Random(hook.seed)
        events = queued + [e for e in queued if rng.random() < hook.duplicates]
        rng.shuffle(events)
        batches = [events[i : i + hook.batch_size] for i in range(0, len(events), hook.batch_size)]
        statuses: list[int | str] = []
        for number, batch in enumerate(batches):
            body = json.dumps(batch).encode()
            for _attempt in range(hook.retries + 1):
                status = self._post(hook, body)
                statuses.append(status)
                if isinstance(status, int) and 200 <= status < 300:
                    if number < hook.replay:
                        statuses.append(self._post(hook, body))
                    break
        return statuses

    def _post(self, hook: Webhook, body: bytes) -> int | str:
        headers = {"Content-Type": "application/json", "User-Agent": "SendGrid Event API"}
        headers |= hook.signer.headers(body, int(self.now()))
        request = Request(hook.url, data=body, headers=headers, method="POST")
        try:
            with urlopen(request, timeout=30) as answer:
                return int(answer.status)
        except HTTPError as refused:
            return int(refused.code)
        except (URLError, OSError) as broken:
            return f"error: {broken}"


def _event(
    kind: str, email: str, stamp: int, sg_message_id: str, args: dict[str, str]
) -> dict[str, Any]:
    """One event as SendGrid's webhook posts it (custom_args at the top level)."""
    event: dict[str, Any] = {
        "email": email,
        "timestamp": stamp,
        "event": kind,
        "sg_event_id": secrets.token_urlsafe(16),
        "sg_message_id": sg_message_id,
        "smtp-id": f"<{sg_message_id}@ismtpd0001p1lon1.sendgrid.net>",
        **args,
    }
    if kind == "bounce":
        event |= {"type": "bounce", "status": "5.1.1", "reason": "550 5.1.1 no such user"}
    elif kind == "blocked":
        event |= {"event": "bounce", "type": "blocked", "status": "4.0.0", "reason": "blocked"}
    elif kind == "deferred":
        event |= {"response": "451 try again later", "attempt": "1"}
    elif kind.startswith("dropped"):  # "dropped" or "dropped:Bounced Address"
        event |= {"event": "dropped", "reason": kind.partition(":")[2] or "Invalid"}
    elif kind in ("open", "machine_open"):
        event |= {"event": "open", "sg_machine_open": kind == "machine_open"}
        event |= {"useragent": "Mozilla/5.0", "ip": "192.0.2.1"}
    elif kind.startswith("click"):  # "click" or "click:https://..."
        url = kind.partition(":")[2] or "https://example.org/"
        event |= {"event": "click", "url": url, "useragent": "Mozilla/5.0"}
    return event


def closed_url() -> str:
    """An http:// address on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# -- the checks SendGrid makes of a Mail Send body ------------------------------


def check_mail(payload: Any, now: float, batches: Iterable[str] = ()) -> list[Error]:
    """Every reason SendGrid would refuse *payload* with a 400 (none: it would be accepted)."""
    if not isinstance(payload, dict):
        return [error("The request body must be a JSON object.")]
    errors: list[Error] = []
    errors += _check_from(payload)
    errors += _check_personalizations(payload, now)
    errors += _check_content(payload)
    errors += _check_attachments(payload.get("attachments"))
    errors += _check_headers(payload.get("headers"), "headers")
    errors += _check_categories(payload.get("categories"))
    errors += _check_send_at(payload.get("send_at"), "send_at", now)
    batch_id = payload.get("batch_id")
    if batch_id is not None and batch_id not in set(batches):
        errors.append(error("The batch id is not valid.", "batch_id"))
    subscription = (payload.get("tracking_settings") or {}).get("subscription_tracking")
    if subscription is not None and not isinstance(subscription.get("enable"), bool):
        errors.append(
            error("enable must be a boolean.", "tracking_settings.subscription_tracking.enable")
        )
    return errors


def _valid_email(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(_EMAIL.match(value))


def _check_from(payload: dict[str, Any]) -> list[Error]:
    errors = []
    sender = payload.get("from")
    if not isinstance(sender, dict) or not _valid_email(sender.get("email")):
        errors.append(
            error(
                "The from object must be provided for every email send. It is an object that "
                "requires the email parameter, but may also contain a name parameter.",
                "from.email",
            )
        )
    reply_to = payload.get("reply_to")
    if reply_to is not None and (
        not isinstance(reply_to, dict) or not _valid_email(reply_to.get("email"))
    ):
        errors.append(
            error("The reply_to email does not contain a valid address.", "reply_to.email")
        )
    if reply_to is not None and payload.get("reply_to_list") is not None:
        errors.append(error("You may not use both reply_to and reply_to_list.", "reply_to"))
    return errors


def _check_personalizations(payload: dict[str, Any], now: float) -> list[Error]:
    personalizations = payload.get("personalizations")
    if not isinstance(personalizations, list) or not personalizations:
        return [
            error(
                "The personalizations field is required and must have at least one personalization.",
                "personalizations",
            )
        ]
    errors = []
    if len(personalizations) > MAX_PERSONALIZATIONS:
        errors.append(
            error(
                f"The personalizations field may have at most {MAX_PERSONALIZATIONS} personalizations.",
                "personalizations",
            )
        )
    templated = bool(payload.get("template_id"))
    top_subject = isinstance(payload.get("subject"), str) and bool(payload["subject"])
    top_args = payload.get("custom_args") or {}
    if not isinstance(top_args, dict) or not all(isinstance(v, str) for v in top_args.values()):
        errors.append(error("custom_args must be an object of string values.", "custom_args"))
        top_args = {}
    seen: set[str] = set()
    duplicate_reported = False
    recipients = 0
    for i, one in enumerate(personalizations):
        where = f"personalizations.{i}"
        if not isinstance(one, dict):
            errors.append(error("A personalization must be an object.", where))
            continue
        if not isinstance(one.get("to"), list) or not one["to"]:
            errors.append(
                error(
                    "The to array is required for all personalization objects, and must have at least one email object with a valid email address.",
                    f"{where}.to",
                )
            )
        for kind in ("to", "cc", "bcc"):
            for j, address in enumerate(one.get(kind) or []):
                recipients += 1
                email = address.get("email") if isinstance(address, dict) else None
                if not _valid_email(email):
                    errors.append(
                        error("Does not contain a valid address.", f"{where}.{kind}.{j}.email")
                    )
                    continue
                name = address.get("name")
                if name is not None and (not isinstance(name, str) or re.search(r"[,;]", name)):
                    errors.append(
                        error(
                            "A recipient's name may not contain commas or semicolons.",
                            f"{where}.{kind}.{j}.name",
                        )
                    )
                key = email.lower()
                if key in seen and not duplicate_reported:
                    duplicate_reported = True
                    errors.append(
                        error(
                            "Each email address in the personalization block should be unique between to, cc, and bcc. "
                            f"We found the first duplicate instance of [{email}] in the {where}.{kind} field.",
                            f"{where}.{kind}",
                        )
                    )
                seen.add(key)
        if (
            not templated
            and not top_subject
            and not (isinstance(one.get("subject"), str) and one["subject"])
        ):
            errors.append(
                error(
                    "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.",
                    "subject",
                )
            )
        errors += _check_headers(one.get("headers"), f"{where}.headers")
        errors += _check_send_at(one.get("send_at"), f"{where}.send_at", now)
        substitutions = one.get("substitutions") or {}
        if not isinstance(substitutions, dict) or not all(
            isinstance(v, str) for v in substitutions.values()
        ):
            errors.append(
                error("Substitutions must be an object of string values.", f"{where}.substitutions")
            )
        elif _size(substitutions) > MAX_SUBSTITUTIONS:
            errors.append(
                error(
                    f"The total size of substitutions may not exceed {MAX_SUBSTITUTIONS} bytes per personalization.",
                    f"{where}.substitutions",
                )
            )
        args = one.get("custom_args") or {}
        if not isinstance(args, dict) or not all(isinstance(v, str) for v in args.values()):
            errors.append(
                error("custom_args must be an object of string values.", f"{where}.custom_args")
            )
        elif _size({**top_args, **args}) > MAX_CUSTOM_ARGS:
            errors.append(
                error(
                    f"The total size of custom_args may not exceed {MAX_CUSTOM_ARGS} bytes.",
                    f"{where}.custom_args",
                )
            )
    if recipients > MAX_RECIPIENTS:
        errors.append(
            error(
                f"The total number of recipients (to, cc and bcc) must be no more than {MAX_RECIPIENTS}.",
                "personalizations",
            )
        )
    return errors


def _size(pairs: dict[str, str]) -> int:
    """The bytes of an object's keys and values, as SendGrid counts its size limits."""
    return sum(len(k.encode()) + len(v.encode()) for k, v in pairs.items())


def _check_content(payload: dict[str, Any]) -> list[Error]:
    if payload.get("template_id"):
        return []
    content = payload.get("content")
    if not isinstance(content, list) or not content:
        return [
            error(
                "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.",
                "content",
            )
        ]
    errors = []
    order = []
    for i, part in enumerate(content):
        if (
            not isinstance(part, dict)
            or not part.get("type")
            or not isinstance(part.get("value"), str)
            or not part["value"]
        ):
            errors.append(
                error("A content block needs a type and a non-empty value.", f"content.{i}")
            )
            continue
        order.append({"text/plain": 0, "text/html": 1}.get(part["type"], 2))
    if order != sorted(order) or (0 in order and order[0] != 0):
        errors.append(
            error(
                "If present, text/plain and text/html may only be provided in this order: text/plain, text/html.",
                "content",
            )
        )
    return errors


def _check_attachments(attachments: Any) -> list[Error]:
    if attachments is None:
        return []
    if not isinstance(attachments, list):
        return [error("attachments must be an array.", "attachments")]
    errors = []
    for i, attachment in enumerate(attachments):
        where = f"attachments.{i}"
        if not isinstance(attachment, dict):
            errors.append(error("An attachment must be an object.", where))
            continue
        if not isinstance(attachment.get("filename"), str) or not attachment["filename"]:
            errors.append(
                error("The attachment filename parameter is required.", f"{where}.filename")
            )
        content = attachment.get("content")
        if not isinstance(content, str) or not content:
            errors.append(error("The attachment content is required.", f"{where}.content"))
        else:
            try:
                base64.b64decode(content, validate=True)
            except (binascii.Error, ValueError):
                errors.append(
                    error("The attachment content must be base64 encoded.", f"{where}.content")
                )
        if "type" in attachment and (
            not isinstance(attachment["type"], str) or not attachment["type"]
        ):
            errors.append(error("The attachment type must be a non-empty string.", f"{where}.type"))
        disposition = attachment.get("disposition", "attachment")
        if disposition not in ("attachment", "inline"):
            errors.append(
                error("The disposition must be inline or attachment.", f"{where}.disposition")
            )
        content_id = attachment.get("content_id")
        if disposition == "inline" and (not isinstance(content_id, str) or not content_id):
            errors.append(
                error(
                    "The content_id parameter is required when disposition is inline.",
                    f"{where}.content_id",
                )
            )
        for key in ("type", "filename", "content_id"):
            value = attachment.get(key)
            if isinstance(value, str) and (";" in value or "\r" in value or "\n" in value):
                errors.append(
                    error(
                        f"The attachment {key} cannot contain ';', or CRLF characters.",
                        f"{where}.{key}",
                    )
                )
    return errors


def _check_headers(headers: Any, where: str) -> list[Error]:
    if headers is None:
        return []
    if not isinstance(headers, dict):
        return [error("Headers must be an object.", where)]
    errors = []
    for name, value in headers.items():
        if name.lower() in RESERVED_HEADERS:
            errors.append(
                error(f"The header {name} is reserved and may not be set.", f"{where}.{name}")
            )
        elif not isinstance(value, str):
            errors.append(error("Header values must be strings.", f"{where}.{name}"))
        elif not _HEADER_NAME.fullmatch(name):
            errors.append(error(f"Invalid header name {name!r}.", f"{where}.{name}"))
        elif any(ch in value for ch in "\r\n"):
            errors.append(
                error(
                    "Header values must be on one line; SendGrid folds them itself.",
                    f"{where}.{name}",
                )
            )
    return errors


def _check_categories(categories: Any) -> list[Error]:
    if categories is None:
        return []
    if not isinstance(categories, list):
        return [error("categories must be an array.", "categories")]
    errors = []
    if len(categories) > MAX_CATEGORIES:
        errors.append(
            error(
                f"You may not have more than {MAX_CATEGORIES} categories per request.", "categories"
            )
        )
    if len(set(map(str, categories))) != len(categories):
        errors.append(error("Categories must be unique.", "categories"))
    for i, category in enumerate(categories):
        if not isinstance(category, str) or len(category) > 255 or not category.isascii():
            errors.append(
                error("A category must be ASCII text of at most 255 characters.", f"categories.{i}")
            )
    return errors


def _check_send_at(send_at: Any, where: str, now: float) -> list[Error]:
    if send_at is None:
        return []
    if not isinstance(send_at, int) or isinstance(send_at, bool):
        return [error("send_at must be a Unix timestamp (an integer).", where)]
    if send_at > now + MAX_SCHEDULE_AHEAD:
        return [
            error("The send_at parameter cannot be scheduled more than 72 hours in advance.", where)
        ]
    return []


def summarised(payload: dict[str, Any]) -> dict[str, Any]:
    """*payload* with each attachment's base64 replaced by its decoded size and sha256."""
    attachments = payload.get("attachments")
    if isinstance(attachments, list):
        for attachment in attachments:
            data = base64.b64decode(attachment["content"])
            attachment["content"] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return payload


# -- the HTTP side ---------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    owner: SendGridServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet: the tests read the recorded requests instead

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        owner = self.owner
        path = self.path.split("?", 1)[0]
        size = int(self.headers.get("Content-Length") or 0)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "authorization"}
        recorded = Recorded(method, path, headers, size)
        owner._record(recorded)
        if size > owner.max_body:
            self._discard(size)
            self._answer(
                recorded,
                413,
                {"errors": [error(f"The request body may be at most {owner.max_body} bytes.")]},
            )
            return
        body = self.rfile.read(size) if size else b""
        if path == "/v3/mail/send" and method == "POST":
            fault = owner._fault_for_next_mail()
            if fault is not None and self._fault(recorded, fault):
                return
        auth = self.headers.get("Authorization")
        if not auth:
            self._answer(recorded, 401, {"errors": [error("authorization required")]})
            return
        if auth != f"Bearer {owner.api_key}":
            self._answer(
                recorded,
                401,
                {
                    "errors": [
                        error("The provided authorization grant is invalid, expired, or revoked")
                    ]
                },
            )
            return
        if method == "GET" and path.startswith("/v3/suppression/"):
            self._suppression(recorded, path.removeprefix("/v3/suppression/"))
            return
        route = {
            ("POST", "/v3/mail/send"): self._mail_send,
            ("POST", "/v3/mail/batch"): self._new_batch,
            ("POST", "/v3/user/scheduled_sends"): self._scheduled_send,
            ("GET", "/v3/user/scheduled_sends"): self._scheduled_sends,
        }.get((method, path))
        if route is None:
            self._answer(recorded, 404, {"errors": [error("resource not found")]})
            return
        route(recorded, body)

    def _suppression(self, recorded: Recorded, kind: str) -> None:
        """GET /v3/suppression/{bounces,unsubscribes,spam_reports,...}, paged by limit/offset."""
        if kind not in SUPPRESSION_LISTS:
            self._answer(recorded, 404, {"errors": [error("resource not found")]})
            return
        query = parse_qs(self.path.partition("?")[2])
        limit = int((query.get("limit") or ["500"])[0])
        offset = int((query.get("offset") or ["0"])[0])
        if not 1 <= limit <= 500:
            self._answer(recorded, 400, {"errors": [error("limit must be 1 to 500", "limit")]})
            return
        with self.owner._lock:
            rows = list(self.owner.suppressions[kind])
        page = [{"created": 1795000000, "email": e} for e in rows[offset : offset + limit]]
        self._answer(recorded, 200, page)

    def _json(self, recorded: Recorded, body: bytes) -> Any:
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            self._answer(
                recorded, 415, {"errors": [error("Content-Type should be application/json.")]}
            )
            return None
        try:
            return json.loads(body)
        except ValueError:
            self._answer(recorded, 400, {"errors": [error("Bad Request")]})
            return None

    def _mail_send(self, recorded: Recorded, body: bytes) -> None:
        owner = self.owner
        payload = self._json(recorded, body)
        if payload is None:
            return
        del body
        errors = check_mail(payload, owner.now(), list(owner.batches))
        if owner.keep_payloads:
            recorded.payload = payload if errors else summarised(payload)
        if errors:
            recorded.errors = errors
            self._answer(recorded, 400, {"errors": errors})
            return
        addresses = [
            a["email"].lower()
            for one in payload["personalizations"]
            for kind in ("to", "cc", "bcc")
            for a in one.get(kind) or []
        ]
        recorded.recipients = len(addresses)
        recorded.message_id = secrets.token_urlsafe(16)[:22]
        with owner._lock:
            owner.accepted.update(addresses)
        if "send_at" not in payload:  # a scheduled message happens later, if at all
            owner._queue_events(payload, recorded.message_id)
        self._answer(recorded, 202, None, {"X-Message-Id": recorded.message_id})

    def _new_batch(self, recorded: Recorded, body: bytes) -> None:
        batch_id = secrets.token_urlsafe(32)
        with self.owner._lock:
            self.owner.batches[batch_id] = None
        self._answer(recorded, 201, {"batch_id": batch_id})

    def _scheduled_send(self, recorded: Recorded, body: bytes) -> None:
        payload = self._json(recorded, body)
        if payload is None:
            return
        recorded.payload = payload
        batch_id = payload.get("batch_id") if isinstance(payload, dict) else None
        status = payload.get("status") if isinstance(payload, dict) else None
        if batch_id not in self.owner.batches:
            self._answer(recorded, 400, {"errors": [error("batch id is invalid", "batch_id")]})
        elif status not in ("cancel", "pause"):
            self._answer(
                recorded,
                400,
                {"errors": [error("status must be either cancel or pause", "status")]},
            )
        else:
            with self.owner._lock:
                self.owner.batches[batch_id] = status
            self._answer(recorded, 201, {"batch_id": batch_id, "status": status})

    def _scheduled_sends(self, recorded: Recorded, body: bytes) -> None:
        with self.owner._lock:
            listed = [{"batch_id": b, "status": s} for b, s in self.owner.batches.items() if s]
        self._answer(recorded, 200, listed)

    def _fault(self, recorded: Recorded, fault: Fault) -> bool:
        """Answer with *fault*; False when it is not one that replaces the answer."""
        if fault.kind == "429":
            reset = int(-(-(time.time() + fault.reset_in) // 1))  # rounded up
            self._answer(
                recorded,
                429,
                {"errors": [error("too many requests")]},
                {"X-RateLimit-Reset": str(reset)},
            )
        elif fault.kind in ("500", "503"):
            self._answer(recorded, int(fault.kind), {"errors": [error("internal error")]})
        elif fault.kind == "hang":
            recorded.status = "hang"
            self.owner._stopping.wait(fault.seconds)
            self.close_connection = True
        elif fault.kind == "drop":
            recorded.status = "drop"
            self.close_connection = True
        else:
            return False
        return True

    def _discard(self, size: int) -> None:
        while size > 0:
            chunk = self.rfile.read(min(size, 1 << 20))
            if not chunk:
                break
            size -= len(chunk)

    def _answer(
        self, recorded: Recorded, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        recorded.status = status
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-RateLimit-Limit", "600")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

"""SendGrid's event JSON -> :class:`Event`: one shape for every kind, unknown kinds kept.

SendGrid posts a JSON array of objects; ``pressroom events import`` also reads
one object per line (what SendGrid's activity exports and many log shippers
write). The ``custom_args`` pressroom sets on every message
(:mod:`pressroom.deliver.sendgrid_body`) come back at the top level of each
event: ``pressroom_release``, ``pressroom_version`` and ``rcpt`` (the opaque
recipient id). ``sg_message_id`` starts with the ``X-Message-Id`` SendGrid
answered the request with, which the send log keeps per batch.

An object that cannot be an event (no address, no time) is set aside with
the reason, never crashed on; a kind pressroom does not know is kept as it
came (:attr:`Event.raw`). The reader's IP address and user agent, which
SendGrid adds to opens and clicks, are personal data pressroom has no use
for: they are never stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from pressroom.errors import PressroomError
from pressroom.sendlog.records import Event

KINDS = (
    "processed",
    "delivered",
    "deferred",
    "bounce",
    "blocked",
    "dropped",
    "open",
    "click",
    "spamreport",
    "unsubscribe",
    "group_unsubscribe",
    "group_resubscribe",
)
"""The kinds pressroom reads; ``bounce`` is a hard bounce, ``blocked`` (SendGrid's bounce of
``type: blocked``) a soft one. Any other kind is stored as SendGrid named it."""

RELEASE_ARG = "pressroom_release"
VERSION_ARG = "pressroom_version"
RECIPIENT_ARG = "rcpt"
TEST_ARG = "pressroom_test"
"""Set (``yes``) on a proof (``send --test``): its events are the writer's, not a journalist's."""
TEST_CATEGORY = "pressroom-test"

MAX_TEXT = 2000
"""Longest URL or reason kept (characters): enough for any real one, bounded for the log."""


@dataclass(frozen=True)
class SetAside:
    """An object that could not be read as an event: where it was, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


MAX_DEPTH = 16
"""How deeply an event may nest arrays and objects; SendGrid's are flat (two levels)."""


class NotEvents(PressroomError, ValueError):
    """A post or file that is not SendGrid's JSON at all (the receiver answers 400)."""


def parse_post(body: bytes) -> tuple[list[Event], list[SetAside]]:
    """Events from one of SendGrid's posts: a JSON array of objects (or one object).

    :class:`NotEvents` if the body is not UTF-8 JSON (nesting too deep to parse
    included) or not an array or object; an event nested deeper than
    :data:`MAX_DEPTH` is set aside.
    """
    try:
        data = _loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise NotEvents("not UTF-8") from None
    except ValueError as error:
        raise NotEvents(f"not JSON ({error})") from None
    if not isinstance(data, list | dict):
        raise NotEvents("not a JSON array of events")
    items = data if isinstance(data, list) else [data]
    return _collect((f"event {i + 1}", item) for i, item in enumerate(items))


def parse_body(body: bytes | str) -> tuple[list[Event], list[SetAside]]:
    """Events from a JSON array (SendGrid's posts), one object, or one object per line;
    :class:`NotEvents` if the bytes are not UTF-8."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise NotEvents("not UTF-8") from None
    try:
        data = _loads(text)
    except ValueError:
        return _lines(text)
    items = data if isinstance(data, list) else [data]
    return _collect((f"event {i + 1}", item) for i, item in enumerate(items))


def _loads(text: str) -> object:
    """JSON, with nesting deep enough to exhaust the parser's stack as a ValueError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels") from None


def _lines(text: str) -> tuple[list[Event], list[SetAside]]:
    def items() -> Iterator[tuple[str, object]]:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield f"line {number}", _loads(line)
            except ValueError as error:
                yield f"line {number}", _NotJson(str(error))

    return _collect(items())


class _NotJson:
    def __init__(self, why: str):
        self.why = why


def _collect(items: Iterator[tuple[str, object]]) -> tuple[list[Event], list[SetAside]]:
    events: list[Event] = []
    aside: list[SetAside] = []
    for where, item in items:
        if isinstance(item, _NotJson):
            aside.append(SetAside(where, f"not JSON ({item.why})"))
            continue
        try:
            events.append(event(item))
        except ValueError as error:
            aside.append(SetAside(where, str(error)))
    return events, aside


def event(item: object) -> Event:
    """One SendGrid event object as an :class:`Event`; ValueError says why it is none."""
    if not isinstance(item, dict):
        raise ValueError("not a JSON object")
    if _too_deep(item):
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
    email = item.get("email")
    if not isinstance(email, str) or "@" not in email or len(email) > 320:
        raise ValueError("no email address")
    name = item.get("event")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{email}: no event kind")
    at = _time(item.get("timestamp"))
    if at is None:
        raise ValueError(f"{email}: no valid timestamp")
    kind = name.strip().lower()[:64]
    if kind == "bounce" and str(item.get("type", "")).lower() == "blocked":
        kind = "blocked"
    event_id = (
        _text(item.get("sg_event_id"), 200)
        or "sha256:" + hashlib.sha256(_CANONICAL.encode(item).encode()).hexdigest()
    )
    raw = "" if kind in KINDS else _COMPACT.encode(_kept(item))
    message = _text(item.get("sg_message_id"), 500)
    categories = item.get("category")
    proof = item.get(TEST_ARG) == "yes" or TEST_CATEGORY in (
        categories if isinstance(categories, list) else [categories]
    )
    return Event(
        event_id=event_id,
        kind=kind,
        email=email.strip(),
        at=at,
        release=None if proof else _text(item.get(RELEASE_ARG), 500),
        version=None if proof else _text(item.get(VERSION_ARG), 200),
        proof=proof,
        recipient_id=_text(item.get(RECIPIENT_ARG), 100),
        message_id=message.split(".", 1)[0] if message else None,
        url=_text(item.get("url"), MAX_TEXT) if kind == "click" else None,
        reason=_text(item.get("reason") or item.get("response"), MAX_TEXT),
        machine_open=kind == "open" and item.get("sg_machine_open") in (True, "true", 1),
        raw=raw,
    )


NOT_KEPT = frozenset({"ip", "useragent"})
"""Personal data in events that pressroom has no use for: the reader's IP address and
browser are never stored."""

_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_CANONICAL = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, sort_keys=True)
"""An event without ``sg_event_id`` is known by the hash of its canonical JSON."""


def _too_deep(item: object, limit: int = MAX_DEPTH) -> bool:
    """Whether *item* nests arrays and objects deeper than *limit* (no recursion)."""
    level: list[object] = [item] if isinstance(item, dict | list) else []
    for _ in range(limit):
        level = [
            child
            for value in level
            for child in (value.values() if isinstance(value, dict) else value)  # type: ignore[attr-defined]
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return True


def _kept(item: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in item.items() if k not in NOT_KEPT}


def _text(value: object, limit: int) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        if isinstance(value, dict | list):
            return None
        value = str(value)
    text = value.strip()
    return text[:limit] or None


def _time(value: object) -> datetime | None:
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value)  # type: ignore[arg-type]
        return datetime.fromtimestamp(seconds, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None

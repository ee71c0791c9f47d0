"""Forgetting a person (GDPR article 17) in the send log, without losing what it guarantees.

``pressroom contacts forget ADDRESS`` asks the log to replace the address
everywhere it keeps it (deliveries, their names, events, suppressions) with a
*pseudonym*: ``forgotten:`` and an HMAC-SHA256 of
the lower-cased address under a random key the log keeps (made on the first
forget). The rows stay, so counts and reports stay right; the address is
gone. The person is suppressed under their pseudonym, so that if their
address turns up again in a list, the plan recognises it (it hashes each
recipient with the same key) and never mails them. Of their events' raw JSON
only fields that cannot name them stay (:data:`KEPT_OF_FORGOTTEN`), of the
links they followed only the page (no query), and SendGrid's words about their
mailbox go. The pseudonym is kept in ``forgotten``: an event that arrives
later about the address (a late open, a bounce, SendGrid's retry) is stored
under the pseudonym, the same way (:func:`forgotten_event`), never under the
address. On SQLite what is replaced is overwritten on disk (``secure_delete``)
and the journal emptied.

The key lives in the log itself, so whoever can read the whole log can still
test a guessed address against a pseudonym: this is pseudonymisation, which
keeps the suppression working; the address itself is not kept anywhere.

The methods are part of :class:`~pressroom.sendlog.SendLog` on both backends.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

from pressroom.sendlog.keyed import rows_in
from pressroom.sendlog.records import Event, stamp

if TYPE_CHECKING:
    from pressroom.sendlog.store import Connection

PREFIX = "forgotten:"


@dataclass(frozen=True)
class Forgotten:
    """How many rows of each kind now hold a pseudonym instead of the address."""

    pseudonym: str
    deliveries: int
    events: int
    suppressed: bool


class Forgetting:
    """The forgetting half of the send log (mixed into :class:`~pressroom.sendlog.SendLog`)."""

    db: Connection

    def forget(self, email: str) -> Forgotten:
        """Replace *email* with its pseudonym everywhere in the log, and keep it suppressed."""
        key = email.strip().lower()
        if self.db.dialect == "sqlite":  # what is replaced is overwritten, not left in free pages
            self.db.execute("PRAGMA secure_delete=ON")
        with self.db.transaction():
            pseudonym = _pseudonym(self._forget_key(create=True) or b"", key)
            deliveries = self.db.execute(
                "UPDATE deliveries SET email_key=?, email=?, name=NULL, first_name=NULL, "
                "reason=NULL WHERE email_key=?",
                (pseudonym, pseudonym, key),
            ).rowcount
            events = 0
            if self.db.has_table("events"):
                for event_id, raw, url in self.db.execute(
                    "SELECT event_id, raw, url FROM events WHERE email_key=?", (key,)
                ).fetchall():
                    self.db.execute(
                        "UPDATE events SET email_key=?, email=?, raw=?, url=?, reason=NULL "
                        "WHERE event_id=?",
                        (pseudonym, pseudonym, forgotten_raw(raw),
                         forgotten_url(url, email, pseudonym), event_id),
                    )  # fmt: skip
                    events += 1
            row = self.db.execute(
                "SELECT reason, at FROM suppressions WHERE email_key=?", (key,)
            ).fetchone()
            reason, at = (row[0], row[1]) if row else ("manual", stamp())
            self.db.execute("DELETE FROM suppressions WHERE email_key=?", (key,))
            self.db.execute(
                "INSERT INTO suppressions (email_key, email, reason, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (email_key) DO NOTHING",
                (pseudonym, pseudonym, reason, at),
            )
            if self.db.has_table("forgotten"):
                self.db.execute(
                    "INSERT INTO forgotten (pseudonym, at) VALUES (?, ?) "
                    "ON CONFLICT (pseudonym) DO NOTHING",
                    (pseudonym, stamp()),
                )
        if self.db.dialect == "sqlite":  # and the journal holds no older copy of a page
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return Forgotten(pseudonym, deliveries, events, row is not None)

    def pseudonymiser(self) -> Callable[[str], str] | None:
        """The function that turns an address key into its pseudonym; None if nobody was
        ever forgotten (then there is nothing to compare)."""
        secret = self._forget_key(create=False)
        if secret is None:
            return None
        return lambda key: _pseudonym(secret, key)

    def forgotten_among(self, keys: Iterable[str]) -> dict[str, str]:
        """Of the address *keys*, those of people forgotten, with their pseudonyms."""
        pseudonym = self.pseudonymiser()
        if pseudonym is None:
            return {}
        named = {pseudonym(key): key for key in set(keys)}
        query = (  # a log older than the table (read, not upgraded): their suppressions
            "SELECT pseudonym FROM forgotten WHERE pseudonym IN ({})"
            if self.db.has_table("forgotten")
            else "SELECT email_key FROM suppressions WHERE email_key IN ({})"
        )
        return {named[p]: p for (p,) in rows_in(self.db, query, (), sorted(named))}

    def _forget_key(self, *, create: bool) -> bytes | None:
        if not self.db.has_table("log_keys"):
            return None
        if create:
            self.db.execute(
                "INSERT INTO log_keys (name, value) VALUES ('forget', ?) "
                "ON CONFLICT (name) DO NOTHING",
                (secrets.token_hex(32),),
            )
        row = self.db.execute("SELECT value FROM log_keys WHERE name='forget'").fetchone()
        return bytes.fromhex(row[0]) if row else None


def _pseudonym(secret: bytes, key: str) -> str:
    return PREFIX + hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


KEPT_OF_FORGOTTEN = frozenset(
    {"event", "timestamp", "sg_event_id", "sg_message_id", "type", "bounce_classification",
     "asm_group_id", "sg_machine_open", "pressroom_release", "pressroom_version"}
)  # fmt: skip
"""The fields of a forgotten person's raw event that stay: none can name them (their
address, their name in a newsletter's fields, SendGrid's words about their mailbox go)."""


def forgotten_raw(raw: str) -> str:
    """A forgotten person's raw event JSON with only :data:`KEPT_OF_FORGOTTEN`."""
    if not raw:
        return raw
    try:
        item = json.loads(raw)
    except ValueError:
        return ""
    if not isinstance(item, dict):
        return ""
    kept = {
        k: v for k, v in item.items() if k in KEPT_OF_FORGOTTEN and not isinstance(v, dict | list)
    }
    return json.dumps(kept, separators=(",", ":"), ensure_ascii=False)


def forgotten_url(url: str | None, email: str, pseudonym: str) -> str | None:
    """A link a forgotten person followed, without its query and fragment (where
    newsletters put names and addresses), and without their address."""
    if url is None:
        return None
    parts = urlsplit(url)
    return _without(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), email, pseudonym)


def forgotten_event(event: Event, pseudonym: str) -> Event:
    """A late *event* about a forgotten person, as the log keeps it: under *pseudonym*."""
    return replace(
        event,
        email=pseudonym,
        url=forgotten_url(event.url, event.email, pseudonym),
        reason=None,
        raw=forgotten_raw(event.raw),
    )


def _without(text: str | None, email: str, pseudonym: str) -> str | None:
    """*text* with every spelling of *email* (any case, URL-encoded) replaced."""
    if text is None:
        return None
    for form in {email.strip(), quote(email.strip(), safe=""), quote(email.strip())}:
        text = re.sub(re.escape(form), pseudonym, text, flags=re.IGNORECASE)
    return text

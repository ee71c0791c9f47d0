"""Forgetting a person (GDPR article 17) in the send log, without losing what it guarantees.

``pressroom contacts forget ADDRESS`` asks the log to replace the address
everywhere it keeps it (deliveries, their names, events and their raw
JSON, suppressions) with a *pseudonym*: ``forgotten:`` and an HMAC-SHA256 of
the lower-cased address under a random key the log keeps (made on the first
forget). The rows stay, so counts and reports stay right; the address is
gone. The person is suppressed under their pseudonym, so that if their
address turns up again in a list, the plan recognises it (it hashes each
recipient with the same key) and never mails them.

The key lives in the log itself, so whoever can read the whole log can still
test a guessed address against a pseudonym: this is pseudonymisation, which
keeps the suppression working; the address itself is not kept anywhere.

The methods are part of :class:`~pressroom.sendlog.SendLog` on both backends.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pressroom.sendlog.records import stamp

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
                        (pseudonym, pseudonym, _without(raw, email, pseudonym),
                         _without(url, email, pseudonym), event_id),
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
        return Forgotten(pseudonym, deliveries, events, row is not None)

    def pseudonymiser(self) -> Callable[[str], str] | None:
        """The function that turns an address key into its pseudonym; None if nobody was
        ever forgotten (then there is nothing to compare)."""
        secret = self._forget_key(create=False)
        if secret is None:
            return None
        return lambda key: _pseudonym(secret, key)

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


def _without(text: str | None, email: str, pseudonym: str) -> str | None:
    """*text* with every spelling of *email* (any case, URL-encoded) replaced."""
    if text is None:
        return None
    import re
    from urllib.parse import quote

    for form in {email.strip(), quote(email.strip(), safe=""), quote(email.strip())}:
        text = re.sub(re.escape(form), pseudonym, text, flags=re.IGNORECASE)
    return text

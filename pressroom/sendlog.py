"""The send log: who was sent which version of a release, and what became of it.

A SQLite database in the room (``.pressroom/pressroom.db``) keeps one row per
release, version and address. ``version`` is the caller's hash of the exact
artefacts sent, so an edited release is a new version. A delivery moves through

    planned -> in_flight -> accepted | failed | unknown

and may be ``suppressed`` (never planned) or ``skipped`` (an unknown outcome the
user marked done with ``--skip-unknown``). Every change is its own transaction,
committed (WAL, ``synchronous=FULL``) before the caller acts on it: rows become
``in_flight`` before the request leaves, so after a kill -9 the next
:meth:`SendLog.open` turns them into ``unknown``; they are then neither re-sent
nor dropped until the user says which (``resend_unknown`` / ``skip_unknown``).
Nothing becomes ``accepted`` unless :meth:`SendLog.accept_batch` says so.

Only one process may send from a room at a time: a writing :class:`SendLog`
holds an exclusive SQLite lock on ``pressroom.db.lock`` until closed. The
operating system drops that lock when the process dies, so it can never go
stale. ``SendLog.open(path, read_only=True)`` (for ``pressroom log``) takes no
lock and may read while a send is running. No secret is ever stored.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from pressroom import csvsafe
from pressroom.clock import now
from pressroom.errors import SendLogError, UsageError
from pressroom.model.contacts import Recipient

SCHEMA_VERSION = 2
APPLICATION_ID = 0x50524553  # "PRES": marks the file as a pressroom send log
DONE = ("accepted", "skipped")
"""States that count as received: never planned again for that version."""
SENDABLE = ("planned", "failed", "unknown")
"""States :meth:`SendLog.start_batch` accepts (``unknown`` only via ``resend_unknown``)."""
SuppressionReason = Literal["unsubscribe", "bounce", "manual"]
CSV_COLUMNS = ("email", "lists", "state", "message_id", "at", "version", "reason", "batch_id")

SCHEMA = """
CREATE TABLE versions (
    release TEXT NOT NULL, version TEXT NOT NULL, subject TEXT NOT NULL,
    artefacts_json TEXT NOT NULL, first_planned_at TEXT NOT NULL,
    PRIMARY KEY (release, version));
CREATE TABLE batches (
    batch_id INTEGER PRIMARY KEY AUTOINCREMENT, release TEXT NOT NULL, version TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_flight', 'accepted', 'failed', 'unknown')),
    size INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
    message_id TEXT, reason TEXT);
CREATE TABLE deliveries (
    release TEXT NOT NULL, version TEXT NOT NULL, email_key TEXT NOT NULL,
    email TEXT NOT NULL, list_names TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN
        ('planned', 'in_flight', 'accepted', 'failed', 'suppressed', 'unknown', 'skipped')),
    batch_id INTEGER REFERENCES batches, message_id TEXT, reason TEXT, updated_at TEXT NOT NULL,
    PRIMARY KEY (release, version, email_key));
CREATE INDEX deliveries_batch ON deliveries (batch_id);
CREATE TABLE suppressions (
    email_key TEXT PRIMARY KEY, email TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('unsubscribe', 'bounce', 'manual')), at TEXT NOT NULL);
"""

MIGRATIONS = {
    # 1 -> 2: scheduled sends (`send --at`, `send --cancel`)
    2: """
ALTER TABLE batches ADD COLUMN schedule_id TEXT;
CREATE TABLE schedules (
    schedule_id TEXT PRIMARY KEY, release TEXT NOT NULL, version TEXT NOT NULL,
    send_at TEXT NOT NULL, transport TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('scheduled', 'cancelled')), created_at TEXT NOT NULL);
""",
}


@dataclass(frozen=True)
class Delivery:
    """One row of the log: what happened to one address for one version."""

    email: str
    lists: list[str]
    state: str
    version: str
    message_id: str | None
    at: str
    reason: str | None
    batch_id: int | None

    @property
    def key(self) -> str:
        return self.email.lower()


@dataclass
class Plan:
    """Who to send to now, and why everyone else is left out."""

    release: str
    version: str
    to_send: list[Recipient] = field(default_factory=list)
    already_sent: list[Recipient] = field(default_factory=list)
    suppressed: list[Recipient] = field(default_factory=list)
    unknown: list[Recipient] = field(default_factory=list)
    """Outcome unknown from an earlier run: always listed here, whatever was decided."""
    unknown_action: Literal["held", "resend", "skip"] = "held"
    earlier: list[Recipient] = field(default_factory=list)
    """Received an earlier version of the release: left out unless sending a correction."""


@dataclass(frozen=True)
class VersionSummary:
    version: str
    subject: str
    artefacts: dict[str, str]
    first_planned_at: str
    accepted: int


@dataclass(frozen=True)
class Schedule:
    """A send held by the provider until *send_at* (``send --at``)."""

    schedule_id: str
    version: str
    send_at: str
    transport: str
    state: str  # scheduled | cancelled
    accepted: int


class SendLog:
    """The send log of one room. Use :meth:`open`; close it (or use ``with``)."""

    def __init__(self, path: Path, db: sqlite3.Connection, lock: sqlite3.Connection | None):
        self.path, self._db, self._lock = path, db, lock

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> SendLog:
        """Open (creating if needed) the log at *path*.

        Unless *read_only*, take the room's send lock and turn rows left
        ``in_flight`` by a process that died into ``unknown``.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = None if read_only else _take_lock(path)
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=10)
        except sqlite3.Error as error:
            _release(lock)
            raise SendLogError(f"{path}: cannot open the send log: {error}") from None
        log = cls(path, db, lock)
        try:
            log._prepare(read_only)
        except BaseException:
            log.close()
            raise
        return log

    def _prepare(self, read_only: bool) -> None:
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError:
            raise SendLogError(
                f"{self.path}: not a pressroom send log (not an SQLite database); "
                "move it away and pressroom will start a new one"
            ) from None
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        with self._transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            app = self._db.execute("PRAGMA application_id").fetchone()[0]
            tables = self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            fresh = app == 0 and version == 0 and tables == 0
            if fresh:
                self._script(SCHEMA)
                self._db.execute(f"PRAGMA application_id={APPLICATION_ID}")
                version = 1
            elif app != APPLICATION_ID:
                raise SendLogError(
                    f"{self.path}: not a pressroom send log (an SQLite database of "
                    "another program); move it away and pressroom will start a new one"
                )
            elif version > SCHEMA_VERSION:
                raise SendLogError(
                    f"{self.path}: written by a newer pressroom (send log schema {version}, "
                    f"this pressroom reads up to {SCHEMA_VERSION}); upgrade pressroom"
                )
            if version < SCHEMA_VERSION and (fresh or not read_only):
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    self._script(MIGRATIONS[step])
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            if not read_only:  # we hold the lock: whoever left rows in flight is dead
                died = ("the sending process stopped while this batch was in flight", _stamp())
                for table, stamp in (("batches", "finished_at"), ("deliveries", "updated_at")):
                    self._db.execute(
                        f"UPDATE {table} SET state='unknown', reason=?, {stamp}=? "
                        "WHERE state='in_flight'",
                        died,
                    )
        if read_only:
            self._db.execute("PRAGMA query_only=ON")

    def _script(self, script: str) -> None:
        for statement in script.split(";"):
            if statement.strip():
                self._db.execute(statement)

    def close(self) -> None:
        self._db.close()
        _release(self._lock)
        self._lock = None

    def __enter__(self) -> SendLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def plan(
        self,
        release: str,
        version: str,
        recipients: Iterable[Recipient],
        *,
        subject: str = "",
        artefacts: Mapping[str, str] | None = None,
        resend_unknown: bool = False,
        skip_unknown: bool = False,
        dry_run: bool = False,
        correction: bool = False,
        also_suppressed: Mapping[str, str] | None = None,
    ) -> Plan:
        """Sort *recipients* for this *version*: to send, already sent, suppressed, unknown.

        Whoever received an earlier version of the release is left out
        (:attr:`Plan.earlier`): nobody gets the same release twice unless
        *correction* says the new version is meant for them. Records the plan
        (``planned`` and ``suppressed`` rows, the version's *subject* and
        *artefacts* hashes) unless *dry_run*. *also_suppressed* adds
        suppressions kept elsewhere (the real log's, for an outbox rehearsal). ``skip_unknown``
        marks unknown outcomes ``skipped`` (done, counted as received).
        """
        if resend_unknown and skip_unknown:
            raise UsageError("choose either --resend-unknown or --skip-unknown, not both")
        plan = Plan(release, version)
        plan.unknown_action = "resend" if resend_unknown else "skip" if skip_unknown else "held"
        states = dict(
            self._db.execute(
                "SELECT email_key, state FROM deliveries WHERE release=? AND version=?",
                (release, version),
            ).fetchall()
        )
        suppressed = {**(also_suppressed or {}), **self.suppressions()}
        earlier = {
            key
            for (key,) in self._db.execute(
                "SELECT email_key FROM deliveries WHERE release=? AND version!=? "
                f"AND state IN {DONE}",
                (release, version),
            )
        }
        seen: set[str] = set()
        for recipient in recipients:
            if recipient.key in seen:
                continue
            seen.add(recipient.key)
            state = states.get(recipient.key)
            if state in DONE:
                plan.already_sent.append(recipient)
            elif recipient.key in suppressed:
                plan.suppressed.append(recipient)
            elif recipient.key in earlier and not correction:
                plan.earlier.append(recipient)
            elif state in ("unknown", "in_flight"):
                plan.unknown.append(recipient)
                if resend_unknown:
                    plan.to_send.append(recipient)
            else:
                plan.to_send.append(recipient)
        if dry_run:
            return plan
        at = _stamp()
        upsert = (
            "INSERT INTO deliveries (release, version, email_key, email, list_names, state, "
            "reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO UPDATE SET email=excluded.email, list_names=excluded.list_names, "
            "state=excluded.state, reason=excluded.reason, updated_at=excluded.updated_at, "
            "batch_id=NULL, message_id=NULL"
        )

        def row(r: Recipient, state: str, reason: str | None) -> tuple[object, ...]:
            return (release, version, r.key, r.email, json.dumps(r.lists), state, reason, at)

        with self._transaction():
            self._db.execute(
                "INSERT OR IGNORE INTO versions VALUES (?, ?, ?, ?, ?)",
                (release, version, subject, json.dumps(dict(artefacts or {})), at),
            )
            self._db.execute(
                "DELETE FROM deliveries WHERE release=? AND version=? AND state='planned'",
                (release, version),
            )
            # an unknown outcome stays on record until its batch starts or is skipped
            held = ("unknown", "in_flight")
            fresh = [r for r in plan.to_send + plan.suppressed if states.get(r.key) not in held]
            self._db.executemany(
                upsert,
                [
                    row(
                        r, "suppressed" if r.key in suppressed else "planned", suppressed.get(r.key)
                    )
                    for r in fresh
                ],
            )
            if skip_unknown:
                self._db.executemany(
                    upsert,
                    [row(r, "skipped", "outcome unknown; marked done") for r in plan.unknown],
                )
        return plan

    def start_batch(
        self, release: str, version: str, keys: Iterable[str], schedule_id: str | None = None
    ) -> int:
        """Mark *keys* ``in_flight`` in a new batch, committed before the request is made.

        Refuses (changing nothing) any key that is not planned, failed or unknown
        for this version, so nobody already accepted can be sent twice.
        """
        keys = list(dict.fromkeys(keys))
        at = _stamp()
        with self._transaction():
            cursor = self._db.execute(
                "INSERT INTO batches (release, version, state, size, started_at, schedule_id) "
                "VALUES (?, ?, 'in_flight', ?, ?, ?)",
                (release, version, len(keys), at, schedule_id),
            )
            batch_id = int(cursor.lastrowid or 0)
            cursor = self._db.executemany(
                "UPDATE deliveries SET state='in_flight', batch_id=?, message_id=NULL, "
                "reason=NULL, updated_at=? WHERE release=? AND version=? AND email_key=? "
                f"AND state IN {SENDABLE}",
                [(batch_id, at, release, version, key) for key in keys],
            )
            if cursor.rowcount != len(keys):
                claimed = {
                    k
                    for (k,) in self._db.execute(
                        "SELECT email_key FROM deliveries WHERE batch_id=?", (batch_id,)
                    )
                }
                refused = [k for k in keys if k not in claimed]
                raise SendLogError(
                    f"{release} ({version}): not planned for sending, or already sent or "
                    f"in flight: {', '.join(refused[:5])}"
                    + (f" and {len(refused) - 5} more" if len(refused) > 5 else "")
                )
        return batch_id

    def accept_batch(self, batch_id: int, message_ids: str | Mapping[str, str]) -> None:
        """The provider accepted the batch: one message id for all, or one per address key.

        SendGrid answers one ``X-Message-Id`` per request; the outbox and SMTP
        make one Message-ID per message.
        """
        if isinstance(message_ids, str):
            self._finish(batch_id, "accepted", message_ids, None)
            return
        ids = dict(message_ids)
        common = next(iter(ids.values()), None) if len(set(ids.values())) == 1 else None
        at = _stamp()
        with self._transaction():
            self._finish_in(batch_id, "accepted", common, None, at)
            self._db.executemany(
                "UPDATE deliveries SET message_id=? WHERE batch_id=? AND email_key=?",
                [(message_id, batch_id, key) for key, message_id in ids.items()],
            )

    def fail_batch(self, batch_id: int, reason: str) -> None:
        """The batch was definitely not sent; its recipients are planned again next run."""
        self._finish(batch_id, "failed", None, reason)

    def unknown_batch(self, batch_id: int, reason: str) -> None:
        """The request may have left (timeout, connection dropped): outcome unknown."""
        self._finish(batch_id, "unknown", None, reason)

    def _finish(
        self, batch_id: int, state: str, message_id: str | None, reason: str | None
    ) -> None:
        with self._transaction():
            self._finish_in(batch_id, state, message_id, reason, _stamp())

    def _finish_in(
        self, batch_id: int, state: str, message_id: str | None, reason: str | None, at: str
    ) -> None:
        cursor = self._db.execute(
            "UPDATE batches SET state=?, message_id=?, reason=?, finished_at=? "
            "WHERE batch_id=? AND state='in_flight'",
            (state, message_id, reason, at, batch_id),
        )
        if cursor.rowcount != 1:
            raise SendLogError(f"send log: batch {batch_id} is not in flight")
        self._db.execute(
            "UPDATE deliveries SET state=?, message_id=?, reason=?, updated_at=? "
            "WHERE batch_id=? AND state='in_flight'",
            (state, message_id, reason, at, batch_id),
        )

    def add_schedule(
        self, schedule_id: str, release: str, version: str, send_at: str, transport: str
    ) -> None:
        """Remember a scheduled send, so that ``send --cancel`` can find it."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO schedules VALUES (?, ?, ?, ?, ?, 'scheduled', ?)",
                (schedule_id, release, version, send_at, transport, _stamp()),
            )

    def schedules(self, release: str) -> list[Schedule]:
        """The scheduled sends of *release* (newest first), cancelled ones included."""
        if not self._has_table("schedules"):
            return []
        rows = self._db.execute(
            "SELECT s.schedule_id, s.version, s.send_at, s.transport, s.state, "
            "(SELECT count(*) FROM deliveries d JOIN batches b ON d.batch_id=b.batch_id "
            "WHERE b.schedule_id=s.schedule_id AND d.state='accepted') "
            "FROM schedules s WHERE s.release=? ORDER BY s.rowid DESC",
            (release,),
        )
        return [Schedule(*row) for row in rows]

    def cancel_schedule(self, schedule_id: str) -> int:
        """The provider cancelled *schedule_id*: its deliveries become ``failed``.

        They were never delivered, so the next ``send`` plans them again.
        Returns how many deliveries were cancelled.
        """
        at = _stamp()
        reason = "scheduled send cancelled"
        with self._transaction():
            self._db.execute(
                "UPDATE schedules SET state='cancelled' WHERE schedule_id=?", (schedule_id,)
            )
            batches = "SELECT batch_id FROM batches WHERE schedule_id=?"
            cursor = self._db.execute(
                f"UPDATE deliveries SET state='failed', reason=?, updated_at=? "
                f"WHERE batch_id IN ({batches}) AND state IN ('accepted', 'unknown')",
                (reason, at, schedule_id),
            )
            self._db.execute(
                "UPDATE batches SET state='failed', reason=?, finished_at=? "
                "WHERE schedule_id=? AND state IN ('accepted', 'unknown')",
                (reason, at, schedule_id),
            )
        return cursor.rowcount

    def _has_table(self, name: str) -> bool:
        row = self._db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,))
        return row.fetchone() is not None

    def previous_versions(self, release: str) -> list[VersionSummary]:
        """Every version of *release* ever planned, oldest first, with how many accepted it."""
        rows = self._db.execute(
            "SELECT v.version, v.subject, v.artefacts_json, v.first_planned_at, "
            "(SELECT count(*) FROM deliveries d WHERE d.release=v.release "
            "AND d.version=v.version AND d.state='accepted') "
            "FROM versions v WHERE v.release=? ORDER BY v.rowid",
            (release,),
        )
        return [VersionSummary(v, s, json.loads(a), f, n) for v, s, a, f, n in rows]

    def recipients_of(self, release: str, version: str) -> list[Delivery]:
        """Who received *version* (``accepted``, or ``skipped`` as done), for ``--correction``."""
        return [d for d in self._deliveries(release, version) if d.state in DONE]

    def report(self, release: str) -> list[Delivery]:
        """Every row of *release*: version by version (oldest first), then by address."""
        return self._deliveries(release, None)

    def write_csv(self, release: str, file: TextIO, states: Iterable[str] = ()) -> None:
        """Write :meth:`report` as CSV with :data:`CSV_COLUMNS` (lists joined by ``;``),
        spreadsheet-safe (:mod:`pressroom.csvsafe`).

        With *states*, only the rows in one of them.
        """
        wanted = set(states)
        writer = csvsafe.writer(file)
        writer.writerow(CSV_COLUMNS)
        for d in self.report(release):
            if wanted and d.state not in wanted:
                continue
            writer.writerow(
                [d.email, ";".join(d.lists), d.state, d.message_id or "", d.at, d.version]
                + [d.reason or "", "" if d.batch_id is None else d.batch_id]
            )

    def _deliveries(self, release: str, version: str | None) -> list[Delivery]:
        rows = self._db.execute(
            "SELECT d.email, d.list_names, d.state, d.version, d.message_id, d.updated_at, "
            "d.reason, d.batch_id FROM deliveries d LEFT JOIN versions v "
            "ON v.release=d.release AND v.version=d.version "
            "WHERE d.release=? AND (? IS NULL OR d.version=?) ORDER BY v.rowid, d.email_key",
            (release, version, version),
        )
        return [Delivery(e, json.loads(ls), *rest) for e, ls, *rest in rows]

    def suppress(self, email: str, reason: SuppressionReason) -> None:
        """Never plan *email* again (for any release) because of *reason*."""
        if reason not in ("unsubscribe", "bounce", "manual"):
            raise UsageError(f"suppression reason {reason!r}: use unsubscribe, bounce or manual")
        with self._transaction():
            self._db.execute(
                "INSERT INTO suppressions VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE "
                "SET reason=excluded.reason, at=excluded.at",
                (email.strip().lower(), email.strip(), reason, _stamp()),
            )

    def unsuppress(self, email: str) -> bool:
        """Allow *email* again (they asked to be put back); False if it was not suppressed."""
        with self._transaction():
            cursor = self._db.execute(
                "DELETE FROM suppressions WHERE email_key=?", (email.strip().lower(),)
            )
        return cursor.rowcount > 0

    def suppressions(self) -> dict[str, str]:
        """Every suppressed address key, with its reason."""
        return dict(self._db.execute("SELECT email_key, reason FROM suppressions").fetchall())

    def suppression_rows(self) -> list[tuple[str, str, str]]:
        """(address, reason, since) of every suppression, by address."""
        return self._db.execute(
            "SELECT email, reason, at FROM suppressions ORDER BY email_key"
        ).fetchall()

    def is_suppressed(self, email: str) -> bool:
        row = self._db.execute("SELECT 1 FROM suppressions WHERE email_key=?", (email.lower(),))
        return row.fetchone() is not None


def _take_lock(path: Path) -> sqlite3.Connection:
    """Hold an exclusive lock on ``<db>.lock``; the OS releases it if the process dies."""
    lock_path = path.with_name(path.name + ".lock")
    lock = sqlite3.connect(lock_path, isolation_level=None, timeout=0)
    try:
        lock.execute("BEGIN EXCLUSIVE")
    except sqlite3.Error:
        lock.close()
        raise SendLogError(
            f"{path}: another pressroom process is sending from this room; wait for it "
            "to finish (`pressroom log RELEASE` can show its progress meanwhile)"
        ) from None
    return lock


def _release(lock: sqlite3.Connection | None) -> None:
    if lock is not None:
        lock.rollback()
        lock.close()


def _stamp() -> str:
    return now().isoformat(timespec="seconds")

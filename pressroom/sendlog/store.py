"""The send log's logic, written once over a small connection adapter.

:class:`SendLog` speaks SQL that both backends understand (``?`` placeholders;
the PostgreSQL adapter turns them into its own); a backend module
(:mod:`.sqlite`, :mod:`.postgres`) opens the connection, brings the schema up
to date and hands a :class:`Connection` to the store. Every state change is
its own transaction, committed before the caller acts on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from pressroom.errors import UsageError
from pressroom.sendlog.approvals import Approvals
from pressroom.sendlog.batches import Batches
from pressroom.sendlog.feedback import Feedback
from pressroom.sendlog.forget import Forgetting
from pressroom.sendlog.pending import PendingSends
from pressroom.sendlog.planning import Planning
from pressroom.sendlog.records import (
    CANCELLED,
    DONE,
    SUPPRESSION_REASONS,
    Delivery,
    Schedule,
    SuppressionReason,
    VersionSummary,
    stamp,
)
from pressroom.sendlog.scheduled import ScheduledSends

if TYPE_CHECKING:
    from pathlib import Path


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What the store needs of a database connection; one per backend."""

    dialect: str
    lock_rows: str
    """What a ``SELECT`` adds to claim rows other writers may want (PostgreSQL)."""
    row_address: str
    """The column that finds a row without an index, within one statement."""

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> int: ...

    def transaction(self, durable: bool = True) -> AbstractContextManager[None]:
        """Commit on success, roll back on any exception; writers wait for each other.

        Not *durable*: the commit returns before it is flushed to disk (a crash of
        the machine or the server may undo it, never a later durable commit: the
        journal is written in order). For a batch's end: :meth:`.batches.Batches._finish`.
        """
        ...

    def has_table(self, name: str) -> bool: ...

    def analyze(self, table: str) -> None:
        """Refresh the planner's statistics of *table* (after many rows changed)."""
        ...

    def by_key(self) -> AbstractContextManager[None]:
        """While inside, rows are found through their primary key, whatever the
        statistics say (a plan's table grows under it, unanalysed, as it writes)."""
        ...

    def unchecked(self) -> AbstractContextManager[None]:
        """While inside, SQLite leaves the tables' ``CHECK`` constraints unchecked (every
        other constraint holds): for statements whose values are checked before
        (:mod:`.bulk`, a claim's literal ``'in_flight'``). A no-op on PostgreSQL."""
        ...

    def plan_lock(self, release: str) -> None:
        """Within a transaction: wait until no other plan of *release* is being written,
        and keep others waiting until this transaction ends (PostgreSQL; SQLite has
        one writer at a time anyway)."""
        ...

    def copy_rows(self, into: str, rows: Sequence[Sequence[object]]) -> int:
        """Copy *rows* into *into* (``table (columns)``), PostgreSQL's ``COPY``; how many."""
        ...

    def close(self) -> None: ...


class SendLog(Batches, Planning, Feedback, Approvals, PendingSends, Forgetting, ScheduledSends):
    """The send log of one room. Get one from :func:`pressroom.sendlog.open_log`
    (or :meth:`open` for an SQLite file); close it (or use ``with``)."""

    def __init__(self, where: str, db: Connection, on_close: Callable[[], None] | None = None):
        self.where, self.db, self._on_close = where, db, on_close
        """*where* names the log in messages (a path, or a URL without its password)."""
        self.migrated: list[int] = []
        """The schema steps applied when this log was opened."""
        self.sender: int | None = None
        """This writer's claim on its batches (PostgreSQL); None for SQLite and readers."""
        self.dead_senders = ""
        """SQL condition on ``batches`` for claims whose sender is dead ("" = all of them)."""
        self._claimed_to: dict[tuple[str, str, str | None], int] = {}
        """Per (release, version, language), the last row this log claimed: the next
        claim looks on from there, not through every row already claimed."""

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False, events: bool = False) -> SendLog:
        """Open (creating if needed) the SQLite log at *path* (see :mod:`.sqlite`)."""
        from pressroom.sendlog.sqlite import open_sqlite

        return open_sqlite(path, read_only=read_only, events=events)

    def close(self) -> None:
        try:
            if self.sender is not None:  # leave no dead sender's batch in flight behind
                self.recover()
        finally:
            self._close()

    def _close(self) -> None:
        try:
            self.db.close()
        finally:
            if self._on_close is not None:
                self._on_close()
                self._on_close = None

    def __enter__(self) -> SendLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_intact(self) -> None:
        """SendLogError if the log was deleted or replaced since it was opened (SQLite:
        the file's identity); called before every batch. A no-op for PostgreSQL."""
        check = getattr(self.db, "check_intact", None)
        if callable(check):
            check()

    def recover(self) -> int:
        """Mark the in-flight batches of senders known to be dead ``unknown``; how many."""
        with self.db.transaction():
            return self.mark_in_flight_unknown(self.dead_senders)

    def add_schedule(
        self, schedule_id: str, release: str, version: str, send_at: str, transport: str
    ) -> None:
        """Remember a scheduled send, so that ``send --cancel`` can find it."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO schedules (schedule_id, release, version, send_at, transport, state, "
                "created_at) VALUES (?, ?, ?, ?, ?, 'scheduled', ?)",
                (schedule_id, release, version, send_at, transport, stamp()),
            )

    def schedules(self, release: str) -> list[Schedule]:
        """The scheduled sends of *release* (newest first), cancelled ones included."""
        if not self.db.has_table("schedules"):
            return []
        rows = self.db.execute(
            "SELECT s.schedule_id, s.version, s.send_at, s.transport, s.state, "
            "(SELECT count(*) FROM delivery_states d JOIN batches b ON d.batch_id=b.batch_id "
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
        at = stamp()
        reason = CANCELLED
        with self.db.transaction():
            self.db.execute(
                "UPDATE schedules SET state='cancelled' WHERE schedule_id=?", (schedule_id,)
            )
            # an accepted batch's rows are still in flight (see accept_batch)
            batches = (
                "SELECT batch_id FROM batches WHERE schedule_id=? "
                "AND state IN ('accepted', 'unknown')"
            )
            cursor = self.db.execute(
                f"UPDATE deliveries SET state='failed', reason=?, updated_at=? "
                f"WHERE batch_id IN ({batches}) AND state IN ('accepted', 'unknown', 'in_flight')",
                (reason, at, schedule_id),
            )
            self.db.execute(
                "UPDATE batches SET state='failed', reason=?, finished_at=? "
                "WHERE schedule_id=? AND state IN ('accepted', 'unknown')",
                (reason, at, schedule_id),
            )
        return cursor.rowcount

    def previous_versions(self, release: str) -> list[VersionSummary]:
        """Every version of *release* ever planned, oldest first, with how many accepted it."""
        rows = self.db.execute(
            "SELECT v.version, v.subject, v.artefacts_json, v.first_planned_at, "
            "(SELECT count(*) FROM delivery_states d WHERE d.release=v.release "
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
        """:meth:`report` as CSV (see :func:`.export.write_csv`)."""
        from pressroom.sendlog.export import write_csv

        write_csv(self, release, file, states)

    def _deliveries(self, release: str, version: str | None) -> list[Delivery]:
        rows = self.db.execute(
            "SELECT d.email, d.list_names, d.state, d.version, d.message_id, d.updated_at, "
            "d.reason, d.batch_id, d.language FROM delivery_states d LEFT JOIN versions v "
            "ON v.release=d.release AND v.version=d.version "
            "WHERE d.release=? AND (CAST(? AS TEXT) IS NULL OR d.version=?) "
            "ORDER BY v.rowid, d.email_key",
            (release, version, version),
        )
        return self._with_schedules(
            [
                Delivery(e, json.loads(ls), state, v, mid, at, why, batch, language=language)
                for e, ls, state, v, mid, at, why, batch, language in rows
            ]
        )

    def suppress(self, email: str, reason: SuppressionReason) -> tuple[str, str] | None:
        """Never plan *email* again (for any release) because of *reason*; a forgotten
        person's address is never written back: their pseudonym's row changes.

        One rule for every way an address is suppressed (this, SendGrid's events,
        ``contacts suppress --sync``): the first reason recorded is kept, with its
        time, so a manual suppression never hides a bounce or a spam report behind
        it. None when the address is newly suppressed; else the (reason, since) it
        keeps. To record another reason, ``contacts suppress --remove`` it first.
        """
        if reason not in SUPPRESSION_REASONS:
            raise UsageError(f"suppression reason {reason!r}: use unsubscribe, bounce or manual")
        key = email.strip().lower()
        pseudonym = self.forgotten_among([key]).get(key)
        with self.db.transaction():
            cursor = self.db.execute(
                "INSERT INTO suppressions (email_key, email, reason, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (email_key) DO NOTHING",
                (pseudonym or key, pseudonym or email.strip(), reason, stamp()),
            )
            if cursor.rowcount:
                return None
            row = self.db.execute(
                "SELECT reason, at FROM suppressions WHERE email_key=?", (pseudonym or key,)
            ).fetchone()
        return (row[0], row[1])

    def unsuppress(self, email: str) -> bool:
        """Allow *email* again (they asked to be put back); False if it was not suppressed."""
        with self.db.transaction():
            cursor = self.db.execute(
                "DELETE FROM suppressions WHERE email_key=?", (email.strip().lower(),)
            )
        return cursor.rowcount > 0

    def suppressions(self) -> dict[str, str]:
        """Every suppressed address key, with its reason."""
        return dict(self.db.execute("SELECT email_key, reason FROM suppressions").fetchall())

    def suppression_rows(self) -> list[tuple[str, str, str]]:
        """(address, reason, since) of every suppression, by address."""
        return self.db.execute(
            "SELECT email, reason, at FROM suppressions ORDER BY email_key"
        ).fetchall()

    def is_suppressed(self, email: str) -> bool:
        keys = [email.strip().lower()]
        if pseudonym := self.pseudonymiser():
            keys.append(pseudonym(keys[0]))
        row = self.db.execute(
            "SELECT 1 FROM suppressions WHERE email_key IN (?, ?)", (keys[0], keys[-1])
        )
        return row.fetchone() is not None

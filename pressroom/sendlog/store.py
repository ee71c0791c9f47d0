"""The send log's logic, written once over a small connection adapter.

:class:`SendLog` speaks SQL that both backends understand (``?`` placeholders;
the PostgreSQL adapter turns them into its own); a backend module
(:mod:`.sqlite`, :mod:`.postgres`) opens the connection, brings the schema up
to date and hands a :class:`Connection` to the store. Every state change is
its own transaction, committed before the caller acts on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from pressroom.errors import SendLogError, UsageError
from pressroom.model.contacts import Addressee
from pressroom.sendlog.approvals import Approvals
from pressroom.sendlog.feedback import Feedback
from pressroom.sendlog.forget import Forgetting
from pressroom.sendlog.pending import PendingSends
from pressroom.sendlog.planning import Planning
from pressroom.sendlog.records import (
    CANCELLED,
    DONE,
    SENDABLE,
    SUPPRESSION_REASONS,
    Delivery,
    Schedule,
    SuppressionReason,
    VersionSummary,
    stamp,
)

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
        journal is written in order). For the end of a batch: see :meth:`SendLog._finish`.
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

    def close(self) -> None: ...


class SendLog(Planning, Feedback, Approvals, PendingSends, Forgetting):
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
        self._claimed_to: dict[tuple[str, str], int] = {}
        """Per (release, version), the last row this log claimed: the next claim looks
        on from there, not through every row already claimed."""

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

    def mark_in_flight_unknown(self, owners: str = "") -> int:
        """Turn rows left ``in_flight`` by a dead process into ``unknown``; how many batches.

        The backend calls this when it knows their sender is dead: SQLite while
        holding the room's send lock (every in-flight row), PostgreSQL for the
        batches whose claim died with its session (*owners*: an SQL condition
        on ``batches``).
        """
        died = ("the sending process stopped while this batch was in flight", stamp())
        condition = f" AND ({owners})" if owners else ""
        dead = [
            batch_id
            for (batch_id,) in self.db.execute(
                f"UPDATE batches SET state='unknown', reason=?, finished_at=? "
                f"WHERE state='in_flight'{condition} RETURNING batch_id",
                died,
            ).fetchall()
        ]
        for batch_id in dead:
            rows, where = self._rows_of(batch_id)
            self.db.execute(
                "UPDATE deliveries SET state='unknown', reason=?, updated_at=? "
                f"WHERE {rows} AND state='in_flight'",
                (*died, *where),
            )
        self.db.execute(  # rows in flight outside any batch: none written since schema 1
            "UPDATE deliveries SET state='unknown', reason=?, updated_at=? "
            "WHERE batch_id IS NULL AND state='in_flight'",
            died,
        )
        count = len(dead)
        return count

    def start_batch(
        self, release: str, version: str, keys: Iterable[str], schedule_id: str | None = None
    ) -> int:
        """Mark *keys* ``in_flight`` in a new batch, committed before the request is made.

        Refuses (changing nothing) any key that is not planned, failed or unknown
        for this version, so nobody already accepted can be sent twice.
        """
        keys = list(dict.fromkeys(keys))
        at = stamp()
        with self.db.transaction():
            batch_id = self._new_batch(release, version, len(keys), at, schedule_id)
            updated = self.db.executemany(
                "UPDATE deliveries SET state='in_flight', batch_id=?, message_id=NULL, "
                "reason=NULL, updated_at=? WHERE release=? AND version=? AND email_key=? "
                f"AND state IN {SENDABLE}",
                [(batch_id, at, release, version, key) for key in keys],
            )
            if updated != len(keys):
                claimed = {
                    k
                    for (k,) in self.db.execute(
                        "SELECT email_key FROM deliveries WHERE batch_id=?", (batch_id,)
                    )
                }
                refused = [k for k in keys if k not in claimed]
                raise SendLogError(
                    f"{release} ({version}): not planned for sending, or already sent or "
                    f"in flight: {', '.join(refused[:5])}"
                    + (f" and {len(refused) - 5} more" if len(refused) > 5 else "")
                )
            spans = [
                self.db.execute(
                    "SELECT min(rowid), max(rowid) FROM deliveries WHERE release=? AND version=? "
                    f"AND email_key IN ({', '.join('?' * len(part))})",
                    (release, version, *part),
                ).fetchone()
                for part in (keys[i : i + 500] for i in range(0, len(keys), 500))
            ]
            if spans:
                self.db.execute(
                    "UPDATE batches SET first_row=?, last_row=? WHERE batch_id=?",
                    (min(s[0] for s in spans), max(s[1] for s in spans), batch_id),
                )
        return batch_id

    def claim_batch(
        self, release: str, version: str, size: int, schedule_id: str | None = None
    ) -> tuple[int, list[Addressee]] | None:
        """Claim up to *size* planned rows of *version* in a new batch, ``in_flight``.

        Committed before the request is made. Rows another sender holds are
        skipped (PostgreSQL: ``FOR UPDATE SKIP LOCKED``), so concurrent senders
        never claim the same row; an address suppressed since the plan is left
        out. The recipients carry what the message needs (address, names,
        lists: :class:`~pressroom.model.contacts.Addressee`). None when nothing planned is left.
        """
        at = stamp()
        after = self._claimed_to.get((release, version), 0)
        claimed = self._claim(release, version, size, schedule_id, at, after)
        if claimed is None and after:  # rows planned again behind (a batch that failed)
            claimed = self._claim(release, version, size, schedule_id, at, 0)
        if claimed is None:
            return None
        batch_id, last, rows = claimed
        self._claimed_to[(release, version)] = last
        return batch_id, _recipients(rows)

    def _claim(
        self,
        release: str,
        version: str,
        size: int,
        schedule_id: str | None,
        at: str,
        after: int,
    ) -> tuple[int, int, list[Any]] | None:
        """Claim the first *size* planned rows after row *after*: the batch, its last
        row, and the rows (email, name, first_name, list_names); None if none is left."""
        with self.db.by_key(), self.db.transaction():
            batch_id = self._new_batch(release, version, 0, at, schedule_id)
            # one statement: choose the rows in plan order (locking them and skipping
            # those another sender holds), then update them by their physical address
            # (SQLite's rowid, PostgreSQL's ctid, stable while the row is locked)
            address = self.db.row_address
            rows = self.db.execute(
                f"WITH picked AS (SELECT {address} AS address FROM deliveries "
                "WHERE release=? AND version=? AND rowid>? AND state='planned' "
                "AND batch_id IS NULL AND email_key NOT IN (SELECT email_key FROM suppressions) "
                f"ORDER BY rowid LIMIT ?{self.db.lock_rows}) "
                "UPDATE deliveries SET state='in_flight', batch_id=?, message_id=NULL, "
                f"reason=NULL, updated_at=? FROM picked WHERE deliveries.{address}=picked.address "
                "RETURNING rowid, email, name, first_name, list_names",
                (release, version, after, size, batch_id, at),
            ).fetchall()
            if not rows:
                self.db.execute("DELETE FROM batches WHERE batch_id=?", (batch_id,))
                return None
            first, last = min(row[0] for row in rows), max(row[0] for row in rows)
            self.db.execute(
                "UPDATE batches SET size=?, first_row=?, last_row=? WHERE batch_id=?",
                (len(rows), first, last, batch_id),
            )
        return batch_id, last, [row[1:] for row in rows]

    def batch_recipients(self, batch_id: int) -> list[Addressee]:
        """The recipients of batch *batch_id*, as :meth:`claim_batch` gives them."""
        rows, where = self._rows_of(batch_id)
        found = self.db.execute(
            f"SELECT email, name, first_name, list_names FROM deliveries WHERE {rows} "
            "ORDER BY email_key",
            where,
        ).fetchall()
        return _recipients(found)

    def _rows_of(self, batch_id: int) -> tuple[str, tuple[object, ...]]:
        """A condition on ``deliveries`` for the rows of batch *batch_id*, and its values:
        through the batch's span of rows (PostgreSQL has no index on the batch; a claim
        that wrote one could not leave each row on its page), or, for a batch written
        before batches had spans, through the batch alone."""
        span = self.db.execute(
            "SELECT release, version, first_row, last_row FROM batches WHERE batch_id=?",
            (batch_id,),
        ).fetchone()
        if span is None or span[2] is None:
            return "batch_id=?", (batch_id,)
        return "release=? AND version=? AND rowid BETWEEN ? AND ? AND batch_id=?", (
            *span,
            batch_id,
        )

    def _new_batch(
        self, release: str, version: str, size: int, at: str, schedule_id: str | None
    ) -> int:
        cursor = self.db.execute(
            "INSERT INTO batches (release, version, state, size, started_at, schedule_id, "
            "sender) VALUES (?, ?, 'in_flight', ?, ?, ?, ?) RETURNING batch_id",
            (release, version, size, at, schedule_id, self.sender),
        )
        return int(cursor.fetchall()[0][0])

    def accept_batch(self, batch_id: int, message_ids: str | Mapping[str, str]) -> None:
        """The provider accepted the batch: one message id for all, or one per address key.

        SendGrid answers one ``X-Message-Id`` per request; the outbox and SMTP
        make one Message-ID per message. The acceptance is written on the batch
        alone: its rows keep ``in_flight`` and read as ``accepted`` (the view
        ``delivery_states``), one row written per batch instead of a thousand.
        """
        if isinstance(message_ids, str):
            self._finish(batch_id, "accepted", message_ids, None)
            return
        ids = dict(message_ids)
        common = next(iter(ids.values()), None) if len(set(ids.values())) == 1 else None
        with self.db.transaction(durable=False):
            self._finish_in(batch_id, "accepted", common, None, stamp())
            if common is None:  # one id per message: each row found by its primary key
                release, version = self.db.execute(
                    "SELECT release, version FROM batches WHERE batch_id=?", (batch_id,)
                ).fetchone()
                self.db.executemany(
                    "UPDATE deliveries SET message_id=? WHERE release=? AND version=? "
                    "AND email_key=? AND batch_id=?",
                    [(mid, release, version, key, batch_id) for key, mid in ids.items()],
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
        # Not flushed before returning (one disk flush less a batch, whose time depends
        # on the disk): should a crash of the machine undo it, the batch is back in
        # flight and becomes unknown, held for the user, never sent again behind their
        # back; and the next batch's claim, flushed, flushes this with it.
        with self.db.transaction(durable=False):
            self._finish_in(batch_id, state, message_id, reason, stamp())

    def _finish_in(
        self, batch_id: int, state: str, message_id: str | None, reason: str | None, at: str
    ) -> None:
        cursor = self.db.execute(
            "UPDATE batches SET state=?, message_id=?, reason=?, finished_at=? "
            "WHERE batch_id=? AND state='in_flight'",
            (state, message_id, reason, at, batch_id),
        )
        if cursor.rowcount != 1:
            raise SendLogError(f"send log: batch {batch_id} is not in flight")
        if state == "accepted":  # the rows read it from the batch (see accept_batch)
            return
        rows, where = self._rows_of(batch_id)
        self.db.execute(
            "UPDATE deliveries SET state=?, message_id=?, reason=?, updated_at=? "
            f"WHERE {rows} AND state='in_flight'",
            (state, message_id, reason, at, *where),
        )

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
            "d.reason, d.batch_id FROM delivery_states d LEFT JOIN versions v "
            "ON v.release=d.release AND v.version=d.version "
            "WHERE d.release=? AND (CAST(? AS TEXT) IS NULL OR d.version=?) "
            "ORDER BY v.rowid, d.email_key",
            (release, version, version),
        )
        return [Delivery(e, json.loads(ls), *rest) for e, ls, *rest in rows]

    def suppress(self, email: str, reason: SuppressionReason) -> None:
        """Never plan *email* again (for any release) because of *reason*."""
        if reason not in SUPPRESSION_REASONS:
            raise UsageError(f"suppression reason {reason!r}: use unsubscribe, bounce or manual")
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO suppressions (email_key, email, reason, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (email_key) DO UPDATE "
                "SET reason=excluded.reason, at=excluded.at",
                (email.strip().lower(), email.strip(), reason, stamp()),
            )

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


def _recipients(rows: Iterable[Sequence[Any]]) -> list[Addressee]:
    """Addressees from (email, name, first_name, list_names) rows; rows naming the same
    lists share one list of them (read, never changed), parsed once a batch."""
    parsed: dict[str, list[str]] = {}
    return [
        Addressee(e, n, f, parsed[ls] if ls in parsed else parsed.setdefault(ls, json.loads(ls)))
        for e, n, f, ls in rows
    ]

"""The PostgreSQL backend: one log for a team, several senders at once.

The tables live in the schema ``pressroom`` of the database the URL names
(created on first use), so the log can share a database with other
applications. Migrations run under an advisory lock, so two pressrooms
upgrading at once do it once.

Concurrent senders: every writing connection registers as a *sender* (a
number from the sequence ``senders``) and holds the session advisory lock
``(SENDER_LOCKS, sender)`` for as long as it lives. Batches are claimed with
``SELECT ... FOR UPDATE SKIP LOCKED`` and record their sender. PostgreSQL
drops a session's advisory locks when its connection ends, kill -9 or power
cut included (the server notices a dead client through TCP keepalive), so a
batch ``in_flight`` whose sender holds no lock belongs to a dead sender:
the next writer to open the log, or any sender closing it, marks it
``unknown``. It is never re-sent or dropped silently.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from pressroom.errors import SendLogError
from pressroom.secrets import scrub_url
from pressroom.sendlog.schema import SCHEMA_VERSION, reader_view, steps_after
from pressroom.sendlog.store import SendLog

SCHEMA = "pressroom"
MIGRATION_LOCK = 0x50524553  # "PRES": one migration at a time, per database
SENDER_LOCKS = 0x50524554  # advisory locks (SENDER_LOCKS, sender) held by live senders
PLAN_LOCKS = 0x50524555  # transaction advisory locks (PLAN_LOCKS, hash of a release): plans
DEAD_SENDERS = (
    "sender IS NULL OR sender NOT IN (SELECT l.objid::bigint FROM pg_locks l "
    f"WHERE l.locktype='advisory' AND l.classid={SENDER_LOCKS}::oid AND l.objsubid=2 "
    "AND l.database=(SELECT oid FROM pg_database WHERE datname=current_database()))"
)
"""Batches whose sender's session is gone (see the module's docstring)."""


@lru_cache(maxsize=256)
def _pg(sql: str) -> str:
    """The store's ``?`` placeholders as psycopg's ``%s``."""
    return re.sub(r"\?", "%s", sql.replace("%", "%%"))


class PostgresConnection:
    """The store's view of a psycopg connection (see :class:`~.store.Connection`)."""

    dialect = "postgresql"
    lock_rows = " FOR UPDATE SKIP LOCKED"
    row_address = "ctid"

    def __init__(self, conn: Any, label: str):
        self.conn, self.label = conn, label

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        return self._guard(lambda: self.conn.execute(_pg(sql), params))

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> int:
        def run() -> int:
            cursor = self.conn.cursor()
            cursor.executemany(_pg(sql), rows)
            return int(cursor.rowcount)

        return int(self._guard(run))

    @contextmanager
    def transaction(self, durable: bool = True) -> Iterator[None]:
        with self.conn.transaction():
            if not durable:  # the WAL is flushed in order: a later durable commit flushes it
                self.execute("SET LOCAL synchronous_commit = off")
            yield

    def has_table(self, name: str) -> bool:
        row = self.execute("SELECT to_regclass(?)", (f"{SCHEMA}.{name}",)).fetchone()
        return row[0] is not None

    def analyze(self, table: str) -> None:
        self.execute(f"ANALYZE {table}")

    @contextmanager
    def by_key(self) -> Iterator[None]:
        # without it, a plan's lookups scan the whole table once the rows it wrote
        # outgrow the statistics: minutes at 100,000 rows instead of a second
        import psycopg

        if self.conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS:
            self.execute("SET LOCAL enable_seqscan = off")  # until the transaction ends
            yield
            return
        self.execute("SET enable_seqscan = off")
        try:
            yield
        finally:
            self.execute("RESET enable_seqscan")

    @contextmanager
    def unchecked(self) -> Iterator[None]:
        yield  # PostgreSQL checks a CHECK's list without rebuilding it

    def plan_lock(self, release: str) -> None:
        self.execute("SELECT pg_advisory_xact_lock(?, hashtext(?))", (PLAN_LOCKS, release))

    def copy_rows(self, into: str, rows: Sequence[Sequence[object]]) -> int:
        def run() -> int:
            with self.conn.cursor().copy(f"COPY {into} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return len(rows)

        return int(self._guard(run))

    def close(self) -> None:
        self.conn.close()

    def _guard(self, run: Any) -> Any:
        import psycopg

        try:
            return run()
        except psycopg.OperationalError as error:  # the server went away: say where, no secret
            raise SendLogError(
                f"{self.label}: the send log database: {scrub_url(str(error))}"
            ) from None


def open_postgres(url: str, *, read_only: bool = False, events: bool = False) -> SendLog:
    """Open the log in the PostgreSQL database at *url*, migrating it if needed.

    Unless *read_only* or *events*, register as a sender and mark the batches
    of dead senders ``unknown``.
    """
    import psycopg

    label = scrub_url(url)
    try:
        conn = psycopg.connect(
            url,
            autocommit=True,
            connect_timeout=10,
            application_name=f"pressroom (pid {os.getpid()})",  # whose claims, for a DBA
        )
    except psycopg.Error as error:
        raise SendLogError(
            f"{label}: cannot connect to the send log database: {scrub_url(str(error), url)}"
        ) from None
    db = PostgresConnection(conn, label)
    log = SendLog(label, db)
    try:
        _prepare(log, db, label, read_only, sending=not (read_only or events))
    except psycopg.Error as error:
        log.close()
        raise SendLogError(
            f"{label}: the send log database: {scrub_url(str(error), url)}"
        ) from None
    except BaseException:
        log.close()
        raise
    return log


def _prepare(
    log: SendLog, db: PostgresConnection, label: str, read_only: bool, sending: bool
) -> None:
    db.execute(f"SET search_path TO {SCHEMA}")
    version = _version(db)
    if version > SCHEMA_VERSION:
        raise SendLogError(
            f"{label}: written by a newer pressroom (send log schema {version}, "
            f"this pressroom reads up to {SCHEMA_VERSION}); upgrade pressroom"
        )
    if version < SCHEMA_VERSION and (version == 0 or not read_only):
        log.migrated = migrate(db, label)
    if read_only:
        if view := reader_view(_version(db), SCHEMA):
            db.execute(view)
        db.execute("SET default_transaction_read_only = on")
    if not sending:
        return
    sender = int(db.execute("SELECT nextval('senders')").fetchone()[0])
    db.execute("SELECT pg_advisory_lock(?, ?)", (SENDER_LOCKS, sender))
    log.sender, log.dead_senders = sender, DEAD_SENDERS
    with db.transaction():
        log.mark_in_flight_unknown(DEAD_SENDERS)


def _version(db: PostgresConnection) -> int:
    if not db.has_table("pressroom_schema"):
        return 0
    row = db.execute("SELECT max(version) FROM pressroom_schema").fetchone()
    return int(row[0] or 0)


def migrate(db: PostgresConnection, label: str) -> list[int]:
    """Bring the schema up to date, once even if several pressrooms start at once."""
    done = []
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        db.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        db.execute(
            "CREATE TABLE IF NOT EXISTS pressroom_schema "
            "(version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        version = _version(db)
        if version == 0:
            others = db.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname=? "
                "AND tablename<>'pressroom_schema'",
                (SCHEMA,),
            ).fetchone()[0]
            if others:
                raise SendLogError(
                    f"{label}: the schema {SCHEMA!r} holds tables that are not a pressroom send "
                    "log; use another database"
                )
        for step in steps_after(version):
            for statement in step.sql("postgresql"):
                db.execute(statement)
            db.execute("INSERT INTO pressroom_schema (version) VALUES (?)", (step.version,))
            done.append(step.version)
    return done

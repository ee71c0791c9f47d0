"""The SQLite backend: a file in the room, one sending process at a time.

``.pressroom/pressroom.db`` in WAL mode with ``synchronous=FULL``: a committed
change survives a power cut. A writing log holds an exclusive SQLite lock on
``pressroom.db.lock`` until closed; the operating system drops it when the
process dies, so it can never go stale, and whoever holds it knows that rows
left ``in_flight`` belong to a process that died.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pressroom.errors import SendLogError
from pressroom.sendlog.schema import SCHEMA_VERSION, steps_after
from pressroom.sendlog.store import SendLog

APPLICATION_ID = 0x50524553  # "PRES": marks the file as a pressroom send log


class SqliteConnection:
    """The store's view of an SQLite connection (see :class:`~.store.Connection`)."""

    dialect = "sqlite"
    lock_rows = ""  # one writer at a time: nothing to skip

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> int:
        return self.db.executemany(sql, rows).rowcount

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def has_table(self, name: str) -> bool:
        row = self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,))
        return row.fetchone() is not None

    def close(self) -> None:
        self.db.close()


def open_sqlite(path: Path, *, read_only: bool = False, events: bool = False) -> SendLog:
    """Open (creating if needed) the log at *path*.

    Unless *read_only* or *events*, take the room's send lock and turn rows
    left ``in_flight`` by a process that died into ``unknown``. With *events*
    (the event receiver) the log is writable without the send lock: a send may
    run meanwhile, each writer's transactions waiting for the other's.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = None if read_only or events else _take_lock(path)
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=10)
    except sqlite3.Error as error:
        _release(lock)
        raise SendLogError(f"{path}: cannot open the send log: {error}") from None
    log = SendLog(str(path), SqliteConnection(db), on_close=lambda: _release(lock))
    try:
        _prepare(log, path, db, read_only, sending=not (read_only or events))
    except BaseException:
        log.close()
        raise
    return log


def _prepare(
    log: SendLog, path: Path, db: sqlite3.Connection, read_only: bool, sending: bool
) -> None:
    try:
        db.execute("PRAGMA journal_mode=WAL")
    except sqlite3.DatabaseError:
        raise SendLogError(
            f"{path}: not a pressroom send log (not an SQLite database); "
            "move it away and pressroom will start a new one"
        ) from None
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    with log.db.transaction():
        version = db.execute("PRAGMA user_version").fetchone()[0]
        app = db.execute("PRAGMA application_id").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        fresh = app == 0 and version == 0 and tables == 0
        if fresh:
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        elif app != APPLICATION_ID:
            raise SendLogError(
                f"{path}: not a pressroom send log (an SQLite database of "
                "another program); move it away and pressroom will start a new one"
            )
        elif version > SCHEMA_VERSION:
            raise SendLogError(
                f"{path}: written by a newer pressroom (send log schema {version}, "
                f"this pressroom reads up to {SCHEMA_VERSION}); upgrade pressroom"
            )
        if version < SCHEMA_VERSION and (fresh or not read_only):
            for step in steps_after(version):
                for statement in step.sql("sqlite"):
                    db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            log.migrated = [step.version for step in steps_after(version)]
        if sending:  # we hold the lock: whoever left rows in flight is dead
            log.mark_in_flight_unknown()
    if read_only:
        db.execute("PRAGMA query_only=ON")


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

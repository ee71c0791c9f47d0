"""The SQLite backend: a file in the room, one sending process at a time.

``.pressroom/pressroom.db`` in WAL mode with ``synchronous=FULL``: a committed
change survives a power cut. A writing log holds an exclusive SQLite lock on
``pressroom.db.lock`` until closed; the operating system drops it when the
process dies, so it can never go stale, and whoever holds it knows that rows
left ``in_flight`` belong to a process that died.

**Broken state says so.** Every SQLite error becomes a
:class:`~pressroom.errors.SendLogError` naming the file and what to do (a
read-only file, a damaged one). The file's identity (device and inode) is
kept when it is opened, and :meth:`SqliteConnection.check_intact` (called
before every batch) finds a log deleted or replaced while it was open. A
deleted log is written back at once from the open connection, with every
delivery recorded so far, and the send stops: a log silently re-created on
the next run would know of no send, and everybody would be mailed again.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import NoReturn

from pressroom.errors import SendLogError
from pressroom.sendlog.schema import SCHEMA_VERSION, reader_view, steps_after
from pressroom.sendlog.store import SendLog

APPLICATION_ID = 0x50524553  # "PRES": marks the file as a pressroom send log


class SqliteConnection:
    """The store's view of an SQLite connection (see :class:`~.store.Connection`)."""

    dialect = "sqlite"
    lock_rows = ""  # one writer at a time: nothing to skip
    row_address = "rowid"

    def __init__(self, db: sqlite3.Connection, path: Path | None = None):
        self.db = db
        self.path = path
        self.identity = _identity(path) if path is not None else None
        """(device, inode) of the file when it was opened."""

    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, params)
        except sqlite3.Error as error:
            self._failed(error)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> int:
        try:
            return self.db.executemany(sql, rows).rowcount
        except sqlite3.Error as error:
            self._failed(error)

    @contextmanager
    def transaction(self, durable: bool = True) -> Iterator[None]:
        if not durable:  # WAL: the commit waits for no fsync; a later FULL one syncs it
            self.execute("PRAGMA synchronous=NORMAL")
        try:
            self.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            self.execute("COMMIT")
        finally:
            if not durable:
                self.execute("PRAGMA synchronous=FULL")

    def _failed(self, error: sqlite3.Error) -> NoReturn:
        raise SendLogError(explain(self.path, error)) from None

    def check_intact(self) -> None:
        """SendLogError if the file was deleted or replaced since it was opened.

        A deleted log is first written back from this connection (SQLite's
        backup), so that no delivery it recorded is lost; a replaced one is
        left alone and the open copy saved beside it.
        """
        if self.path is None or self.identity is None:
            return
        now = _identity(self.path)
        if now == self.identity:
            return
        if now is None:
            self._copy_to(self.path)
            raise SendLogError(
                f"{self.path}: the send log was deleted during the send; pressroom wrote it "
                "back from its open copy, with every delivery recorded so far, and stopped "
                "before the next batch: run the same command again to go on (nobody is "
                "sent to twice)"
            )
        saved = _free_name(self.path)
        self._copy_to(saved)
        raise SendLogError(
            f"{self.path}: the send log was replaced by another file during the send; the "
            f"log of this send is saved as {saved.name} and the send stopped before the next "
            f"batch: put {saved.name} back as {self.path.name} before sending again (without "
            "it, pressroom does not know who already has this release)"
        )

    def _copy_to(self, target: Path) -> None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            copy = sqlite3.connect(target)
            try:
                self.db.backup(copy)
            finally:
                copy.close()
        except (sqlite3.Error, OSError) as error:
            raise SendLogError(
                f"{self.path}: the send log was deleted or replaced during the send, and its "
                f"open copy could not be saved as {target} ({error}); the send stopped. Do "
                "not send this release again before finding out who received it "
                "(your transport's activity feed, or the outbox folder)"
            ) from None

    def has_table(self, name: str) -> bool:
        row = self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,))
        return row.fetchone() is not None

    def analyze(self, table: str) -> None:
        pass  # SQLite finds rows by the primary key's equalities without statistics

    def by_key(self) -> AbstractContextManager[None]:
        return nullcontext()  # as analyze: SQLite takes the primary key anyway

    @contextmanager
    def unchecked(self) -> Iterator[None]:
        # A CHECK (x IN (...)) is rebuilt as a small table for every row a statement
        # writes: a plan's rows and a claim's cost twice what they did without.
        self.execute("PRAGMA ignore_check_constraints=ON")
        try:
            yield
        finally:
            self.execute("PRAGMA ignore_check_constraints=OFF")

    def plan_lock(self, release: str) -> None:
        pass  # a transaction here is BEGIN IMMEDIATE: one writer at a time

    def copy_rows(self, into: str, rows: Sequence[Sequence[object]]) -> int:
        raise NotImplementedError("COPY is PostgreSQL's")

    def close(self) -> None:
        self.db.close()


def open_sqlite(path: Path, *, read_only: bool = False, events: bool = False) -> SendLog:
    """Open (creating if needed) the log at *path*.

    Unless *read_only* or *events*, take the room's send lock and turn rows
    left ``in_flight`` by a process that died into ``unknown``. With *events*
    (the event receiver) the log is writable without the send lock: a send may
    run meanwhile, each writer's transactions waiting for the other's.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SendLogError(
            f"{path.parent}: cannot make the folder of the send log ({error.strerror}): "
            "is there a file of that name? move it away"
        ) from None
    if path.exists() and not path.is_file():
        raise SendLogError(
            f"{path}: the send log is not a file (a folder or something else is there); "
            "move it away"
        )
    lock = None if read_only or events else _take_lock(path)
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=10)
    except sqlite3.Error as error:
        _release(lock)
        raise SendLogError(explain(path, error)) from None
    log = SendLog(str(path), SqliteConnection(db, path), on_close=lambda: _release(lock))
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
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise SendLogError(explain(path, error)) from None
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
        if view := reader_view(db.execute("PRAGMA user_version").fetchone()[0], "main"):
            db.execute(view)
        db.execute("PRAGMA query_only=ON")


def explain(path: Path | None, error: sqlite3.Error) -> str:
    """What an SQLite error means for the user, naming the file and what to do."""
    where = path or "the send log"
    text = str(error)
    if "readonly" in text or "read-only" in text:
        return (
            f"{where}: the send log cannot be written (the file or its folder is read-only): "
            "make both writable by you (e.g. chmod u+w), then run the same command again"
        )
    keep = (
        "restore it from a backup. Do not delete it: a new log knows of no send, and "
        "everybody would be sent to again"
    )
    if "not a database" in text:
        return f"{where}: not a pressroom send log (not an SQLite database, or damaged): {keep}"
    if type(error) is sqlite3.DatabaseError or "malformed" in text or "corrupt" in text:
        return f"{where}: the send log is damaged ({text}): {keep}"
    return f"{where}: the send log failed: {text}"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino


def _free_name(path: Path) -> Path:
    """``pressroom.recovered.db`` beside *path*, or ``pressroom.recovered-2.db``... if taken."""
    n = 1
    while True:
        suffix = ".recovered" if n == 1 else f".recovered-{n}"
        candidate = path.with_name(f"{path.stem}{suffix}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def _take_lock(path: Path) -> sqlite3.Connection:
    """Hold an exclusive lock on ``<db>.lock``; the OS releases it if the process dies."""
    lock_path = path.with_name(path.name + ".lock")
    lock = sqlite3.connect(lock_path, isolation_level=None, timeout=0)
    try:
        lock.execute("BEGIN EXCLUSIVE")
    except sqlite3.Error as error:
        lock.close()
        if "locked" not in str(error):
            raise SendLogError(explain(lock_path, error)) from None
        raise SendLogError(
            f"{path}: another pressroom process is sending from this room; wait for it "
            "to finish (`pressroom log RELEASE` can show its progress meanwhile)"
        ) from None
    return lock


def _release(lock: sqlite3.Connection | None) -> None:
    if lock is not None:
        lock.rollback()
        lock.close()

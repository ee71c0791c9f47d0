"""``pressroom db migrate`` and ``pressroom db copy``: the log's schema, and moving it.

A copy takes every table of an SQLite log, whatever steps of
:mod:`.schema` made them (events included), into an empty PostgreSQL log, in
one transaction: the counts of both sides are compared table by table before
it commits, so it lands whole or not at all. The SQLite log is opened as a
sender, so no send can run from it meanwhile; it is left as it was.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pressroom.errors import SendLogError, UsageError
from pressroom.secrets import has_password, scrub_url
from pressroom.sendlog.location import Location
from pressroom.sendlog.schema import STEPS, Step


def migrate(where: Location) -> list[Step]:
    """Bring the log at *where* to this pressroom's schema; the steps applied."""
    from pressroom.sendlog import open_log

    with open_log(where) as log:
        return [step for step in STEPS if step.version in log.migrated]


@dataclass(frozen=True)
class Copied:
    table: str
    rows: int


def copy_log(source: Path, target: Location) -> list[Copied]:
    """Copy the SQLite log at *source* into the empty PostgreSQL log at *target*."""
    import psycopg

    from pressroom.sendlog import open_log
    from pressroom.sendlog.postgres import PostgresConnection
    from pressroom.sendlog.sqlite import SqliteConnection

    if target.url is None:
        raise UsageError("db copy --to: give a postgresql:// URL")
    if not source.is_file():
        raise UsageError(f"{source}: no send log to copy (nothing was ever sent from here)")
    with open_log(Location(path=source)) as old, open_log(target, events=True) as new:
        assert isinstance(old.db, SqliteConnection) and isinstance(new.db, PostgresConnection)
        lite, pg = old.db.db, new.db.conn
        tables = _tables_in_order(lite)
        try:
            with pg.transaction():
                full = [t for t in tables if _count(pg, t)]
                if full:
                    raise UsageError(
                        f"{target}: the send log there is not empty ({', '.join(full)} hold "
                        "rows); copy into a new database"
                    )
                copied = [Copied(t, _copy_table(lite, pg, t)) for t in tables]
                for table in tables:
                    _advance_sequences(pg, table)
                for done in copied:
                    landed = _count(pg, done.table)
                    if landed != done.rows:
                        raise SendLogError(
                            f"{target}: {done.table}: {landed} rows arrived of {done.rows}; "
                            "nothing was copied"
                        )
        except psycopg.Error as error:
            raise SendLogError(f"{target}: the copy failed, nothing was copied: "
                               f"{scrub_url(str(error), target.url)}") from None  # fmt: skip
    return copied


def check_target(url: str) -> None:
    """A URL typed on the command line must not carry the password (shell history, ps)."""
    if has_password(url):
        raise UsageError(
            "--to: leave the password out of the URL (it would be seen in the shell's history "
            "and by ps); set PGPASSWORD, or PRESSROOM_DATABASE_URL, in the environment"
        )


def _tables_in_order(lite: sqlite3.Connection) -> list[str]:
    """The log's tables, each after the tables its foreign keys refer to."""
    names = [
        name
        for (name,) in lite.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    refers = {n: {row[2] for row in lite.execute(f"PRAGMA foreign_key_list('{n}')")} for n in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and refers[n] <= {*ordered, n}]
        if not ready:
            raise SendLogError("send log: its tables refer to each other in a circle")
        ordered += ready
    return ordered


def _count(pg: Any, table: str) -> int:
    row = pg.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0])


def _copy_table(lite: sqlite3.Connection, pg: Any, table: str) -> int:
    """COPY every row of *table*, in insertion order, into the same columns."""
    mine = [row[1] for row in lite.execute(f"PRAGMA table_info('{table}')")]
    theirs = {
        name
        for (name,) in pg.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema=current_schema() AND table_name=%s",
            (table,),
        )
    }
    missing = [c for c in mine if c not in theirs]
    if missing:
        raise SendLogError(f"send log: {table}.{', '.join(missing)} has no column to go to")
    if "rowid" in theirs and "rowid" not in mine:  # SQLite's hidden one, kept as it was:
        mine.insert(0, "rowid")  # a batch names the span of its rows by their rowids
    columns = ", ".join(mine)
    count = 0
    with pg.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in lite.execute(f"SELECT {columns} FROM {table} ORDER BY rowid"):
            copy.write_row(row)
            count += 1
    return count


def _advance_sequences(pg: Any, table: str) -> None:
    """Serial columns copied with their values: the next one comes after the largest."""
    rows = pg.execute(
        "SELECT column_name, pg_get_serial_sequence(%s, column_name) "
        "FROM information_schema.columns WHERE table_schema=current_schema() AND table_name=%s",
        (table, table),
    ).fetchall()
    for column, sequence in rows:
        if sequence:
            pg.execute(
                f"SELECT setval(%s, greatest((SELECT max({column}) FROM {table}), 1))",
                (sequence,),
            )

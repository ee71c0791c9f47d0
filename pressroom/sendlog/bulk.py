"""A plan's new rows written many to a statement, not one statement a row.

:func:`insert_rows` takes the rows of one chunk of a plan (each the address
key, address, lists, state, reason, names and language of one recipient) and
writes those not yet in the log: on SQLite one ``INSERT ... VALUES (...),
(...)`` of many rows (its statement compiled once, the release, version and
time bound once), on PostgreSQL the same, or ``COPY`` when the plan is the
release's first (the caller holds the plan lock, so no row of the release can
appear meanwhile: :meth:`~.store.Connection.plan_lock`).

A statement a row cost SQLite more than the rows themselves: each execution
rebuilt the table's ``CHECK (state IN (...))`` list from scratch. The states
written here are the plan's own (:data:`WRITTEN`), checked before anything is
written; the caller runs the statements with the check left to that
(:meth:`~.store.Connection.unchecked`, around the whole plan: turning it on or
off makes SQLite compile every statement again), every other constraint in force.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from pressroom.errors import SendLogError

if TYPE_CHECKING:
    from pressroom.sendlog.store import Connection

Row = tuple[str, str, str, str, str | None, str | None, str | None, str]
"""(email_key, email, list_names, state, reason, name, first_name, language)."""

WRITTEN = frozenset({"planned", "suppressed", "skipped"})
"""The states a plan writes: all allowed by the table's check."""
ROWS_PER_STATEMENT = 1000
"""Rows a statement inserts (a chunk of the plan; SQLite: 8 parameters a row, below 32,766;
PostgreSQL: 11, below 65,535)."""
COLUMNS = (
    "release, version, updated_at, email_key, email, list_names, state, reason, "
    "name, first_name, language"
)


def insert_rows(
    db: Connection, release: str, version: str, at: str, rows: Sequence[Row], *, fresh: bool
) -> int:
    """Insert those of *rows* whose address this version has no row for; how many.

    *fresh*: the release has no row in the log and the caller holds its plan lock
    (PostgreSQL then copies the rows in, with no conflict to look for).
    """
    if not rows:
        return 0
    wrong = {row[3] for row in rows} - WRITTEN
    if wrong:
        raise SendLogError(f"send log: a plan cannot write the state {sorted(wrong)[0]!r}")
    if fresh and db.dialect == "postgresql":
        return db.copy_rows(
            f"deliveries ({COLUMNS})", [(release, version, at, *row) for row in rows]
        )
    written = 0
    numbered = db.dialect == "sqlite"
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        part = rows[start : start + ROWS_PER_STATEMENT]
        params: list[object] = [release, version, at] if numbered else []
        for row in part:
            if not numbered:
                params += (release, version, at)
            params += row
        written += db.execute(_insert(len(part), numbered), params).rowcount
    return written


@lru_cache(maxsize=8)
def _insert(count: int, numbered: bool) -> str:
    """The statement inserting *count* rows. SQLite binds the release, version and time
    once, as ``?1``-``?3``; each plain ``?`` after them takes the next number (numbering
    every parameter made compiling the statement take longer than running it)."""
    first = "?1,?2,?3," if numbered else "?,?,?,"
    values = ",".join(["(" + first + ",".join("?" * 8) + ")"] * count)
    return (
        f"INSERT INTO deliveries ({COLUMNS}) VALUES {values} "
        "ON CONFLICT (release, version, email_key) DO NOTHING"
    )

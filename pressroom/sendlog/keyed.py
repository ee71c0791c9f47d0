"""Rows of the log for many keys at once: ``... IN (?, ?, ...)``, a bounded number a
statement, the one place the placeholders are written.

On PostgreSQL, text keys go as one array instead (``IN (SELECT unnest(?))``): psycopg
parses a statement's placeholders every time once its text is long, and a thousand
of them cost more than the query (a plan of 100,000 rows spent 0.8 s there)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pressroom.sendlog.store import Connection

PER_STATEMENT = 1000
"""Keys per ``IN (...)``: far below every backend's limit on parameters (SQLite
32,766, PostgreSQL 65,535)."""


def rows_in(
    db: Connection, sql: str, params: Sequence[object], keys: Sequence[object]
) -> list[Any]:
    """Every row of *sql* for *keys*: its ``IN ({})`` (the statement's last
    parameters) filled with one placeholder per key, :data:`PER_STATEMENT` keys a
    statement, *params* before them each time."""
    rows: list[Any] = []
    array = db.dialect == "postgresql" and all(isinstance(key, str) for key in keys)
    for start in range(0, len(keys), PER_STATEMENT):
        part = keys[start : start + PER_STATEMENT]
        if array:
            query = sql.format("SELECT unnest(CAST(? AS text[]))")
            rows += db.execute(query, (*params, list(part))).fetchall()
            continue
        marks = ", ".join("?" * len(part))
        rows += db.execute(sql.format(marks), (*params, *part)).fetchall()
    return rows

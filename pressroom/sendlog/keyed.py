"""Rows of the log for many keys at once: ``... IN (?, ?, ...)``, a bounded number a
statement, the one place the placeholders are written."""

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
    for start in range(0, len(keys), PER_STATEMENT):
        part = keys[start : start + PER_STATEMENT]
        marks = ", ".join("?" * len(part))
        rows += db.execute(sql.format(marks), (*params, *part)).fetchall()
    return rows

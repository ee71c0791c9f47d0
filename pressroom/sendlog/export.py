"""The send log as CSV (``pressroom log --csv``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from pressroom import csvsafe

if TYPE_CHECKING:
    from pressroom.sendlog.store import SendLog

CSV_COLUMNS = (
    "email",
    "lists",
    "state",
    "message_id",
    "at",
    "version",
    "reason",
    "batch_id",
    "language",
)
"""``language``: the language of the version the address got (a translation's tag,
or the original's; empty on rows written before the log recorded it)."""


def write_csv(log: SendLog, release: str, file: TextIO, states: Iterable[str] = ()) -> None:
    """Write the log's report of *release* as CSV with :data:`CSV_COLUMNS`.

    Lists are joined by ``;``; spreadsheet-safe (:mod:`pressroom.csvsafe`). With
    *states*, only the rows in one of them.
    """
    wanted = set(states)
    writer = csvsafe.writer(file)
    writer.writerow(CSV_COLUMNS)
    for d in log.report(release):
        if wanted and d.state not in wanted and d.shown_state not in wanted:
            continue
        writer.writerow(
            [d.email, ";".join(d.lists), d.shown_state, d.message_id or "", d.at, d.version]
            + [d.reason or "", "" if d.batch_id is None else d.batch_id, d.language]
        )

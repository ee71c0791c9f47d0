"""A send's batches in the log: claimed ``in_flight`` before the request leaves, then
accepted, failed or unknown; and what a dead sender left in flight.

A claim takes the next planned rows in plan order (on PostgreSQL, ``FOR UPDATE
SKIP LOCKED``: concurrent senders never take the same row) and is committed,
flushed to disk, before the request is made. On PostgreSQL it is one statement
(the rows chosen and locked, their batch made with its span, the rows updated);
on SQLite, the only writer while its transaction lasts, the rows are read, their
batch made, and every unclaimed row between the first and the last updated (as
many as were read, or nothing is committed). It writes no index on PostgreSQL
(the table has none on a row's state or batch), so each row's new version
stays on its page; a batch's rows are then found through its span, the first
and last rowid it took. The end of a batch is committed without waiting for
the disk (see :meth:`Batches._finish`); an accepted batch's rows keep
``in_flight`` and read as ``accepted`` through the view ``delivery_states``.

The methods are part of :class:`~pressroom.sendlog.SendLog` on both backends.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from pressroom.errors import SendLogError
from pressroom.model.contacts import Addressee
from pressroom.sendlog.keyed import rows_in
from pressroom.sendlog.records import SENDABLE, stamp

if TYPE_CHECKING:
    from pressroom.sendlog.store import Connection


class Batches:
    db: Connection
    sender: int | None
    _claimed_to: dict[tuple[str, str, str | None], int]

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
        return len(dead)

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
            batch_id = self._new_batch(release, version, at, len(keys), schedule_id)
            taken = rows_in(
                self.db,
                "UPDATE deliveries SET state='in_flight', batch_id=?, message_id=NULL, "
                "reason=NULL, updated_at=? WHERE release=? AND version=? "
                f"AND state IN {SENDABLE} AND email_key IN ({{}}) RETURNING rowid, email_key",
                (batch_id, at, release, version),
                keys,
            )
            if len(taken) != len(keys):
                claimed = {key for _row, key in taken}
                refused = [k for k in keys if k not in claimed]
                raise SendLogError(
                    f"{release} ({version}): not planned for sending, or already sent or "
                    f"in flight: {', '.join(refused[:5])}"
                    + (f" and {len(refused) - 5} more" if len(refused) > 5 else "")
                )
            if taken:
                self.db.execute(
                    "UPDATE batches SET first_row=?, last_row=? WHERE batch_id=?",
                    (min(row for row, _key in taken), max(row for row, _key in taken), batch_id),
                )
        return batch_id

    def claim_batch(
        self,
        release: str,
        version: str,
        size: int,
        schedule_id: str | None = None,
        language: str | None = None,
    ) -> tuple[int, list[Addressee]] | None:
        """Claim up to *size* planned rows of *version* in a new batch, ``in_flight``;
        with *language*, only rows planned to get that language (a batch is one message
        rendered once: one language).

        Committed before the request is made. Rows another sender holds are
        skipped (PostgreSQL: ``FOR UPDATE SKIP LOCKED``), so concurrent senders
        never claim the same row; an address suppressed since the plan is left
        out. The recipients carry what the message needs (address, names,
        lists: :class:`~pressroom.model.contacts.Addressee`). None when nothing planned is left.
        """
        at = stamp()
        after = self._claimed_to.get((release, version, language), 0)
        claimed = self._claim(release, version, size, schedule_id, at, after, language)
        if claimed is None and after:  # rows planned again behind (a batch that failed)
            claimed = self._claim(release, version, size, schedule_id, at, 0, language)
        if claimed is None:
            return None
        batch_id, last, rows = claimed
        self._claimed_to[(release, version, language)] = last
        if language is None:
            return batch_id, _recipients(rows)
        return batch_id, _recipients(rows, language)

    def _claim(
        self,
        release: str,
        version: str,
        size: int,
        schedule_id: str | None,
        at: str,
        after: int,
        language: str | None = None,
    ) -> tuple[int, int, list[Any]] | None:
        """Claim the first *size* planned rows after row *after* (of *language*, if
        given): the batch, its last row, and the rows (email, name, first_name,
        list_names, and language unless given); None if none is left (and no batch
        is made)."""
        only = "" if language is None else "AND language=? "
        columns = "email, name, first_name, list_names" + (", language" if not only else "")
        unclaimed = (
            f"FROM deliveries WHERE release=? AND version=? AND rowid>? AND state='planned' "
            f"{only}AND batch_id IS NULL AND email_key NOT IN (SELECT email_key FROM suppressions)"
        )
        chosen = (release, version, after, *([] if language is None else [language]))
        batch = (release, version, at, schedule_id, self.sender)
        if self.db.dialect == "postgresql":
            return self._claim_locking(unclaimed, columns, chosen, size, batch)
        with self.db.transaction():
            # one writer at a time: the rows read are the rows the update then takes,
            # all of them between the first and the last (checked: the count)
            rows = self.db.execute(
                f"SELECT rowid, {columns} {unclaimed} ORDER BY rowid LIMIT ?",
                (*chosen, size),
            ).fetchall()
            if not rows:
                return None
            first, last = rows[0][0], rows[-1][0]
            batch_id = self._new_batch(*batch[:3], len(rows), schedule_id, first, last)
            with self.db.unchecked():  # the state written is 'in_flight', as the check wants
                taken = self.db.execute(
                    "UPDATE deliveries SET state='in_flight', batch_id=?, message_id=NULL, "
                    f"reason=NULL, updated_at=? {unclaimed[len('FROM deliveries ') :]} "
                    "AND rowid<=?",
                    (batch_id, at, *chosen, last),
                ).rowcount
            if taken != len(rows):
                raise SendLogError(f"send log: batch {batch_id} took {taken} of {len(rows)} rows")
        return batch_id, last, list(map(itemgetter(slice(1, None)), rows))

    def _claim_locking(
        self,
        unclaimed: str,
        columns: str,
        chosen: tuple[object, ...],
        size: int,
        batch: tuple[object, ...],
    ) -> tuple[int, int, list[Any]] | None:
        """PostgreSQL's claim, one statement: choose the rows in plan order (locking them
        and skipping those another sender holds), make their batch with its span, and
        update them by their physical address (``ctid``, stable while the row is locked)."""
        with self.db.transaction(), self.db.by_key():
            rows = self.db.execute(
                f"WITH picked AS (SELECT ctid AS address, rowid {unclaimed} "
                "ORDER BY rowid LIMIT ? FOR UPDATE SKIP LOCKED), "
                "batch AS (INSERT INTO batches (release, version, state, size, started_at, "
                "schedule_id, sender, first_row, last_row) SELECT ?, ?, 'in_flight', count(*), "
                "?, ?, ?, min(rowid), max(rowid) FROM picked HAVING count(*) > 0 "
                "RETURNING batch_id) "
                "UPDATE deliveries SET state='in_flight', batch_id=batch.batch_id, "
                "message_id=NULL, reason=NULL, updated_at=? FROM picked, batch "
                "WHERE deliveries.ctid=picked.address RETURNING deliveries.rowid, "
                f"batch.batch_id, {columns}",
                (*chosen, size, *batch, batch[2]),
            ).fetchall()
        if not rows:
            return None
        rows.sort(key=lambda row: row[0])  # plan order
        return rows[0][1], rows[-1][0], list(map(itemgetter(slice(2, None)), rows))

    def languages_of(self, release: str, version: str, keys: Sequence[str]) -> dict[str, str]:
        """The language planned for each of *keys* (address keys) of *version*."""
        return dict(
            rows_in(
                self.db,
                "SELECT email_key, language FROM deliveries WHERE release=? AND version=? "
                "AND email_key IN ({})",
                (release, version),
                list(keys),
            )
        )

    def batch_recipients(self, batch_id: int) -> list[Addressee]:
        """The recipients of batch *batch_id*, as :meth:`claim_batch` gives them."""
        rows, where = self._rows_of(batch_id)
        found = self.db.execute(
            f"SELECT email, name, first_name, list_names, language FROM deliveries WHERE {rows} "
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
        self,
        release: str,
        version: str,
        at: str,
        size: int,
        schedule_id: str | None,
        first: int | None = None,
        last: int | None = None,
    ) -> int:
        cursor = self.db.execute(
            "INSERT INTO batches (release, version, state, size, started_at, schedule_id, "
            "sender, first_row, last_row) VALUES (?, ?, 'in_flight', ?, ?, ?, ?, ?, ?) "
            "RETURNING batch_id",
            (release, version, size, at, schedule_id, self.sender, first, last),
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


def _recipients(rows: Iterable[Sequence[Any]], language: str | None = None) -> list[Addressee]:
    """Addressees from (email, name, first_name, list_names, language) rows, or rows
    without the language when all have *language*; rows naming the same lists share one
    list of them (read, never changed), parsed once a batch."""
    parsed: dict[str, list[str]] = {}
    if language is not None:
        return [
            Addressee(
                e,
                n,
                f,
                parsed[ls] if ls in parsed else parsed.setdefault(ls, json.loads(ls)),
                language,
            )
            for e, n, f, ls in rows
        ]
    return [
        Addressee(
            e, n, f, parsed[ls] if ls in parsed else parsed.setdefault(ls, json.loads(ls)), lang
        )
        for e, n, f, ls, lang in rows
    ]

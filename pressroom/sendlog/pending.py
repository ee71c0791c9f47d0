"""Sends waiting in the log for their time: ``send --at`` further ahead than the provider holds.

SendGrid holds a message at most 72 hours. A send asked for later is kept
here as ``pending`` with what the user chose (lists, tags, correction) and
the version they approved; ``pressroom dispatch`` hands it to the normal send
flow once it comes within the provider's window, and marks it ``dispatched``.
The deliveries themselves are exactly-once through the log as for any send,
so two dispatchers racing for one pending send still mail each journalist
once. A pending send ends ``cancelled`` (``send --cancel``) or ``held`` (edited
since it was scheduled, or its time missed), with the reason.

The methods are part of :class:`~pressroom.sendlog.SendLog` on both backends.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from pressroom.sendlog.records import Pending, stamp

if TYPE_CHECKING:
    from pressroom.sendlog.store import Connection

_COLUMNS = (
    "pending_id, release, version, send_at, lists_json, tags_json, correction, skip_invalid, "
    "state, reason, created_at"
)


class PendingSends:
    """The far-scheduling half of the send log (mixed into :class:`~pressroom.sendlog.SendLog`)."""

    db: Connection

    def add_pending(
        self,
        release: str,
        version: str,
        send_at: str,
        lists: Sequence[str],
        tags: Sequence[str],
        *,
        correction: bool = False,
        skip_invalid: bool = False,
    ) -> Pending:
        """Keep a send of *release* for *send_at*; refused while another one is pending."""
        from pressroom.errors import UsageError

        at = stamp()
        pending_id = f"{release}@{send_at}#{at}"
        with self.db.transaction():
            waiting = self.pending(release, states=("pending",))
            if waiting:
                raise UsageError(
                    f"a send of {release} is already waiting for {waiting[0].send_at}; "
                    f"cancel it first (pressroom send {release} --cancel)"
                )
            self.db.execute(
                f"INSERT INTO pending_sends ({_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL, ?)",
                (pending_id, release, version, send_at, json.dumps(list(lists)),
                 json.dumps(list(tags)), int(correction), int(skip_invalid), at),
            )  # fmt: skip
        return Pending(pending_id, release, version, send_at, list(lists), list(tags),
                       correction, skip_invalid, "pending", None, at)  # fmt: skip

    def pending(
        self, release: str | None = None, states: Sequence[str] = ("pending",)
    ) -> list[Pending]:
        """Pending sends (of *release*, or all) in *states*, soonest first."""
        if not self.db.has_table("pending_sends"):
            return []
        marks = ", ".join("?" for _ in states)
        where, params = f"state IN ({marks})", list(states)
        if release is not None:
            where, params = where + " AND release=?", [*params, release]
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM pending_sends WHERE {where} ORDER BY send_at, rowid", params
        ).fetchall()
        return [
            Pending(
                str(r[0]),
                str(r[1]),
                str(r[2]),
                str(r[3]),
                json.loads(r[4]),
                json.loads(r[5]),
                bool(r[6]),
                bool(r[7]),
                str(r[8]),
                None if r[9] is None else str(r[9]),
                str(r[10]),
            )  # fmt: skip
            for r in rows
        ]

    def finish_pending(self, pending_id: str, state: str, reason: str | None = None) -> bool:
        """Move a ``pending`` send to *state* (dispatched, cancelled, held); False if it was not."""
        with self.db.transaction():
            cursor = self.db.execute(
                "UPDATE pending_sends SET state=?, reason=? WHERE pending_id=? AND state='pending'",
                (state, reason, pending_id),
            )
            return cursor.rowcount == 1

    def scheduled_releases(self) -> dict[str, datetime]:
        """Release -> the latest ``send_at`` of its sends still waiting for their time
        (scheduled with the provider, or pending here for ``dispatch``), for releases
        nothing was sent of before (a release already mailed is public already)."""
        parts = []
        if self.db.has_table("schedules"):
            parts.append("SELECT release, send_at FROM schedules WHERE state='scheduled'")
        if self.db.has_table("pending_sends"):
            parts.append("SELECT release, send_at FROM pending_sends WHERE state='pending'")
        if not parts:
            return {}
        waiting: dict[str, datetime] = {}
        for release, send_at in self.db.execute(" UNION ALL ".join(parts)).fetchall():
            at = datetime.fromisoformat(str(send_at))
            if str(release) not in waiting or at > waiting[str(release)]:
                waiting[str(release)] = at
        if waiting and self.db.has_table("schedules"):
            sent = self.db.execute(
                "SELECT DISTINCT release FROM batches WHERE schedule_id IS NULL "
                "AND state IN ('accepted', 'unknown', 'in_flight')"
            ).fetchall()
            for (release,) in sent:
                waiting.pop(str(release), None)
        return waiting

"""What the send log holds for later: sends the provider keeps until their time.

``send --at`` within the provider's window (72 hours through SendGrid, which
takes the message with ``send_at``) leaves rows ``accepted`` in the log: the
provider has them, but nobody receives anything before the time. Until then
they read ``scheduled`` everywhere people look (``log``, ``report``, the
preview, the newsroom), through this interface; once the time has come they
read ``accepted``. A cancelled schedule's rows are ``cancelled``
(:attr:`~pressroom.sendlog.records.Delivery.shown_state`).

The methods are part of :class:`~pressroom.sendlog.SendLog` on both backends;
they read no clock of their own but :func:`pressroom.clock.now`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from pressroom.clock import now
from pressroom.sendlog.records import Delivery, Schedule

if TYPE_CHECKING:
    from pressroom.sendlog.store import Connection


def _ahead(send_at: str) -> bool:
    try:
        return datetime.fromisoformat(send_at) > now()
    except ValueError:
        return False


class ScheduledSends:
    """The scheduled half of the send log (mixed into :class:`~pressroom.sendlog.SendLog`)."""

    db: Connection

    def scheduled_ahead(self, release: str | None = None) -> list[tuple[str, Schedule]]:
        """(release, schedule) of every send the provider holds for a time still ahead,
        not cancelled; of *release* only when given. Soonest first."""
        if not self.db.has_table("schedules"):
            return []
        rows = self.db.execute(
            "SELECT s.release, s.schedule_id, s.version, s.send_at, s.transport, s.state, "
            "(SELECT count(*) FROM delivery_states d JOIN batches b ON d.batch_id=b.batch_id "
            "WHERE b.schedule_id=s.schedule_id AND d.state='accepted') "
            "FROM schedules s WHERE s.state='scheduled' "
            "AND (CAST(? AS TEXT) IS NULL OR s.release=?)",
            (release, release),
        ).fetchall()
        found = [(r, Schedule(*rest)) for r, *rest in rows if _ahead(rest[2])]
        return sorted(found, key=lambda item: datetime.fromisoformat(item[1].send_at))

    def _batches_ahead(self) -> dict[int, str]:
        """Batch id -> its send time, for every batch of a schedule still ahead."""
        if not self.db.has_table("schedules"):
            return {}
        rows = self.db.execute(
            "SELECT b.batch_id, s.send_at FROM batches b JOIN schedules s "
            "ON s.schedule_id=b.schedule_id WHERE s.state='scheduled'"
        ).fetchall()
        return {batch: at for batch, at in rows if _ahead(at)}

    def _with_schedules(self, rows: Sequence[Delivery]) -> list[Delivery]:
        """*rows* with :attr:`~Delivery.scheduled_for` set where the provider still holds them."""
        ahead = self._batches_ahead() if rows else {}
        if not ahead:
            return list(rows)
        return [
            replace(row, scheduled_for=ahead[row.batch_id])
            if row.state == "accepted" and row.batch_id in ahead
            else row
            for row in rows
        ]

    def _scheduled_counts(self) -> dict[str, int]:
        """Per release, how many ``accepted`` rows the provider still holds for later."""
        ahead = self._batches_ahead()
        if not ahead:
            return {}
        from pressroom.sendlog.keyed import rows_in

        counts: dict[str, int] = {}
        for release, count in rows_in(
            self.db,
            "SELECT release, count(*) FROM delivery_states WHERE state='accepted' "
            "AND batch_id IN ({}) GROUP BY release",
            (),
            sorted(ahead),
        ):
            counts[release] = counts.get(release, 0) + count
        return counts

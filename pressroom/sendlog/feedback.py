"""What SendGrid says happened after it accepted a message: the log's events.

Events (:class:`~pressroom.sendlog.records.Event`) are stored once per
``event_id`` (SendGrid's ``sg_event_id``): SendGrid posts some events twice,
retries whole batches and sends them out of order, so recording a batch again
changes nothing. Each event is matched to the delivery it concerns by the
release and version pressroom put in its ``custom_args``, or else by its
``sg_message_id`` (the batch's ``X-Message-Id``) and the address.

A new hard bounce, a drop for a bad address, a spam report or an unsubscribe
suppresses the address at once, with the reason, the event's time and
SendGrid's words; the next ``send`` skips it and says so. An address already
suppressed keeps its first reason, and an old event replayed after someone was
put back (``contacts suppress --remove``) does not suppress them again.

The methods are part of :class:`~pressroom.sendlog.SendLog` on both backends.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from pressroom.sendlog.forget import forgotten_event
from pressroom.sendlog.keyed import rows_in
from pressroom.sendlog.records import CANCELLED, Delivery, Event, Recorded, SendSummary, stamp
from pressroom.sendlog.scheduled import ScheduledSends

if TYPE_CHECKING:
    from pressroom.sendlog.store import Connection

EVENT_COLUMNS = (
    "event_id, kind, email, at, release, version, message_id, url, reason, machine_open, raw"
)


class Feedback(ScheduledSends):
    """The events half of the send log (mixed into :class:`~pressroom.sendlog.SendLog`)."""

    db: Connection

    def record_events(self, events: Sequence[Event], *, outside_suppress: bool = False) -> Recorded:
        """Store the new *events* (one transaction), match them, suppress bad addresses.

        An event about a forgotten person is stored under their pseudonym
        (:func:`~.forget.forgotten_event`). One about an address pressroom never
        mailed is marked ``outside`` and suppresses nobody unless *outside_suppress*
        (pressroom.yaml's ``delivery: suppress_from_other_mail``).
        """
        unique = list({e.event_id: e for e in events}.values())
        received = stamp()
        with self.db.transaction():
            known = self._known_events([e.event_id for e in unique])
            new = [e for e in unique if e.event_id not in known]
            forgotten = self.forgotten_among(e.key for e in new)  # type: ignore[attr-defined]
            new = [forgotten_event(e, forgotten[e.key]) if e.key in forgotten else e for e in new]
            places = self._places({e.message_id for e in new if e.message_id and not e.version})
            placed = []
            for e in new:
                if not e.version and e.message_id in places:
                    e = replace(e, release=places[e.message_id][0], version=places[e.message_id][1])
                placed.append(e)
            unmatched = self._unmatched(placed)
            outside = self._never_mailed({e.key for e in unmatched})
            rows = [
                (e.event_id, e.kind, e.key, e.email, _iso(e.at), e.release, e.version,
                 e.message_id, e.url, e.reason, int(e.machine_open), received, e.raw,
                 int(e.key in outside))
                for e in placed
            ]  # fmt: skip
            marked = self.db.has_table("forgotten")  # the column came with the same step
            self.db.executemany(
                "INSERT INTO events (event_id, kind, email_key, email, at, release, version, "
                "message_id, url, reason, machine_open, received_at, raw"
                + (", outside) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" if marked else
                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                + " ON CONFLICT (event_id) DO NOTHING",
                rows if marked else [r[:-1] for r in rows],
            )  # fmt: skip
            suppressing = [  # a proof's bounce is the writer's: never a journalist's
                e for e in placed if not e.proof and (outside_suppress or e.key not in outside)
            ]
            suppressed = self._suppress_from(suppressing)
        return Recorded(
            len(new),
            len(events) - len(new),
            suppressed,
            len(unmatched),
            sum(1 for e in placed if e.key in outside),
        )

    def _known_events(self, ids: list[str]) -> set[str]:
        found = rows_in(self.db, "SELECT event_id FROM events WHERE event_id IN ({})", (), ids)
        return {event_id for (event_id,) in found}

    def _places(self, message_ids: set[str]) -> dict[str, tuple[str, str]]:
        """(release, version) of each batch or message by its message id."""
        found: dict[str, tuple[str, str]] = {}
        for table in ("batches", "deliveries"):
            for message_id, release, version in rows_in(
                self.db,
                f"SELECT message_id, release, version FROM {table} WHERE message_id IN ({{}})",
                (),
                sorted(message_ids),
            ):
                found.setdefault(message_id, (release, version))
        return found

    def _unmatched(self, events: list[Event]) -> list[Event]:
        """The *events* that match no delivery by their release, version and address."""
        wanted = {(e.release, e.version) for e in events if e.release and e.version}
        have: set[tuple[str, str, str]] = set()
        for release, version in wanted:
            keys = sorted({e.key for e in events if (e.release, e.version) == (release, version)})
            have.update(
                (release, version, key)
                for (key,) in rows_in(
                    self.db,
                    "SELECT email_key FROM deliveries WHERE release=? AND version=? "
                    "AND email_key IN ({})",
                    (release, version),
                    keys,
                )
            )
        return [e for e in events if (e.release, e.version, e.key) not in have]

    def _never_mailed(self, keys: set[str]) -> set[str]:
        """Of the address *keys*, those the log has no delivery to, in any release."""
        if not keys:
            return set()
        mailed = rows_in(
            self.db, "SELECT DISTINCT email_key FROM deliveries WHERE email_key IN ({})", (),
            sorted(keys),
        )  # fmt: skip
        return keys - {key for (key,) in mailed}

    def _suppress_from(self, events: Iterable[Event]) -> int:
        first: dict[str, Event] = {}
        for event in sorted(events, key=lambda e: e.at):
            if event.suppression and event.key not in first:
                first[event.key] = event
        if not first:
            return 0
        already = {
            key
            for (key,) in rows_in(
                self.db,
                "SELECT email_key FROM suppressions WHERE email_key IN ({})",
                (),
                sorted(first),
            )
        }
        fresh = [e for key, e in first.items() if key not in already]
        self.db.executemany(
            "INSERT INTO suppressions (email_key, email, reason, at, detail) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (email_key) DO NOTHING",
            [(e.key, e.email, e.suppression, _iso(e.at), _detail(e)) for e in fresh],
        )
        return len(fresh)

    def outside_events(self) -> int:
        """How many events the log holds about addresses pressroom never mailed."""
        if not self.db.has_table("forgotten"):  # older than the step that marks them
            return 0
        return int(self.db.execute("SELECT count(*) FROM events WHERE outside=1").fetchone()[0])

    def events_of(self, release: str) -> list[Event]:
        """Every event matched to *release* (any version), oldest first."""
        return self._events("release=?", (release,))

    def events_to(self, email: str) -> list[Event]:
        """Every event about *email*, whatever release, oldest first."""
        return self._events("email_key=?", (email.strip().lower(),))

    def event_kinds_by_address(self, kinds: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Per address key, the latest event of one of *kinds*: (kind, time)."""
        marks = ", ".join("?" * len(kinds))
        latest: dict[str, tuple[str, str]] = {}
        for key, kind, at in self.db.execute(
            f"SELECT email_key, kind, at FROM events WHERE kind IN ({marks}) ORDER BY at",
            list(kinds),
        ):
            latest[key] = (kind, at)
        return latest

    def _events(self, where: str, params: Sequence[object]) -> list[Event]:
        rows = self.db.execute(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE {where} ORDER BY at, event_id", params
        )
        return [
            Event(
                event_id=i,
                kind=k,
                email=e,
                at=datetime.fromisoformat(a),
                release=r,
                version=v,
                message_id=m,
                url=u,
                reason=why,
                machine_open=bool(mo),
                raw=raw,
            )  # fmt: skip
            for i, k, e, a, r, v, m, u, why, mo, raw in rows
        ]

    def deliveries_to(self, email: str) -> list[tuple[str, Delivery]]:
        """Every row of the log for *email*: (release, row), oldest first."""
        rows = self.db.execute(
            "SELECT d.release, d.email, d.list_names, d.state, d.version, d.message_id, "
            "d.updated_at, d.reason, d.batch_id FROM delivery_states d LEFT JOIN versions v "
            "ON v.release=d.release AND v.version=d.version WHERE d.email_key=? "
            "ORDER BY v.first_planned_at, v.rowid",
            (email.strip().lower(),),
        )
        found = [(r, Delivery(e, json.loads(ls), *rest)) for r, e, ls, *rest in rows]
        shown = self._with_schedules([row for _r, row in found])
        return [(r, row) for (r, _old), row in zip(found, shown, strict=True)]

    def sends(self) -> list[SendSummary]:
        """Every release in the log, most recently planned first, with its rows per state."""
        versions = {
            release: (count, first, order)
            for release, count, first, order in self.db.execute(
                "SELECT release, count(*), min(first_planned_at), min(rowid) FROM versions "
                "GROUP BY release"
            )
        }
        states: dict[str, dict[str, int]] = {}
        last: dict[str, str] = {}
        # a cancelled scheduled send is kept as failed (to be planned again); say cancelled
        shown = "CASE WHEN state='failed' AND reason=? THEN 'cancelled' ELSE state END"
        for release, state, count, at in self.db.execute(
            f"SELECT release, {shown}, count(*), max(updated_at) FROM delivery_states "
            "GROUP BY release, 2",
            (CANCELLED,),
        ):
            states.setdefault(release, {})[state] = count
            last[release] = max(last.get(release, ""), at)
        for release, count in self._scheduled_counts().items():
            held = states.setdefault(release, {})  # held by the provider until their time
            held["accepted"] = held.get("accepted", 0) - count
            held["scheduled"] = count
            if not held["accepted"]:
                del held["accepted"]
        summaries = sorted(
            (
                (
                    first,
                    order,
                    SendSummary(
                        release, count, first, last.get(release, first), states.get(release, {})
                    ),
                )  # fmt: skip
                for release, (count, first, order) in versions.items()
            ),
            key=lambda item: (item[0], item[1]),
            reverse=True,
        )
        return [summary for _first, _order, summary in summaries]

    def suppression_details(self) -> dict[str, tuple[str, str, str | None]]:
        """Per address key: (reason, since, SendGrid's words or None)."""
        return {
            key: (reason, at, detail)
            for key, reason, at, detail in self.db.execute(
                "SELECT email_key, reason, at, detail FROM suppressions"
            )
        }


def _detail(event: Event) -> str:
    what = {"bounce": "hard bounce", "dropped": "dropped", "spamreport": "spam report"}
    text = what.get(event.kind, event.kind.replace("_", " "))
    return f"{text}: {event.reason}" if event.reason else text


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")

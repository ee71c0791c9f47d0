"""The plan of a send: who on the lists still needs this version, written into the log.

The lists' rows stream through and are never held: they are read in chunks
of :data:`CHUNK`; each chunk is compared with the log in three set-based
queries (this version's rows, earlier versions received, suppressions) and
its new or changed rows are written at once. What stays in memory is a
:class:`~pressroom.model.roster.Roster` (a small integer per address, so that
an address on two lists is planned once) and the counts. The whole plan is
one transaction: a list found invalid at its end (see
:class:`~pressroom.deliver.recipients.ListRows`) leaves the log as it was.

The methods are part of :class:`~pressroom.sendlog.SendLog` on both backends.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from pressroom.errors import UsageError
from pressroom.model.contacts import Recipient
from pressroom.model.roster import Roster
from pressroom.sendlog.bulk import Row, insert_rows
from pressroom.sendlog.keyed import rows_in
from pressroom.sendlog.records import DONE, Plan, stamp

if TYPE_CHECKING:
    from pressroom.sendlog.store import Connection

CHUNK = 1000
"""Rows compared with the log and written at a time."""
FIRST_KEPT = 20
"""Recipients a plan keeps to show (:attr:`Plan.first`) unless asked for more."""
ANALYZE_AFTER = 1000
"""Rows a plan writes beyond which the database's statistics are refreshed."""
MAY_CHANGE = ("planned", "failed", "suppressed")
"""The states a plan rewrites; a row claimed, finished or held is never touched."""
HELD = ("unknown", "in_flight")
"""An unknown outcome stays on record until its batch starts or is skipped."""

_UPDATE = (
    "UPDATE deliveries SET email=?, list_names=?, state=?, reason=?, updated_at=?, "
    "name=?, first_name=?, language=?, batch_id=NULL, message_id=NULL "
    "WHERE release=? AND version=? AND email_key=? AND state IN {over} AND ("
    "state IS DISTINCT FROM ? OR reason IS DISTINCT FROM ? OR email IS DISTINCT FROM ? "
    "OR list_names IS DISTINCT FROM ? OR name IS DISTINCT FROM ? "
    "OR first_name IS DISTINCT FROM ? OR language IS DISTINCT FROM ?)"
)


@dataclass
class _Sorting:
    """What one plan compares each chunk with, and how it was asked to sort them."""

    release: str
    version: str
    at: str
    correction: bool
    resend: bool
    skip: bool
    also_suppressed: Mapping[str, str]
    pseudonym: Callable[[str], str] | None
    keep: int | None
    first_send: bool = False
    """The log holds no row of the release yet: nothing to compare the rows with."""


class Planning:
    db: Connection

    if TYPE_CHECKING:

        def pseudonymiser(self) -> Callable[[str], str] | None: ...

    def plan(
        self,
        release: str,
        version: str,
        recipients: Iterable[Recipient],
        *,
        subject: str = "",
        artefacts: Mapping[str, str] | None = None,
        resend_unknown: bool = False,
        skip_unknown: bool = False,
        dry_run: bool = False,
        correction: bool = False,
        also_suppressed: Mapping[str, str] | None = None,
        keep: int | None = FIRST_KEPT,
    ) -> Plan:
        """Sort *recipients* for this *version*: to send, already sent, suppressed, unknown.

        *recipients* are rows of the lists, read once as they stream past: an
        address on several lists is planned once, with the first row's names
        and every list it is on. Whoever received an earlier version of the
        release is left out (:attr:`Plan.earlier`): nobody gets the same
        release twice unless *correction* says the new version is meant for
        them. Records the plan (``planned`` and ``suppressed`` rows, the
        version's *subject* and *artefacts* hashes) unless *dry_run*.
        *also_suppressed* adds suppressions kept elsewhere (the real log's, for
        an outbox rehearsal). ``skip_unknown`` marks unknown outcomes
        ``skipped`` (done, counted as received). The plan keeps the first
        *keep* recipients to send to (all of them if None) to show them.
        """
        if resend_unknown and skip_unknown:
            raise UsageError("choose either --resend-unknown or --skip-unknown, not both")
        plan = Plan(release, version)
        plan.unknown_action = "resend" if resend_unknown else "skip" if skip_unknown else "held"
        sorting = _Sorting(
            release,
            version,
            stamp(),
            correction,
            resend_unknown,
            skip_unknown,
            dict(also_suppressed or {}),
            self.pseudonymiser(),  # a forgotten address turning up again stays suppressed
            keep,
        )
        roster = Roster()
        chunks = _chunks(roster.firsts(recipients))
        sorting.first_send = not self._has_rows(release)
        with self.db.by_key():
            if dry_run:
                for chunk in chunks:
                    self._sort(plan, chunk, sorting)
            else:
                written = self._record(plan, chunks, roster, sorting, subject, artefacts)
                if written > ANALYZE_AFTER:
                    self.db.analyze("deliveries")  # claims then find rows by index, not by scan
        plan.lists = dict(roster.counts)
        plan.first = [roster.completed(recipient) for recipient in plan.first]
        return plan

    def _record(
        self,
        plan: Plan,
        chunks: Iterable[list[Recipient]],
        roster: Roster,
        sorting: _Sorting,
        subject: str,
        artefacts: Mapping[str, str] | None,
    ) -> int:
        """Sort and write every chunk, in one transaction; how many rows were written."""
        release, version = sorting.release, sorting.version
        written = 0
        with self.db.transaction():
            # another plan of the release (PostgreSQL) waits until this one is committed,
            # then sees its rows: a first send stays the only writer of its rows
            self.db.plan_lock(release)
            sorting.first_send = not self._has_rows(release)
            self.db.execute(
                "INSERT INTO versions (release, version, subject, artefacts_json, "
                "first_planned_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (release, version, subject, json.dumps(dict(artefacts or {})), sorting.at),
            )
            planned_before = not sorting.first_send and self._has_planned(release, version)
            with self.db.unchecked():  # the states written are the plan's own (.bulk)
                for chunk in chunks:
                    written += self._write(*self._sort(plan, chunk, sorting), sorting)
            if planned_before:
                self._drop_left(release, version, roster)
            self._join_lists(release, version, roster)
        return written

    def _sort(
        self, plan: Plan, chunk: list[Recipient], sorting: _Sorting
    ) -> tuple[list[Row], dict[str, str], list[str]]:
        """Count *chunk*'s rows into *plan*; the rows to write (with their state and
        reason), the log's states of the chunk's addresses, and the keys planned
        earlier that are no longer to be sent."""
        release, version = sorting.release, sorting.version
        keys = [recipient.key for recipient in chunk]
        states: dict[str, str] = {}
        earlier: set[str] = set()
        if not sorting.first_send:  # else the log has no row of the release to compare
            states = dict(
                rows_in(
                    self.db,
                    "SELECT email_key, state FROM delivery_states WHERE release=? AND version=? "
                    "AND email_key IN ({})",
                    (release, version),
                    keys,
                )
            )
            earlier = {
                key
                for (key,) in rows_in(
                    self.db,
                    "SELECT DISTINCT email_key FROM delivery_states WHERE release=? AND version<>? "
                    f"AND state IN {DONE} AND email_key IN ({{}})",
                    (release, version),
                    keys,
                )
            }
        aliases = {key: sorting.pseudonym(key) for key in keys} if sorting.pseudonym else {}
        suppressed = {
            **{k: sorting.also_suppressed[k] for k in keys if k in sorting.also_suppressed},
            **dict(
                rows_in(
                    self.db,
                    "SELECT email_key, reason FROM suppressions WHERE email_key IN ({})",
                    (),
                    keys + list(aliases.values()),
                )
            ),
        }
        writes: list[Row] = []
        dropped: list[str] = []
        if not states and not earlier:  # nothing in the log to compare: each row is new
            sending = []
            for recipient, key in zip(chunk, keys, strict=True):
                if key in suppressed or (aliases and aliases[key] in suppressed):
                    plan.suppressed += 1
                    reason = suppressed.get(key, "forgotten")
                    writes.append(_row(recipient, key, "suppressed", reason))
                else:
                    sending.append(recipient)
                    writes.append(_row(recipient, key, "planned", None))
            _count_sending(plan, sending, sorting.keep)
            return writes, states, dropped
        for recipient, key in zip(chunk, keys, strict=True):
            state = states.get(key)
            if state in DONE:
                plan.already_sent += 1
            elif key in suppressed or aliases.get(key) in suppressed:
                plan.suppressed += 1
                if state not in HELD:
                    writes.append(
                        _row(recipient, key, "suppressed", suppressed.get(key, "forgotten"))
                    )
            elif key in earlier and not sorting.correction:
                plan.earlier += 1
                if state == "planned":  # planned for a correction once; not any more
                    dropped.append(key)
            elif state == "in_flight":  # claimed by another sender, alive (PostgreSQL)
                plan.in_progress += 1
            elif state == "unknown":
                plan.unknown += 1
                if sorting.resend:
                    plan.resend.append(key)
                    self._to_send(plan, recipient, sorting)
                elif sorting.skip:
                    writes.append(_row(recipient, key, "skipped", "outcome unknown; marked done"))
            else:
                self._to_send(plan, recipient, sorting)
                writes.append(_row(recipient, key, "planned", None))
        return writes, states, dropped

    @staticmethod
    def _to_send(plan: Plan, recipient: Recipient, sorting: _Sorting) -> None:
        _count_sending(plan, [recipient], sorting.keep)

    def _write(
        self, writes: list[Row], states: dict[str, str], dropped: list[str], sorting: _Sorting
    ) -> int:
        """Write one chunk's rows: new ones inserted, changed ones updated; how many."""
        release, version, at = sorting.release, sorting.version, sorting.at
        if dropped:
            self._drop(release, version, dropped)
        new = [row for row in writes if row[0] not in states] if states else writes
        written = insert_rows(self.db, release, version, at, new, fresh=sorting.first_send)
        if len(new) == len(writes):
            return written

        def change(row: Row) -> tuple[object, ...]:
            key, email, lists, state, reason, name, first_name, language = row
            values = (email, lists, state, reason, at, name, first_name, language)
            return values + (release, version, key, state, reason, email, lists) + values[5:]

        for over, wanted in ((MAY_CHANGE, ("planned", "suppressed")), (HELD[:1] * 2, ("skipped",))):
            written += self.db.executemany(
                _UPDATE.format(over=over),
                [change(row) for row in writes if row[0] in states and row[3] in wanted],
            )
        return written

    def _has_rows(self, release: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM deliveries WHERE release=? LIMIT 1", (release,)
        ).fetchone()
        return row is not None

    def _has_planned(self, release: str, version: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM deliveries WHERE release=? AND version=? AND batch_id IS NULL "
            "AND state='planned' LIMIT 1",
            (release, version),
        ).fetchone()
        return row is not None

    def _drop_left(self, release: str, version: str, roster: Roster) -> None:
        """Delete the rows planned by an earlier run for addresses no longer on the lists
        (someone left a list, say): read in pages of keys, never all at once."""
        last = ""
        while True:
            keys = [
                key
                for (key,) in self.db.execute(
                    "SELECT email_key FROM deliveries WHERE release=? AND version=? "
                    "AND state='planned' AND email_key>? ORDER BY email_key LIMIT ?",
                    (release, version, last, CHUNK),
                ).fetchall()
            ]
            if not keys:
                return
            self._drop(release, version, [key for key in keys if key not in roster])
            last = keys[-1]

    def _drop(self, release: str, version: str, keys: Sequence[str]) -> None:
        self.db.executemany(
            "DELETE FROM deliveries WHERE release=? AND version=? AND email_key=? "
            "AND state='planned'",
            [(release, version, key) for key in keys],
        )

    def _join_lists(self, release: str, version: str, roster: Roster) -> None:
        """Name every list on the rows of addresses found on more than one (their
        first row, written when it was read, named only its own)."""
        self.db.executemany(
            "UPDATE deliveries SET list_names=? WHERE release=? AND version=? AND email_key=? "
            "AND state IN ('planned', 'suppressed') AND list_names IS DISTINCT FROM ?",
            (
                (json.dumps(lists), release, version, key, json.dumps(lists))
                for key, lists in roster.joined()
            ),
        )


@lru_cache(maxsize=256)
def _lists_json(lists: tuple[str, ...]) -> str:
    """The ``list_names`` of a row: a list's rows all name the same lists, so each
    combination is written as JSON once, not once a row."""
    return json.dumps(list(lists))


def _count_sending(plan: Plan, recipients: list[Recipient], keep: int | None) -> None:
    """Count *recipients* (in plan order) into *plan* as to be sent."""
    plan.to_send += len(recipients)
    languages = plan.languages
    for recipient in recipients:
        language = recipient.language or ""
        languages[language] = languages.get(language, 0) + 1
    room = len(recipients) if keep is None else keep - len(plan.first)
    if room > 0:
        plan.first += recipients[:room]


def _row(recipient: Recipient, key: str, state: str, reason: str | None) -> Row:
    """The row written for *recipient* (see :data:`.bulk.Row`)."""
    lists = _lists_json(tuple(recipient.lists))
    name, first_name = recipient.name, recipient.first_name
    return key, recipient.email, lists, state, reason, name, first_name, recipient.language or ""


def _chunks(rows: Iterable[Recipient]) -> Iterator[list[Recipient]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield chunk

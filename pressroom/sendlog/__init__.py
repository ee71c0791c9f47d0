"""The send log: who was sent which version of a release, and what became of it.

One interface (:class:`SendLog`, from :func:`open_log`), two backends: an
SQLite file in the room (``.pressroom/pressroom.db``, the default) and
PostgreSQL. The log keeps one row per release, version and address.
``version`` is the caller's hash of the exact artefacts sent, so an edited
release is a new version. A delivery moves through

    planned -> in_flight -> accepted | failed | unknown

and may be ``suppressed`` (never planned) or ``skipped`` (an unknown outcome the
user marked done with ``--skip-unknown``). Nothing becomes ``accepted`` unless
:meth:`SendLog.accept_batch` says so; it writes that on the batch alone, whose
rows keep ``in_flight`` and read as ``accepted`` through the view
``delivery_states``, which every reader of a state uses.

What a kill -9 leaves: every change is its own transaction, committed before
the caller acts on it, and rows become ``in_flight`` before the request
leaves. So a killed sender leaves at most its current batch ``in_flight``;
once that sender is known to be dead its rows become ``unknown`` and are
neither re-sent nor dropped until the user says which (``resend_unknown`` /
``skip_unknown``). A batch's end (accepted, failed, unknown) is committed
without waiting for the disk: a crash of the machine or the database server
may undo it, which leaves the batch in flight, so unknown, never re-sent; the
next claim, which waits, flushes it with it (the journal is written in order).

What each backend guarantees:

- SQLite (:mod:`.sqlite`): WAL with ``synchronous=FULL`` (``NORMAL`` for a
  batch's end); one sending process per room, held by an operating-system
  lock that dies with its process (so the next writer knows every in-flight
  row is a dead sender's). A read-only log takes no lock and may read while a
  send runs.
- PostgreSQL (:mod:`.postgres`): any number of senders at once, on any
  machines. A sender claims each batch in the database (``SELECT ... FOR
  UPDATE SKIP LOCKED``, committed ``in_flight`` with its sender number), so
  two senders never claim the same row, and holds a session advisory lock
  for as long as it lives; the server drops that lock when the sender's
  connection dies (kill -9, a crash, a cut cable), which is how the others
  know a claim is dead. A dead sender's batch becomes ``unknown`` the next
  time any sender opens or closes the log. A live sender's batch is never
  touched: another's plan counts it as ``in_progress``.

Both: the schema is versioned (:mod:`.schema`, one ordered list of steps)
and brought up to date on first use or by ``pressroom db migrate``; a log
of a newer schema is refused, never written.

The files: :mod:`.records` (what the log hands out), :mod:`.location` (which
log: a file or a URL, never a shown password), :mod:`.schema`,
:mod:`.store` (the logic, once, over a connection adapter; a new feature is
a schema step plus methods there or in a mixin beside it, as
:mod:`.planning` (the plan of a send, the lists streamed through it),
:mod:`.batches` (claims and their ends), :mod:`.feedback`,
:mod:`.approvals`), :mod:`.sqlite`, :mod:`.postgres`, :mod:`.transfer`
(migrate, copy to PostgreSQL), :mod:`.export` (CSV), :mod:`.keyed` (rows for
many keys at once). No secret is ever stored.
"""

from __future__ import annotations

from pathlib import Path

from pressroom.sendlog.location import Location, room_log
from pressroom.sendlog.records import (
    CANCELLED,
    Approval,
    Delivery,
    Pending,
    Plan,
    Schedule,
    SuppressionReason,
    VersionSummary,
)
from pressroom.sendlog.schema import SCHEMA_VERSION
from pressroom.sendlog.store import SendLog

__all__ = [
    "Approval",
    "CANCELLED",
    "SCHEMA_VERSION",
    "Delivery",
    "Location",
    "Pending",
    "Plan",
    "Schedule",
    "SendLog",
    "SuppressionReason",
    "VersionSummary",
    "open_log",
    "room_log",
]


def open_log(where: Location | Path, *, read_only: bool = False, events: bool = False) -> SendLog:
    """Open the send log at *where* (see :func:`room_log`), creating and migrating it.

    A sender (neither *read_only* nor *events*) first marks the batches of
    dead senders ``unknown``. *events* (the event receiver) writes events and
    suppressions while sends run. Close it, or use ``with``.
    """
    if isinstance(where, Path):
        where = Location(path=where)
    if where.url:
        from pressroom.sendlog.postgres import open_postgres

        return open_postgres(where.url, read_only=read_only, events=events)
    from pressroom.sendlog.sqlite import open_sqlite

    assert where.path is not None
    return open_sqlite(where.path, read_only=read_only, events=events)

"""The send log: who was sent which version of a release, and what became of it.

One interface (:class:`SendLog`, from :func:`open_log`), two backends: an
SQLite file in the room (``.pressroom/pressroom.db``, the default) and
PostgreSQL. The log keeps one row per release, version and address.
``version`` is the caller's hash of the exact artefacts sent, so an edited
release is a new version. A delivery moves through

    planned -> in_flight -> accepted | failed | unknown

and may be ``suppressed`` (never planned) or ``skipped`` (an unknown outcome the
user marked done with ``--skip-unknown``). Nothing becomes ``accepted`` unless
:meth:`SendLog.accept_batch` says so.

What a kill -9 leaves: every change is its own transaction, committed before
the caller acts on it, and rows become ``in_flight`` before the request
leaves. So a killed sender leaves at most its current batch ``in_flight``;
once that sender is known to be dead its rows become ``unknown`` and are
neither re-sent nor dropped until the user says which (``resend_unknown`` /
``skip_unknown``).

What each backend guarantees:

- SQLite (:mod:`.sqlite`): WAL with ``synchronous=FULL``; one sending process
  per room, held by an operating-system lock that dies with its process (so
  the next writer knows every in-flight row is a dead sender's). A read-only
  log takes no lock and may read while a send runs.

The files: :mod:`.records` (what the log hands out), :mod:`.schema` (the
versioned migrations), :mod:`.store` (the logic, once, over a connection
adapter), :mod:`.sqlite`, :mod:`.export` (CSV). No secret is ever stored.
"""

from __future__ import annotations

from pressroom.sendlog.records import Delivery, Plan, Schedule, SuppressionReason, VersionSummary
from pressroom.sendlog.schema import SCHEMA_VERSION
from pressroom.sendlog.store import SendLog

__all__ = [
    "SCHEMA_VERSION",
    "Delivery",
    "Plan",
    "Schedule",
    "SendLog",
    "SuppressionReason",
    "VersionSummary",
]

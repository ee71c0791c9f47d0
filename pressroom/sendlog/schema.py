"""The send log's tables: one ordered list of versioned migration steps.

Step *n* takes a log from schema version *n - 1* to *n*; a new log runs them
all. Each step holds its SQL for SQLite and, where the dialects differ, for
PostgreSQL. To add a table or a column: append a :class:`Step` (never edit a
released one), then the methods that use it in :mod:`.store`.

SQLite records the version in ``PRAGMA user_version`` (logs written before
this package existed keep working); PostgreSQL in the ``pressroom_schema``
table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dialect = Literal["sqlite", "postgresql"]


@dataclass(frozen=True)
class Step:
    version: int
    what: str
    sqlite: str
    postgresql: str | None = None
    """``None``: the SQLite text works unchanged on PostgreSQL."""

    def sql(self, dialect: Dialect) -> list[str]:
        """The statements of this step in *dialect*, one by one."""
        text = self.postgresql if dialect == "postgresql" and self.postgresql else self.sqlite
        return [s.strip() for s in text.split(";") if s.strip()]


_V1_TABLES = """
CREATE TABLE versions (
    {rowid}release TEXT NOT NULL, version TEXT NOT NULL, subject TEXT NOT NULL,
    artefacts_json TEXT NOT NULL, first_planned_at TEXT NOT NULL,
    PRIMARY KEY (release, version));
CREATE TABLE batches (
    batch_id {serial}, release TEXT NOT NULL, version TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_flight', 'accepted', 'failed', 'unknown')),
    size INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
    message_id TEXT, reason TEXT);
CREATE TABLE deliveries (
    release TEXT NOT NULL, version TEXT NOT NULL, email_key TEXT NOT NULL,
    email TEXT NOT NULL, list_names TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN
        ('planned', 'in_flight', 'accepted', 'failed', 'suppressed', 'unknown', 'skipped')),
    batch_id {batch_ref} REFERENCES batches, message_id TEXT, reason TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (release, version, email_key));
CREATE INDEX deliveries_batch ON deliveries (batch_id);
CREATE TABLE suppressions (
    email_key TEXT PRIMARY KEY, email TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('unsubscribe', 'bounce', 'manual')), at TEXT NOT NULL);
"""

_V2_SCHEDULES = """
ALTER TABLE batches ADD COLUMN schedule_id TEXT;
CREATE TABLE schedules (
    {rowid}schedule_id TEXT PRIMARY KEY, release TEXT NOT NULL, version TEXT NOT NULL,
    send_at TEXT NOT NULL, transport TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('scheduled', 'cancelled')), created_at TEXT NOT NULL);
"""

_V3_EVENTS = """
CREATE TABLE events (
    event_id TEXT PRIMARY KEY, kind TEXT NOT NULL, email_key TEXT NOT NULL, email TEXT NOT NULL,
    at TEXT NOT NULL, release TEXT, version TEXT, message_id TEXT, url TEXT, reason TEXT,
    machine_open INTEGER NOT NULL DEFAULT 0, received_at TEXT NOT NULL, raw TEXT NOT NULL);
CREATE INDEX events_release ON events (release, version, email_key);
CREATE INDEX events_email ON events (email_key);
"""
# SQLite cannot change a CHECK constraint in place: the table is copied.
_V3_SUPPRESSIONS_SQLITE = """
CREATE TABLE suppressions_3 (
    email_key TEXT PRIMARY KEY, email TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN
        ('unsubscribe', 'bounce', 'manual', 'spamreport', 'invalid')),
    at TEXT NOT NULL, detail TEXT);
INSERT INTO suppressions_3 (email_key, email, reason, at)
    SELECT email_key, email, reason, at FROM suppressions;
DROP TABLE suppressions;
ALTER TABLE suppressions_3 RENAME TO suppressions;
"""
_V3_SUPPRESSIONS_POSTGRESQL = """
ALTER TABLE suppressions DROP CONSTRAINT suppressions_reason_check;
ALTER TABLE suppressions ADD CONSTRAINT suppressions_reason_check CHECK (reason IN
    ('unsubscribe', 'bounce', 'manual', 'spamreport', 'invalid'));
ALTER TABLE suppressions ADD COLUMN detail TEXT;
"""

# SQLite keeps insertion order in every table's hidden rowid; PostgreSQL gets a
# column of that name, so the same queries can ORDER BY rowid on both.
_PG_ROWID = "rowid BIGSERIAL NOT NULL, "

_V4_CLAIMS = """
ALTER TABLE deliveries ADD COLUMN name TEXT;
ALTER TABLE deliveries ADD COLUMN first_name TEXT;
ALTER TABLE batches ADD COLUMN sender BIGINT;
{extra}
"""

_V5_APPROVALS = """
CREATE TABLE approvals (
    {rowid}release TEXT NOT NULL, version TEXT NOT NULL, approver TEXT NOT NULL,
    at TEXT NOT NULL, PRIMARY KEY (release, version, approver));
"""

_V6_PENDING = """
CREATE TABLE pending_sends (
    {rowid}pending_id TEXT PRIMARY KEY, release TEXT NOT NULL, version TEXT NOT NULL,
    send_at TEXT NOT NULL, lists_json TEXT NOT NULL, tags_json TEXT NOT NULL,
    correction INTEGER NOT NULL, skip_invalid INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'dispatched', 'cancelled', 'held')),
    reason TEXT, created_at TEXT NOT NULL);
CREATE INDEX pending_sends_state ON pending_sends (state, send_at);
"""

_V8_KEYS = """
CREATE TABLE log_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# A batch's rows keep ``in_flight`` once the provider accepted it: the outcome is
# written once, on the batch, not on each of its thousand rows. Failures and
# unknown outcomes are still written on the rows (the plan reads them there).
_V10_STATES = """
CREATE VIEW delivery_states AS
SELECT d.release, d.version, d.email_key, d.email, d.list_names, d.name, d.first_name,
    d.batch_id,
    CASE WHEN {settled} THEN b.state ELSE d.state END AS state,
    CASE WHEN {settled} THEN COALESCE(d.message_id, b.message_id) ELSE d.message_id END
        AS message_id,
    CASE WHEN {settled} THEN b.reason ELSE d.reason END AS reason,
    CASE WHEN {settled} THEN b.finished_at ELSE d.updated_at END AS updated_at
FROM deliveries d LEFT JOIN batches b ON b.batch_id = d.batch_id
""".format(settled="d.state = 'in_flight' AND b.state <> 'in_flight'")

# The first and last rowid of a batch's rows (in plan order): its rows are found
# through the table's order, with no index on the batch. A row in flight belongs
# to a batch; one that did not (none was written so) is made unknown once, here,
# instead of looked for, through the whole table, each time a sender opens the log.
_V10_RANGES = """
ALTER TABLE batches ADD COLUMN first_row BIGINT;
ALTER TABLE batches ADD COLUMN last_row BIGINT;
UPDATE deliveries SET state = 'unknown',
    reason = 'in flight outside any batch when the log was upgraded'
    WHERE batch_id IS NULL AND state = 'in_flight';
"""

# What an approval covered (file -> hash) and the text it read, so that the next
# approval names the files that changed and shows the words; each approver's
# personal secret, as a salted scrypt hash only.
_V11_COVERED = """
ALTER TABLE approvals ADD COLUMN manifest_json TEXT;
ALTER TABLE approvals ADD COLUMN text TEXT;
ALTER TABLE versions ADD COLUMN manifest_json TEXT;
CREATE TABLE approver_secrets (
    approver TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, invited_at TEXT NOT NULL);
"""

# Events about mail pressroom did not send (a shared SendGrid account) are marked,
# and forgotten people are known by their pseudonym alone (earlier forgets are in
# the suppressions already), so late events about them are stored under it.
_V12_OUTSIDE_FORGOTTEN = """
ALTER TABLE events ADD COLUMN outside INTEGER NOT NULL DEFAULT 0;
CREATE TABLE forgotten (pseudonym TEXT PRIMARY KEY, at TEXT NOT NULL);
INSERT INTO forgotten (pseudonym, at)
    SELECT email_key, at FROM suppressions WHERE email_key LIKE 'forgotten:%'
"""

# The language each recipient gets (releases/<name>.<lang>.yaml): fixed in the plan, so
# that a resumed send gives everyone the language it planned; '' on rows written before.
_V13_LANGUAGES = """
ALTER TABLE deliveries ADD COLUMN language TEXT NOT NULL DEFAULT '';
DROP VIEW delivery_states;
""" + _V10_STATES.replace("d.batch_id,\n", "d.batch_id, d.language,\n")

STEPS: tuple[Step, ...] = (
    Step(
        1,
        "versions, batches, deliveries, suppressions",
        _V1_TABLES.format(
            rowid="", serial="INTEGER PRIMARY KEY AUTOINCREMENT", batch_ref="INTEGER"
        ),
        _V1_TABLES.format(rowid=_PG_ROWID, serial="BIGSERIAL PRIMARY KEY", batch_ref="BIGINT"),
    ),
    Step(
        2,
        "scheduled sends (send --at, send --cancel)",
        _V2_SCHEDULES.format(rowid=""),
        _V2_SCHEDULES.format(rowid=_PG_ROWID),
    ),
    Step(
        3,
        "SendGrid's events; suppressions from spam reports and invalid addresses, with detail",
        _V3_EVENTS + _V3_SUPPRESSIONS_SQLITE,
        _V3_EVENTS + _V3_SUPPRESSIONS_POSTGRESQL,
    ),
    Step(
        4,
        "batches claimed by a sender; the message's names kept with each planned row",
        # SQLite's index ends in the rowid, so claims read planned rows in order
        _V4_CLAIMS.format(
            extra="CREATE INDEX deliveries_state ON deliveries (release, version, state);"
        ),
        _V4_CLAIMS.format(
            extra="ALTER TABLE deliveries ADD COLUMN rowid BIGSERIAL NOT NULL;\n"
            "CREATE INDEX deliveries_state ON deliveries (release, version, state, rowid);\n"
            "CREATE SEQUENCE senders;"
        ),
    ),
    Step(
        5,
        "approvals of a release's exact version (pressroom approve)",
        _V5_APPROVALS.format(rowid=""),
        _V5_APPROVALS.format(rowid=_PG_ROWID),
    ),
    Step(
        6,
        "sends scheduled beyond the provider's window, for pressroom dispatch",
        _V6_PENDING.format(rowid=""),
        _V6_PENDING.format(rowid=_PG_ROWID),
    ),
    Step(
        7,
        "events indexed so that a batch appends (by release and version, in arrival order)",
        # An index ending in a random key (the address) made each batch of events
        # rewrite pages all over it: the store slowed as the log grew (bench/events.py).
        # By address, events are read only by `log --to` and `contacts`: a scan.
        "DROP INDEX events_email; DROP INDEX events_release; "
        "CREATE INDEX events_release ON events (release, version)",
    ),
    Step(
        8,
        "the key of forgotten addresses' pseudonyms (pressroom contacts forget)",
        _V8_KEYS,
    ),
    Step(
        9,
        "claims find unclaimed rows through an index of those alone, which a finished "
        "batch leaves untouched",
        # A batch's rows are written twice, in flight then finished; an index on the
        # state made both writes index every row again. Indexed by whether a batch has
        # them, a row leaves the index when claimed and the finishing write touches no
        # index: on PostgreSQL it can stay on its page (a HOT update), given room there.
        "DROP INDEX deliveries_state; "
        "CREATE INDEX deliveries_unclaimed ON deliveries (release, version) "
        "WHERE batch_id IS NULL",
        "DROP INDEX deliveries_state; "
        "CREATE INDEX deliveries_unclaimed ON deliveries (release, version, rowid) "
        "WHERE batch_id IS NULL; "
        "ALTER TABLE deliveries SET (fillfactor = 70)",
    ),
    Step(
        10,
        "a batch's acceptance written on the batch alone (each row's state read through "
        "the view delivery_states); a batch knows the span of its rows",
        _V10_RANGES + _V10_STATES,
        # PostgreSQL: a claim writes no index, so each row's new version stays on its
        # page (a HOT update; the pages are left half empty for it): rows are found in
        # plan order from where the last claim stopped, a batch's rows by its span.
        # The foreign key went too: its check cost a lookup per row of every claim,
        # and the batch a row names is always the one its claim just made.
        "ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_batch_id_fkey; "
        "DROP INDEX deliveries_batch; DROP INDEX deliveries_unclaimed; "
        "CREATE INDEX deliveries_order ON deliveries (release, version, rowid); "
        "ALTER TABLE deliveries SET (fillfactor = 50); " + _V10_RANGES + _V10_STATES,
    ),
    Step(
        11,
        "what each approval covered (the files and their hashes, the text read) and "
        "approvers' personal secrets (hashed)",
        _V11_COVERED,
    ),
    Step(
        12,
        "events about addresses pressroom never mailed marked; forgotten people's "
        "pseudonyms kept, for their late events",
        _V12_OUTSIDE_FORGOTTEN,
    ),
    Step(13, "the language each recipient gets (a release's translations)", _V13_LANGUAGES),
)

STATES_VIEW = 10
"""The step that made the view ``delivery_states``, through which states are read."""
LANGUAGES = 13
"""The step that gave each delivery its ``language``."""
OLD_STATES_VIEW = "CREATE TEMP VIEW delivery_states AS SELECT *, '' AS language FROM deliveries"
"""The same view for a log older than that step opened read-only, so not upgraded
(a reader never writes): each of its rows still holds its own state."""


def reader_view(version: int, schema: str) -> str | None:
    """The temporary view a reader of a log at *version* (not upgraded: a reader never
    writes) reads states through, in place of the log's own (*schema*: where the
    log's tables are); None when the log's own view has every column."""
    if version < STATES_VIEW:
        return OLD_STATES_VIEW
    if version < LANGUAGES:
        return (
            "CREATE TEMP VIEW delivery_states AS SELECT *, '' AS language "
            f"FROM {schema}.delivery_states"
        )
    return None


SCHEMA_VERSION = STEPS[-1].version
"""The schema this pressroom writes; a log of a newer one is refused."""
assert [s.version for s in STEPS] == list(range(1, SCHEMA_VERSION + 1))


def steps_after(version: int) -> list[Step]:
    """The steps that take a log at *version* to :data:`SCHEMA_VERSION`, in order."""
    return [s for s in STEPS if s.version > version]

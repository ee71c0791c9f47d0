"""The send log on real SQLite files and a real PostgreSQL: lifecycle, resume after kill -9,
locking and claims, refusals, migrations.

Every test of a guarantee takes ``where`` and runs on both backends; the tests
of what only one backend has (SQLite's file and lock) take ``db``.
"""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pressroom.errors import SendLogError, UsageError
from pressroom.model.contacts import Recipient
from pressroom.sendlog import SCHEMA_VERSION, Location, SendLog, open_log
from tests.conftest import NOW, REPO, wait_for_sessions_to_end

ANA = Recipient(email="Ana@Ledger.example", lists=["tech", "policy"])
BEN = Recipient(email="ben@wire.example", lists=["tech"])
CARL = Recipient(email="carl@post.example", lists=["policy"])
EVERYONE = [ANA, BEN, CARL]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "room" / ".pressroom" / "pressroom.db"


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, db: Path) -> Location:
    if request.param == "sqlite":
        return Location(path=db)
    return Location(url=request.getfixturevalue("postgres_url"))


@pytest.fixture
def log(where: Location):
    with open_log(where) as opened:
        yield opened


def keys(recipients: list[Recipient]) -> list[str]:
    return [r.key for r in recipients]


def states(log: SendLog, release: str = "launch") -> dict[str, str]:
    return {d.key: d.state for d in log.report(release)}


def run_script(where: Location | Path, body: str) -> subprocess.CompletedProcess[str]:
    """Run *body* in a fresh Python process with ``log`` opened on *where*."""
    if isinstance(where, Path):
        where = Location(path=where)
    opening = (
        f"Location(url={where.url!r})" if where.url else f"Location(path=Path({str(where.path)!r}))"
    )
    script = (
        "from pathlib import Path\n"
        "from pressroom.model.contacts import Recipient\n"
        "from pressroom.sendlog import Location, open_log\n"
        f"log = open_log({opening})\n" + textwrap.dedent(body)
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    if where.url:
        wait_for_sessions_to_end(where.url)
    return result


def test_open_creates_the_folder_and_a_wal_database(db):
    SendLog.open(db).close()
    assert db.exists()
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_full_lifecycle(log):
    plan = log.plan("launch", "v1", EVERYONE, subject="Launch", artefacts={"release.pdf": "ab12"})
    assert plan.to_send == 3
    assert keys(plan.first) == ["ana@ledger.example", "ben@wire.example", "carl@post.example"]
    assert set(states(log).values()) == {"planned"}

    first = log.start_batch("launch", "v1", ["ana@ledger.example", "ben@wire.example"])
    second = log.start_batch("launch", "v1", ["carl@post.example"])
    assert set(states(log).values()) == {"in_flight"}
    log.accept_batch(first, "msg-1")
    log.fail_batch(second, "500 Internal Server Error")

    rows = {d.key: d for d in log.report("launch")}
    assert rows["ana@ledger.example"].state == "accepted"
    assert rows["ana@ledger.example"].message_id == "msg-1"
    assert rows["ana@ledger.example"].email == "Ana@Ledger.example"
    assert rows["ana@ledger.example"].lists == ["tech", "policy"]
    assert rows["ana@ledger.example"].at == NOW
    assert rows["carl@post.example"].state == "failed"
    assert rows["carl@post.example"].reason == "500 Internal Server Error"

    retry = log.plan("launch", "v1", EVERYONE)
    assert keys(retry.first) == ["carl@post.example"]
    assert (retry.to_send, retry.already_sent) == (1, 2)
    log.accept_batch(log.start_batch("launch", "v1", ["carl@post.example"]), "msg-2")

    again = log.plan("launch", "v1", EVERYONE)
    assert (again.to_send, again.already_sent, again.first) == (0, 3, [])
    [v1] = log.previous_versions("launch")
    assert (v1.version, v1.subject, v1.artefacts, v1.accepted) == (
        "v1",
        "Launch",
        {"release.pdf": "ab12"},
        3,
    )


def test_an_accepted_address_cannot_be_put_in_flight_again(log):
    log.plan("launch", "v1", EVERYONE)
    log.accept_batch(log.start_batch("launch", "v1", ["ben@wire.example"]), "msg-1")
    with pytest.raises(SendLogError, match="ben@wire.example"):
        log.start_batch("launch", "v1", ["ana@ledger.example", "ben@wire.example"])
    with pytest.raises(SendLogError, match="nobody@x.example"):
        log.start_batch("launch", "v1", ["nobody@x.example"])
    # the refused batch changed nothing
    assert states(log)["ana@ledger.example"] == "planned"


def test_a_batch_can_be_finished_only_once(log):
    log.plan("launch", "v1", [ANA])
    batch = log.start_batch("launch", "v1", [ANA.key])
    log.unknown_batch(batch, "timed out after 30 s")
    with pytest.raises(SendLogError, match="not in flight"):
        log.accept_batch(batch, "late")
    assert states(log) == {ANA.key: "unknown"}


def test_a_new_version_goes_to_new_recipients_only_unless_it_is_a_correction(log):
    log.plan("launch", "v1", [ANA, BEN])
    log.accept_batch(log.start_batch("launch", "v1", [ANA.key, BEN.key]), "msg-1")

    plan = log.plan("launch", "v2", EVERYONE)
    assert keys(plan.first) == [CARL.key]
    assert (plan.to_send, plan.earlier) == (1, 2)
    assert states(log) == {ANA.key: "accepted", BEN.key: "accepted", CARL.key: "planned"}
    correction = log.plan("launch", "v2", [ANA, BEN], correction=True, dry_run=True)
    assert keys(correction.first) == [ANA.key, BEN.key] and correction.earlier == 0
    assert [(v.version, v.accepted) for v in log.previous_versions("launch")] == [
        ("v1", 2),
        ("v2", 0),
    ]
    assert keys(log.recipients_of("launch", "v1")) == [ANA.key, BEN.key]
    assert log.recipients_of("launch", "v2") == []
    assert log.previous_versions("other") == []


def test_suppressed_addresses_are_never_planned(log):
    log.suppress("CARL@post.example", "unsubscribe")
    assert log.is_suppressed("carl@POST.example")
    assert not log.is_suppressed(ANA.email)
    plan = log.plan("launch", "v1", EVERYONE)
    assert (plan.suppressed, plan.to_send) == (1, 2)
    assert CARL.key not in keys(plan.first)
    [carl] = [d for d in log.report("launch") if d.key == CARL.key]
    assert (carl.state, carl.reason) == ("suppressed", "unsubscribe")
    with pytest.raises(SendLogError):
        log.start_batch("launch", "v1", [CARL.key])
    with pytest.raises(UsageError):
        log.suppress("x@y.example", "dislike")  # type: ignore[arg-type]


def test_a_dry_run_plan_writes_nothing(log):
    log.suppress(CARL.email, "bounce")
    plan = log.plan("launch", "v1", EVERYONE, dry_run=True)
    assert plan.to_send == 2
    assert log.report("launch") == [] and log.previous_versions("launch") == []


KILLED_MID_BATCH = """\
    import os, signal
    log.plan("launch", "v1", [Recipient(email=e) for e in ("a@x.example", "b@x.example", "c@x.example")])
    log.accept_batch(log.start_batch("launch", "v1", ["a@x.example"]), "msg-1")
    log.start_batch("launch", "v1", ["b@x.example"])
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_after_kill_9_an_in_flight_batch_is_unknown_never_resent_nor_dropped(where):
    result = run_script(where, KILLED_MID_BATCH)
    assert result.returncode == -9, result.stderr
    everyone = [Recipient(email=e) for e in ("a@x.example", "b@x.example", "c@x.example")]

    with open_log(where) as log:  # the dead process's lock is gone
        assert states(log) == {
            "a@x.example": "accepted",
            "b@x.example": "unknown",
            "c@x.example": "planned",
        }
        [b] = [d for d in log.report("launch") if d.key == "b@x.example"]
        assert "stopped while this batch was in flight" in (b.reason or "")

        held = log.plan("launch", "v1", everyone)
        assert (held.unknown, held.resend) == (1, [])
        assert keys(held.first) == ["c@x.example"]
        assert held.unknown_action == "held"
        assert states(log)["b@x.example"] == "unknown"  # still held for the user to decide

        resend = log.plan("launch", "v1", everyone, resend_unknown=True)
        assert resend.to_send == 2 and resend.resend == ["b@x.example"]
        assert keys(resend.first) == ["b@x.example", "c@x.example"]
        assert states(log)["b@x.example"] == "unknown"  # until its batch starts
        log.accept_batch(log.start_batch("launch", "v1", keys(resend.first)), "msg-2")
        assert set(states(log).values()) == {"accepted"}


def test_skip_unknown_marks_them_done(where):
    assert run_script(where, KILLED_MID_BATCH).returncode == -9
    everyone = [Recipient(email=e) for e in ("a@x.example", "b@x.example", "c@x.example")]
    with open_log(where) as log:
        with pytest.raises(UsageError):
            log.plan("launch", "v1", everyone, resend_unknown=True, skip_unknown=True)
        plan = log.plan("launch", "v1", everyone, skip_unknown=True)
        assert (plan.unknown, plan.to_send) == (1, 1) and keys(plan.first) == ["c@x.example"]
        assert states(log)["b@x.example"] == "skipped"
        after = log.plan("launch", "v1", everyone)
        assert (after.unknown, after.already_sent) == (0, 2)
        assert keys(log.recipients_of("launch", "v1")) == ["a@x.example", "b@x.example"]


def test_a_second_process_cannot_send_while_one_is(db):
    with SendLog.open(db) as log:
        log.plan("launch", "v1", [ANA])
        batch = log.start_batch("launch", "v1", [ANA.key])
        result = run_script(db, "")
        assert result.returncode == 1
        assert "another pressroom process is sending from this room" in result.stderr
        assert "SendLogError" in result.stderr
        # a reader may look meanwhile, and does not turn the batch into unknown
        with SendLog.open(db, read_only=True) as looking:
            assert states(looking) == {ANA.key: "in_flight"}
            with pytest.raises(SendLogError, match="cannot be written"):
                looking.suppress("x@y.example", "manual")
        log.accept_batch(batch, "msg-1")
    with SendLog.open(db) as log:
        assert states(log) == {ANA.key: "accepted"}


def test_a_newer_schema_is_refused(db):
    SendLog.open(db).close()
    with sqlite3.connect(db) as raw:
        raw.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(SendLogError, match="written by a newer pressroom .* upgrade pressroom"):
        SendLog.open(db)
    # refusing released the lock
    with pytest.raises(SendLogError, match="newer"):
        SendLog.open(db)


def test_a_file_that_is_not_sqlite_is_refused_naming_it(db):
    db.parent.mkdir(parents=True)
    db.write_text("email,name\nana@ledger.example,Ana\n" * 20)
    with pytest.raises(SendLogError) as caught:
        SendLog.open(db)
    assert str(caught.value).startswith(f"{db}: not a pressroom send log")


def test_another_programs_database_is_refused(db):
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as raw:
        raw.execute("CREATE TABLE notes (text)")
    with pytest.raises(SendLogError, match="another program"):
        SendLog.open(db)


def test_csv_export(log):
    log.plan("launch", "v1", [ANA, BEN])
    log.accept_batch(log.start_batch("launch", "v1", [ANA.key]), "msg-1")
    out = io.StringIO()
    log.write_csv("launch", out)
    assert out.getvalue().splitlines() == [
        "email,lists,state,message_id,at,version,reason,batch_id,language",
        f"Ana@Ledger.example,tech;policy,accepted,msg-1,{NOW},v1,,1,",  # no language planned
        f"ben@wire.example,tech,planned,,{NOW},v1,,,",
    ]


def test_an_unknown_outcome_stays_on_record_when_the_address_is_then_suppressed(where):
    assert run_script(where, KILLED_MID_BATCH).returncode == -9
    with open_log(where) as log:
        log.suppress("b@x.example", "unsubscribe")
        plan = log.plan("launch", "v1", [Recipient(email="b@x.example")], resend_unknown=True)
        assert (plan.to_send, plan.suppressed) == (0, 1)
        assert states(log)["b@x.example"] == "unknown"


def test_a_version_1_log_is_upgraded_in_place(db):
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as raw:
        raw.executescript(textwrap.dedent(SCHEMA_V1))
        raw.execute("PRAGMA application_id=1347568979")
        raw.execute("PRAGMA user_version=1")
        raw.execute("INSERT INTO versions VALUES ('launch', 'v1', 's', '{}', 'then')")
        raw.execute(  # accepted, the way logs before schema 10 wrote it
            "INSERT INTO batches VALUES (1, 'launch', 'v1', 'accepted', 1, 'then', 'then', "
            "'msg-0', NULL)"
        )
        raw.execute(
            "INSERT INTO deliveries VALUES ('launch', 'v1', 'ana@ledger.example', "
            "'Ana@Ledger.example', '[]', 'accepted', 1, 'msg-0', NULL, 'then')"
        )
        raw.execute(  # in flight outside any batch: never written so, yet not lost
            "INSERT INTO deliveries VALUES ('launch', 'v1', 'ben@wire.example', "
            "'ben@wire.example', '[]', 'in_flight', NULL, NULL, NULL, 'then')"
        )
    with SendLog.open(db) as log:
        assert [v.version for v in log.previous_versions("launch")] == ["v1"]
        assert states(log) == {ANA.key: "accepted", BEN.key: "unknown"}
        assert log.previous_versions("launch")[0].accepted == 1
        log.add_schedule("b-1", "launch", "v1", "2026-11-24T09:00:00+00:00", "sendgrid")
        assert [s.schedule_id for s in log.schedules("launch")] == ["b-1"]
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_a_cancelled_schedule_plans_its_recipients_again(log):
    log.plan("launch", "v1", [ANA, BEN])
    log.add_schedule("b-1", "launch", "v1", "2026-11-24T09:00:00+00:00", "sendgrid")
    batch = log.start_batch("launch", "v1", [ANA.key, BEN.key], schedule_id="b-1")
    log.accept_batch(batch, "msg-1")
    assert log.plan("launch", "v1", [ANA, BEN], dry_run=True).to_send == 0

    assert log.cancel_schedule("b-1") == 2
    [schedule] = log.schedules("launch")
    assert schedule.state == "cancelled" and schedule.accepted == 0
    assert keys(log.plan("launch", "v1", [ANA, BEN]).first) == [ANA.key, BEN.key]


SCHEMA_V1 = """
    CREATE TABLE versions (
        release TEXT NOT NULL, version TEXT NOT NULL, subject TEXT NOT NULL,
        artefacts_json TEXT NOT NULL, first_planned_at TEXT NOT NULL,
        PRIMARY KEY (release, version));
    CREATE TABLE batches (
        batch_id INTEGER PRIMARY KEY AUTOINCREMENT, release TEXT NOT NULL, version TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in_flight', 'accepted', 'failed', 'unknown')),
        size INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
        message_id TEXT, reason TEXT);
    CREATE TABLE deliveries (
        release TEXT NOT NULL, version TEXT NOT NULL, email_key TEXT NOT NULL,
        email TEXT NOT NULL, list_names TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN
            ('planned', 'in_flight', 'accepted', 'failed', 'suppressed', 'unknown', 'skipped')),
        batch_id INTEGER REFERENCES batches, message_id TEXT, reason TEXT, updated_at TEXT NOT NULL,
        PRIMARY KEY (release, version, email_key));
    CREATE TABLE suppressions (
        email_key TEXT PRIMARY KEY, email TEXT NOT NULL,
        reason TEXT NOT NULL, at TEXT NOT NULL);
"""


def test_a_live_senders_batch_is_never_taken_for_a_dead_ones(postgres_url):
    """PostgreSQL: a second sender opening the log leaves the first one's batch in flight."""
    where = Location(url=postgres_url)
    with open_log(where) as first:
        first.plan("launch", "v1", EVERYONE)
        claimed = first.claim_batch("launch", "v1", 2)
        assert claimed is not None
        batch, recipients = claimed
        assert [r.key for r in recipients] == [ANA.key, BEN.key]
        assert recipients[0].lists == ["tech", "policy"]
        with open_log(where) as second:  # recovers dead senders' batches: none here
            assert states(second) == {
                ANA.key: "in_flight",
                BEN.key: "in_flight",
                CARL.key: "planned",
            }
            plan = second.plan("launch", "v1", EVERYONE)
            assert (plan.in_progress, plan.to_send) == (2, 1) and keys(plan.first) == [CARL.key]
            other = second.claim_batch("launch", "v1", 10)
            assert other is not None and [r.key for r in other[1]] == [CARL.key]
            assert second.claim_batch("launch", "v1", 10) is None
            second.accept_batch(other[0], "msg-2")
        first.accept_batch(batch, "msg-1")
        assert set(states(first).values()) == {"accepted"}


def test_claims_skip_suppressed_addresses_and_carry_the_names(log):
    log.plan(
        "launch",
        "v1",
        [Recipient(email="Ana@Ledger.example", name="Ana Ortiz", first_name="Ana"), BEN],
    )
    log.suppress(BEN.email, "bounce")  # after the plan: a bounce event arrived meanwhile
    claimed = log.claim_batch("launch", "v1", 10)
    assert claimed is not None
    [ana] = claimed[1]
    assert (ana.email, ana.name, ana.first_name) == ("Ana@Ledger.example", "Ana Ortiz", "Ana")
    assert log.claim_batch("launch", "v1", 10) is None
    assert states(log)[BEN.key] == "planned"  # the next plan says it is suppressed


def test_only_a_batchs_end_skips_the_disk_flush_and_claims_always_wait_for_it(where):
    """A finished batch is committed without waiting for the disk (a crash may undo it:
    the batch is then unknown, never re-sent); everything else, claims first, waits."""

    def flushing(log: SendLog) -> bool:
        if where.url:
            return log.db.execute("SHOW synchronous_commit").fetchone()[0] == "on"
        return log.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL

    with open_log(where) as log:
        log.plan("launch", "v1", EVERYONE)
        assert flushing(log)
        claimed = log.claim_batch("launch", "v1", 2)
        assert claimed is not None and flushing(log)
        log.accept_batch(claimed[0], "msg-1")
        assert flushing(log)  # back to waiting once the batch's end is committed
        with pytest.raises(SendLogError):
            log.fail_batch(claimed[0], "twice")  # a failed end leaves it waiting too
        assert flushing(log)
        assert states(log) == {ANA.key: "accepted", BEN.key: "accepted", CARL.key: "planned"}


def test_accepting_a_batch_writes_the_batch_not_each_of_its_rows(where):
    """A user's send of 100,000 spent as long in the log as on the wire: the end of
    each batch rewrote its thousand rows. It writes one row now, and every reader
    (reports, plans, recovery after a crash) still sees each row accepted."""
    people = [Recipient(email=f"p{n}@x.example") for n in range(50)]
    with open_log(where) as log:
        log.plan("launch", "v1", people)
        claimed = log.claim_batch("launch", "v1", 50)
        assert claimed is not None
        batch_id, _batch = claimed
        before = _row_versions(log)
        log.accept_batch(batch_id, "msg-1")
        assert _row_versions(log) == before  # not one row of the batch written again
        assert set(states(log).values()) == {"accepted"}
        assert {d.message_id for d in log.report("launch")} == {"msg-1"}
        assert log.previous_versions("launch")[0].accepted == 50
    with open_log(where) as log:  # a sender opening the log recovers dead batches only
        assert set(states(log).values()) == {"accepted"}
        again = log.plan("launch", "v1", people)
        assert (again.to_send, again.already_sent) == (0, 50)
        assert log.claim_batch("launch", "v1", 50) is None


def _row_versions(log: SendLog) -> list[tuple[object, ...]]:
    """Each delivery row's physical version (PostgreSQL: the transaction that last wrote
    it; SQLite: its stored columns), to tell whether a row was written."""
    if log.db.dialect == "postgresql":
        sql = "SELECT email_key, xmin::text FROM deliveries ORDER BY email_key"
    else:
        sql = "SELECT email_key, state, message_id, updated_at FROM deliveries ORDER BY email_key"
    return [tuple(row) for row in log.db.execute(sql).fetchall()]


def test_rows_planned_again_behind_the_last_claim_are_still_claimed(where):
    """Claims look on from the last row they took; a row planned again behind it
    (its batch failed, the next run plans it again) is not left behind."""
    with open_log(where) as log:
        log.plan("launch", "v1", EVERYONE)
        first = log.claim_batch("launch", "v1", 2)
        second = log.claim_batch("launch", "v1", 2)
        assert first is not None and second is not None
        assert [r.key for r in second[1]] == [CARL.key]
        log.fail_batch(first[0], "503 Service Unavailable")
        log.accept_batch(second[0], "msg-2")
        again = log.plan("launch", "v1", EVERYONE)
        assert (again.to_send, again.already_sent) == (2, 1)
        third = log.claim_batch("launch", "v1", 10)
        assert third is not None and sorted(r.key for r in third[1]) == [ANA.key, BEN.key]
        assert log.claim_batch("launch", "v1", 10) is None
        log.accept_batch(third[0], "msg-3")
        assert set(states(log).values()) == {"accepted"}


def test_a_claim_leaves_each_row_on_its_page_on_postgresql(postgres_url):
    """No index of deliveries names a column a claim writes, and the pages keep room, so
    claiming a batch writes each row's new version beside the old one (a HOT update):
    no index entry per row, half the claim's time at a thousand rows."""
    with open_log(Location(url=postgres_url)) as log:
        definitions = [
            text
            for (text,) in log.db.execute(
                "SELECT indexdef FROM pg_indexes WHERE schemaname='pressroom' "
                "AND tablename='deliveries'"
            ).fetchall()
        ]
        assert definitions and not [
            d
            for d in definitions
            for column in ("state", "batch_id", "message_id", "reason", "updated_at")
            if column in d
        ]
        people = [Recipient(email=f"p{n}@x.example") for n in range(200)]
        log.plan("launch", "v1", people)
        claimed = log.claim_batch("launch", "v1", 200)
        assert claimed is not None and len(claimed[1]) == 200
        log.db.execute("SELECT pg_stat_force_next_flush()")
        log.db.execute("SELECT pg_stat_clear_snapshot()")
        updated, hot = log.db.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables "
            "WHERE schemaname='pressroom' AND relname='deliveries'"
        ).fetchone()
        assert updated >= 200 and hot >= 0.9 * updated, (updated, hot)


def test_a_log_of_an_earlier_schema_reads_before_it_is_upgraded(where):
    """An upgraded pressroom reads (``log``, ``check``, the preview) a log that no send
    has upgraded yet: a reader never writes, and the log stays at its schema."""
    from pressroom.sendlog.schema import STATES_VIEW, STEPS

    earlier = STATES_VIEW - 1
    _write_log_at(where, earlier)
    with open_log(where, read_only=True) as log:
        assert states(log) == {ANA.key: "accepted", BEN.key: "planned"}
        [v1] = log.previous_versions("launch")
        assert v1.accepted == 1
        assert [s.accepted for s in log.schedules("launch")] == []
    assert _schema_of(where) == earlier
    with open_log(where) as log:  # the first writer upgrades it; the rows read the same
        assert log.migrated == [s.version for s in STEPS if s.version > earlier]
        assert states(log) == {ANA.key: "accepted", BEN.key: "planned"}


def _write_log_at(where: Location, version: int) -> None:
    """A log written by a pressroom of schema *version*: one accepted row, one planned."""
    from pressroom.sendlog.schema import STEPS

    rows = [
        "INSERT INTO versions (release, version, subject, artefacts_json, first_planned_at) "
        "VALUES ('launch', 'v1', 's', '{}', 'then')",
        "INSERT INTO batches (batch_id, release, version, state, size, started_at) "
        "VALUES (1, 'launch', 'v1', 'accepted', 1, 'then')",
        "INSERT INTO deliveries (release, version, email_key, email, list_names, state, "
        "batch_id, message_id, updated_at) VALUES ('launch', 'v1', 'ana@ledger.example', "
        "'Ana@Ledger.example', '[]', 'accepted', 1, 'msg-0', 'then')",
        "INSERT INTO deliveries (release, version, email_key, email, list_names, state, "
        "updated_at) VALUES ('launch', 'v1', 'ben@wire.example', 'ben@wire.example', '[]', "
        "'planned', 'then')",
    ]
    dialect = "postgresql" if where.url else "sqlite"
    steps = [sql for s in STEPS if s.version <= version for sql in s.sql(dialect)]
    if where.url:
        import psycopg

        with psycopg.connect(where.url, autocommit=True) as raw:
            raw.execute("CREATE SCHEMA pressroom")
            raw.execute("SET search_path TO pressroom")
            raw.execute("CREATE TABLE pressroom_schema (version INTEGER PRIMARY KEY, "
                        "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")  # fmt: skip
            for sql in steps + rows:
                raw.execute(sql)
            raw.execute("INSERT INTO pressroom_schema (version) VALUES (%s)", (version,))
        wait_for_sessions_to_end(where.url)
        return
    assert where.path is not None
    where.path.parent.mkdir(parents=True)
    with sqlite3.connect(where.path) as raw:
        for sql in steps + rows:
            raw.execute(sql)
        raw.execute("PRAGMA application_id=1347568979")
        raw.execute(f"PRAGMA user_version={version}")


def _schema_of(where: Location) -> int:
    if where.url:
        import psycopg

        with psycopg.connect(where.url) as raw:
            return int(raw.execute("SELECT max(version) FROM pressroom.pressroom_schema")
                       .fetchone()[0])  # fmt: skip
    assert where.path is not None
    with sqlite3.connect(where.path) as raw:
        return int(raw.execute("PRAGMA user_version").fetchone()[0])

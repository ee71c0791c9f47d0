"""``pressroom db``, and choosing the log's database: migrate, copy to PostgreSQL, secrets.

Real SQLite files and a real PostgreSQL (a database of its own per test).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from pressroom.events.parse import Event
from pressroom.model.contacts import Recipient
from pressroom.sendlog import SCHEMA_VERSION, Location, open_log
from tests.cli_runner import run
from tests.test_sendlog import SCHEMA_V1

ANA = Recipient(email="Ana@Ledger.example", name="Ana Ortiz", first_name="Ana", lists=["tech"])
BEN = Recipient(email="ben@wire.example", lists=["tech", "policy"])
CARL = Recipient(email="carl@post.example", lists=["policy"])
DORA = Recipient(email="dora@daily.example", lists=["policy"])
ERIN = Recipient(email="erin@left.example", lists=["policy"])


def filled_log(path: Path) -> None:
    """A log with rows in every table: two versions, every batch ending, a schedule, events."""
    with open_log(path) as log:
        log.plan("launch", "v1", [ERIN, ANA, BEN, CARL, DORA])
        # planned again without her: her row is deleted, a gap in the rows' order
        log.plan("launch", "v1", [ANA, BEN, CARL, DORA], subject="Launch", artefacts={"a": "1"})
        log.accept_batch(log.start_batch("launch", "v1", [ANA.key, BEN.key]), "msg-1")
        log.fail_batch(log.start_batch("launch", "v1", [CARL.key]), "500")
        log.unknown_batch(log.start_batch("launch", "v1", [DORA.key]), "timed out")
        log.plan("launch", "v2", [ANA, BEN], correction=True, subject="CORRECTED: Launch")
        log.add_schedule("b-1", "launch", "v2", "2026-11-24T09:00:00+00:00", "sendgrid")
        log.accept_batch(log.start_batch("launch", "v2", [ANA.key], "b-1"), {ANA.key: "msg-2"})
        log.suppress("zed@gone.example", "bounce")
        at = datetime(2026, 11, 23, 12, 5, tzinfo=UTC)
        log.record_events(
            [Event(event_id="e1", kind="open", email=ANA.email, at=at, message_id="msg-1")]
        )


def counts_sqlite(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: db.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}


def counts_postgres(url: str) -> dict[str, int]:
    with psycopg.connect(url) as db:
        names = [
            n
            for (n,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname='pressroom' "
                "AND tablename<>'pressroom_schema'"
            )
        ]
        return {n: db.execute(f"SELECT count(*) FROM pressroom.{n}").fetchone()[0] for n in names}


def test_db_copy_moves_every_row_of_every_table(room, postgres_url, capsys):
    path = room / ".pressroom" / "pressroom.db"
    filled_log(path)
    before = counts_sqlite(path)
    assert before.keys() >= {"versions", "batches", "deliveries", "suppressions", "schedules"}
    assert all(before[t] for t in ("versions", "batches", "deliveries", "suppressions", "events"))

    result = run(capsys, room, "db", "copy", "--to", postgres_url)
    assert result.code == 0, result.err
    assert counts_postgres(postgres_url) == {
        k: v for k, v in before.items() if k != "sqlite_sequence"
    }
    assert (
        f"Copied {sum(v for k, v in before.items() if k != 'sqlite_sequence')} rows" in result.out
    )
    assert counts_sqlite(path) == before  # the file is left as it was

    with open_log(path, read_only=True) as old, open_log(Location(url=postgres_url)) as new:
        assert new.report("launch") == old.report("launch")
        assert new.previous_versions("launch") == old.previous_versions("launch")
        assert new.schedules("launch") == old.schedules("launch")
        assert new.suppression_rows() == old.suppression_rows()
        assert new.events_of("launch") == old.events_of("launch")
        batches = {d.batch_id for d in old.report("launch") if d.batch_id}
        assert len(batches) == 4
        for batch in batches:  # found through the span of rows each batch took
            assert new.batch_recipients(batch) == old.batch_recipients(batch) != []
        # the copied log carries on: the unknown outcome is held, a new batch gets a new id
        plan = new.plan("launch", "v1", [ANA, BEN, CARL, DORA])
        assert (plan.unknown, plan.to_send) == (1, 1)
        assert [r.key for r in plan.first] == [CARL.key]
        claimed = new.claim_batch("launch", "v1", 10)
        assert claimed is not None and claimed[0] > max(
            d.batch_id or 0 for d in old.report("launch")
        )

    again = run(capsys, room, "db", "copy", "--to", postgres_url)
    assert again.code == 2 and "not empty" in again.err  # never copied twice over


def test_a_password_is_never_taken_from_the_command_line_or_pressroom_yaml(room, capsys):
    (room / ".pressroom").mkdir()
    filled_log(room / ".pressroom" / "pressroom.db")
    typed = run(capsys, room, "db", "copy", "--to", "postgresql://postgres:hunter2xyz@127.0.0.1/x")
    assert typed.code == 2 and "PGPASSWORD" in typed.err
    assert "hunter2xyz" not in typed.out + typed.err

    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + "database: postgresql://press:hunter2xyz@db.example/p\n")
    written = run(capsys, room, "log", "2026-11-23-streetsight-suspended")
    assert written.code != 0
    assert "database" in written.err and "PGPASSWORD" in written.err
    assert "hunter2xyz" not in written.out + written.err


def test_a_database_that_cannot_be_reached_is_named_without_its_password(room, capsys, monkeypatch):
    monkeypatch.setenv("PRESSROOM_DATABASE_URL", "postgresql://postgres:hunter2xyz@127.0.0.1:1/x")
    result = run(capsys, room, "contacts", "suppress", "a@b.example")
    assert result.code == 1
    assert "cannot connect to the send log database" in result.err
    assert "postgresql://postgres:[hidden]@127.0.0.1:1/x" in result.err
    assert "hunter2xyz" not in result.out + result.err


def test_db_migrate_brings_an_old_sqlite_log_up_to_date_and_says_so(room, capsys):
    db = room / ".pressroom" / "pressroom.db"
    db.parent.mkdir()
    with sqlite3.connect(db) as raw:
        raw.executescript(SCHEMA_V1)
        raw.execute("PRAGMA application_id=1347568979")
        raw.execute("PRAGMA user_version=1")
    result = run(capsys, room, "db", "migrate")
    assert result.code == 0, result.err
    applied = [line for line in result.out.splitlines() if ": step " in line]
    assert len(applied) == SCHEMA_VERSION - 1
    assert f".pressroom/pressroom.db: schema {SCHEMA_VERSION}\n" in result.out
    again = run(capsys, room, "db", "migrate")
    assert f"schema {SCHEMA_VERSION}, already up to date" in again.out


def test_db_migrate_on_postgresql_and_automatically_on_first_use(
    room, postgres_url, capsys, monkeypatch
):
    monkeypatch.setenv("PRESSROOM_DATABASE_URL", postgres_url)
    result = run(capsys, room, "db", "migrate")
    assert result.code == 0, result.err
    assert len([line for line in result.out.splitlines() if ": step " in line]) == SCHEMA_VERSION
    with psycopg.connect(postgres_url) as db:
        versions = [v for (v,) in db.execute("SELECT version FROM pressroom.pressroom_schema")]
    assert sorted(versions) == list(range(1, SCHEMA_VERSION + 1))
    assert "already up to date" in run(capsys, room, "db", "migrate").out


def test_a_newer_postgresql_schema_is_refused(postgres_url):
    open_log(Location(url=postgres_url)).close()
    with psycopg.connect(postgres_url) as db:
        db.execute(
            f"INSERT INTO pressroom.pressroom_schema (version) VALUES ({SCHEMA_VERSION + 1})"
        )
    from pressroom.errors import SendLogError

    with pytest.raises(SendLogError, match="written by a newer pressroom .* upgrade pressroom"):
        open_log(Location(url=postgres_url))


@pytest.mark.parametrize("ci", ["true", ""])
def test_without_postgresql_the_tests_fail_under_ci_and_skip_elsewhere(ci):
    """CI never skips the PostgreSQL tests silently: without a server they fail there."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    env = {**os.environ, "CI": ci, "PRESSROOM_TEST_POSTGRES": "postgresql://postgres@127.0.0.1:1/"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfs",
         "tests/test_database.py::test_a_newer_postgresql_schema_is_refused"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "no PostgreSQL at postgresql://postgres@127.0.0.1:1/" in result.stdout
    if ci:
        assert result.returncode == 1 and "1 error" in result.stdout, result.stdout
    else:
        assert result.returncode == 0 and "1 skipped" in result.stdout, result.stdout

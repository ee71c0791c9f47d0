"""The send log's events: stored once, matched to deliveries, bad addresses suppressed.

Each test runs on a real SQLite file and on a real PostgreSQL database
(tests/test_sendlog.py's ``where`` fixture).
"""

from __future__ import annotations

import sqlite3
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pressroom.events.parse import Event
from pressroom.model.contacts import Recipient
from pressroom.sendlog import SCHEMA_VERSION, Location, SendLog, open_log
from pressroom.sendlog.schema import _V10_STATES
from tests.test_sendlog import SCHEMA_V1, db, where  # noqa: F401  (fixtures)

ANA = Recipient(email="Ana@Ledger.example", lists=["national"])
BEN = Recipient(email="ben@post.example", lists=["national", "local"])
AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def log(where: Location) -> Iterator[SendLog]:  # noqa: F811
    with open_log(where) as opened:
        yield opened


def sent(
    log: SendLog, release: str = "launch", version: str = "v1", message_id: str = "MSG1"
) -> None:
    log.plan(release, version, [ANA, BEN])
    batch = log.start_batch(release, version, [ANA.key, BEN.key])
    log.accept_batch(batch, message_id)


def ev(event_id: str, kind: str, email: str, minutes: int = 0, **more: object) -> Event:
    return Event(event_id=event_id, kind=kind, email=email, at=AT.replace(minute=minutes), **more)  # type: ignore[arg-type]


def test_events_are_matched_by_custom_args_or_by_message_id(log):
    sent(log)
    done = log.record_events([
        ev("1", "delivered", "ana@ledger.example", release="launch", version="v1"),
        ev("2", "open", "ben@post.example", 5, message_id="MSG1"),  # no custom_args: by message id
        ev("3", "delivered", "proof@office.example", release="launch", version="v1"),  # a --test proof
        ev("4", "delivered", "x@elsewhere.example", message_id="NOT-OURS"),
    ])  # fmt: skip
    assert (done.stored, done.duplicates, done.suppressed, done.unmatched) == (4, 0, 0, 2)
    assert [(e.event_id, e.release, e.version) for e in log.events_of("launch")] == [
        ("1", "launch", "v1"), ("3", "launch", "v1"), ("2", "launch", "v1")]  # fmt: skip
    again = log.record_events([ev("2", "open", "ben@post.example", 5, message_id="MSG1")])
    assert (again.stored, again.duplicates) == (0, 1)


def test_the_first_reason_of_a_suppression_stays(log):
    sent(log)
    log.suppress("ben@post.example", "manual")
    done = log.record_events([
        ev("b", "bounce", "ben@post.example", reason="550 no such user"),
        ev("s2", "spamreport", "ana@ledger.example", 9),
        ev("s1", "unsubscribe", "ana@ledger.example", 3),  # earlier, though it came later
    ])  # fmt: skip
    assert done.suppressed == 1
    found = log.suppression_details()
    assert found["ben@post.example"][0] == "manual"
    assert found["ana@ledger.example"] == (
        "unsubscribe",
        "2026-11-23T12:03:00+00:00",
        "unsubscribe",
    )
    plan = log.plan("next", "v1", [ANA, BEN], dry_run=True)
    assert (plan.to_send, plan.suppressed) == (0, 2)


def test_events_about_addresses_never_mailed_suppress_nobody_unless_the_room_opts_in(log):
    sent(log)  # Ana and Ben
    done = log.record_events([
        ev("n1", "bounce", "reader@home.example", reason="550 no such user"),
        ev("n2", "unsubscribe", "Fan@Home.example", 1),
        ev("n3", "open", "fan@home.example", 2),
        ev("n4", "spamreport", "ana@ledger.example", 3),  # pressroom mailed her: it counts
    ])  # fmt: skip
    assert (done.stored, done.suppressed, done.unmatched, done.outside) == (4, 1, 4, 3)
    assert log.suppressions() == {"ana@ledger.example": "spamreport"}
    assert log.outside_events() == 3
    assert [e.kind for e in log.events_to("fan@home.example")] == ["unsubscribe", "open"]
    opted = log.record_events([ev("n5", "bounce", "other@home.example")], outside_suppress=True)
    assert (opted.suppressed, opted.outside) == (1, 1)
    assert log.is_suppressed("other@home.example") and log.outside_events() == 4


def test_history_of_one_address_across_releases(log):
    sent(log, "launch", "v1", "MSG1")
    sent(log, "follow-up", "v9", "MSG2")
    log.record_events([
        ev("1", "delivered", "ANA@ledger.example", release="launch", version="v1"),
        ev("2", "click", "ana@ledger.example", 2, release="follow-up", version="v9", url="https://example.org/x"),
    ])  # fmt: skip
    rows = log.deliveries_to("ana@LEDGER.example")
    assert [(release, row.state) for release, row in rows] == [
        ("launch", "accepted"),
        ("follow-up", "accepted"),
    ]
    assert [e.kind for e in log.events_to("Ana@Ledger.example")] == ["delivered", "click"]
    # planned at the same (fixed) time: the one planned last comes first
    assert [(s.release, s.versions, s.states) for s in log.sends()] == [
        ("follow-up", 1, {"accepted": 2}), ("launch", 1, {"accepted": 2})]  # fmt: skip


def test_a_version_1_log_keeps_its_suppressions_and_takes_the_new_reasons(tmp_path: Path):
    path = tmp_path / "pressroom.db"
    with sqlite3.connect(path) as raw:
        raw.executescript(textwrap.dedent(SCHEMA_V1))
        raw.execute("PRAGMA application_id=1347568979")
        raw.execute("PRAGMA user_version=1")
        raw.execute(
            "INSERT INTO suppressions VALUES ('a@x.example', 'A@x.example', 'bounce', 'then')"
        )
    with SendLog.open(path) as log:
        assert log.suppression_rows() == [("A@x.example", "bounce", "then")]
        log.suppress("b@x.example", "spamreport")
        log.record_events(
            [ev("1", "dropped", "c@x.example", reason="Invalid")], outside_suppress=True
        )
        assert log.suppressions() == {
            "a@x.example": "bounce",
            "b@x.example": "spamreport",
            "c@x.example": "invalid",
        }
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_the_receiver_records_while_a_send_holds_the_log(where: Location):  # noqa: F811
    with open_log(where) as sending:
        sent(sending)
        with open_log(where, events=True) as receiving:
            receiving.record_events([ev("1", "delivered", "ana@ledger.example", message_id="MSG1")])
        assert [e.version for e in sending.events_of("launch")] == ["v1"]


def test_an_internationalised_domain_reported_in_ascii_is_the_same_address(log):
    reporter = Recipient(email="ana@bücher.example", lists=["national"])
    log.plan("launch", "v1", [reporter])
    log.accept_batch(log.start_batch("launch", "v1", [reporter.key]), "MSG1")
    done = log.record_events(
        [ev("1", "bounce", "Ana@xn--bcher-kva.example", release="launch", version="v1")]
    )
    assert (done.unmatched, done.suppressed) == (0, 1)
    assert log.plan("next", "v1", [reporter], dry_run=True).suppressed == 1


def test_a_log_forgotten_in_before_step_12_keeps_late_events_under_the_pseudonym(
    where: Location,  # noqa: F811
):
    with open_log(where) as log:
        sent(log)
        log.forget("ana@ledger.example")
        # as a log of schema 11 was: no forgotten table, no outside column, and no
        # language of each delivery (step 13), so its view read none
        log.db.execute("DROP TABLE forgotten")
        log.db.execute("ALTER TABLE events DROP COLUMN outside")
        log.db.execute("DROP VIEW delivery_states")
        log.db.execute("ALTER TABLE deliveries DROP COLUMN language")
        log.db.execute(_V10_STATES)
        if where.url:
            log.db.execute("DELETE FROM pressroom_schema WHERE version >= 12")
        else:
            log.db.execute("PRAGMA user_version=11")
    with open_log(where) as log:
        assert 12 in log.migrated and 13 in log.migrated
        done = log.record_events([ev("late", "bounce", "Ana@Ledger.example", 30)])
        assert (done.stored, done.suppressed, done.outside) == (1, 0, 0)
        [(key,)] = log.db.execute("SELECT email_key FROM events").fetchall()
        assert key.startswith("forgotten:") and not log.suppressions().get("ana@ledger.example")

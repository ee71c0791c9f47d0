"""A first send's plan (rows written many to a statement, or copied in on PostgreSQL,
with nothing to compare them with) must write exactly what the careful plan writes,
and claim the same batches from it; on both backends."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressroom.errors import SendLogError
from pressroom.model.contacts import Recipient
from pressroom.sendlog import Location, SendLog, open_log
from pressroom.sendlog.bulk import insert_rows
from pressroom.sendlog.planning import Planning

RELEASE, VERSION = "2026-11-23-launch", "3f9a0c1d2e4b5a69"


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> Location:
    if request.param == "sqlite":
        return Location(path=tmp_path / "room" / ".pressroom" / "pressroom.db")
    return Location(url=request.getfixturevalue("postgres_url"))


def rows() -> list[Recipient]:
    """2,600 rows over three statements' worth: names COPY must escape, no names,
    addresses in capitals, an address on two lists, three languages."""
    made = []
    for i in range(2600):
        name = [f"Reporter {i}", "Tab\there", "back\\slash \\N", None, "Zoë Ñúñez"][i % 5]
        first = [None, "\\N", "Ana", "", "a\tb\\"][i % 5]
        language = ["en", "de", None][i % 3]
        lists = ["tech"] if i % 2 else ["policy"]
        email = f"Reporter{i}@Outlet{i % 7}.example" if i % 4 else f"r{i}@o.example"
        made.append(
            Recipient(
                email=email, name=name, first_name=first or None, language=language, lists=lists
            )
        )
    made.append(Recipient(email="REPORTER1@outlet1.example", name="Again", lists=["policy"]))
    return made


def planned(where: Location, release: str, careful: bool, monkeypatch: pytest.MonkeyPatch) -> tuple:
    """Plan :func:`rows` for *release* (the careful way: as if the log had rows of it,
    then again, each row compared with the log's), then claim every batch; what the
    (last) plan said, the rows, and the batches."""
    with monkeypatch.context() as patch:
        if careful:
            patch.setattr(Planning, "_has_rows", lambda self, release: True)
        for _time in range(2 if careful else 1):
            with open_log(where) as log:
                log.suppress("reporter9@outlet2.example", "bounce")
                plan = log.plan(
                    release,
                    VERSION,
                    rows(),
                    subject="Launch",
                    also_suppressed={"reporter13@outlet6.example": "manual"},
                    keep=None,
                )
    with open_log(where) as log:
        written = log.db.execute(
            "SELECT email_key, email, list_names, state, reason, name, first_name, language, "
            "message_id FROM deliveries WHERE release=? ORDER BY rowid",
            (release,),
        ).fetchall()
        batches = []
        for language in ("en", "de", ""):
            while claimed := log.claim_batch(release, VERSION, 1000, None, language):
                batches.append((language, claimed[1]))
        counts = (plan.to_send, plan.suppressed, plan.already_sent, plan.earlier, plan.unknown)
        said = (counts, plan.lists, plan.languages, [r.email for r in plan.first])
        return said, [tuple(row) for row in written], batches


def test_a_first_send_plans_and_claims_as_the_careful_plan_does(
    where: Location, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = planned(where, RELEASE, careful=False, monkeypatch=monkeypatch)
    careful = planned(where, "2026-11-24-careful", careful=True, monkeypatch=monkeypatch)
    assert fast[0] == careful[0]
    assert fast[1] == careful[1]  # the same rows, in the same order
    assert fast[2] == careful[2]
    (to_send, suppressed, *_), lists, languages, _first = fast[0]
    assert (to_send, suppressed) == (2598, 2)
    assert sum(languages.values()) == to_send and lists == {"policy": 1301, "tech": 1300}
    by_key = {row[0]: row for row in fast[1]}
    assert by_key["reporter1@outlet1.example"][2] == '["policy", "tech"]'
    assert by_key["reporter1@outlet1.example"][5:7] == ("Tab here", "\\N")
    assert by_key["reporter2@outlet2.example"][5:7] == ("back\\slash \\N", "Ana")
    assert by_key["r4@o.example"][5:8] == ("Zoë Ñúñez", "a\tb\\", "de")
    assert by_key["reporter3@outlet3.example"][5:8] == (None, None, "en")
    assert by_key["reporter9@outlet2.example"][3:5] == ("suppressed", "bounce")
    assert by_key["reporter13@outlet6.example"][3:5] == ("suppressed", "manual")
    assert sum(len(batch) for _language, batch in fast[2]) == to_send


def test_the_plan_and_claims_leave_sqlite_checking_states(tmp_path: Path) -> None:
    with SendLog.open(tmp_path / "pressroom.db") as log:
        log.plan(RELEASE, VERSION, rows()[:50])
        assert log.claim_batch(RELEASE, VERSION, 10) is not None
        with pytest.raises(SendLogError, match="CHECK constraint failed"):
            log.db.execute("UPDATE deliveries SET state='sent'")
    with sqlite3.connect(tmp_path / "pressroom.db") as db:
        assert db.execute("PRAGMA ignore_check_constraints").fetchone() == (0,)


def test_a_plan_writes_no_state_of_its_own_making(where: Location) -> None:
    with open_log(where) as log, log.db.transaction():
        row = ("a@b.example", "a@b.example", "[]", "accepted", None, None, None, "")
        with pytest.raises(SendLogError, match="cannot write the state 'accepted'"):
            insert_rows(log.db, RELEASE, VERSION, "now", [row], fresh=True)


def test_two_plans_of_a_first_send_at_once_each_write_every_row_once(postgres_url: str) -> None:
    """PostgreSQL: the second plan waits for the first's lock, then compares with its rows
    (a first send's rows are copied in, with no conflict looked for)."""
    where = Location(url=postgres_url)
    everyone = rows()
    started = threading.Event()

    def slow() -> Iterator[Recipient]:
        for i, recipient in enumerate(everyone):
            if i == 1500:
                started.set()
                time.sleep(0.5)  # the other plan starts meanwhile
            yield recipient

    results: dict[str, object] = {}

    def first() -> None:
        with open_log(where) as log:
            results["first"] = log.plan(RELEASE, VERSION, slow())

    def second() -> None:
        started.wait(10)
        with open_log(where) as log:
            results["second"] = log.plan(RELEASE, VERSION, everyone)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert set(results) == {"first", "second"}
    with open_log(where) as log:
        count, distinct = log.db.execute(
            "SELECT count(*), count(DISTINCT email_key) FROM deliveries"
        ).fetchone()
    assert count == distinct == 2600


def test_claims_take_the_next_rows_in_plan_order_and_record_their_span(where: Location) -> None:
    everyone = [
        Recipient(email=f"r{i}@o.example", language="de" if i % 3 == 0 else "en", lists=["a"])
        for i in range(40)
    ]
    with open_log(where) as log:
        log.plan(RELEASE, VERSION, everyone)
        for gone in ("r4@o.example", "r10@o.example"):  # suppressed since the plan
            log.suppress(gone, "unsubscribe")
        wanted = [
            r.key
            for r in everyone
            if r.language == "en" and r.key not in {"r4@o.example", "r10@o.example"}
        ]
        got = []
        while claimed := log.claim_batch(RELEASE, VERSION, 4, None, "en"):
            batch_id, batch = claimed
            assert [r.key for r in batch] == wanted[len(got) : len(got) + 4]
            assert {r.language for r in batch} == {"en"}
            got += [r.key for r in batch]
            size, first, last = log.db.execute(
                "SELECT size, first_row, last_row FROM batches WHERE batch_id=?", (batch_id,)
            ).fetchone()
            taken = log.db.execute(
                "SELECT count(*), min(rowid), max(rowid) FROM deliveries WHERE batch_id=? "
                "AND state='in_flight'",
                (batch_id,),
            ).fetchone()
            assert (size, first, last) == tuple(taken) and size == len(batch)
            log.accept_batch(batch_id, "id")
        assert got == wanted
        assert log.db.execute("SELECT count(*) FROM batches").fetchone()[0] == 6  # none empty
        left = log.db.execute(
            "SELECT count(*) FROM deliveries WHERE state='planned' AND batch_id IS NULL"
        ).fetchone()[0]
        assert left == 14 + 2  # the German rows and the two suppressed

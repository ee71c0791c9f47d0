"""A long list streams through the plan: read once, written in chunks, never held whole.

The plan sorts the rows in chunks (:data:`pressroom.sendlog.planning.CHUNK`);
these tests cross the chunk boundaries on purpose, on both backends, and check
what a user would notice if the streaming went wrong: someone planned twice,
a list's name lost, a person who left the list still planned, a refused send
that changed the log anyway.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pressroom.errors import ProblemsError
from pressroom.model.contacts import Recipient
from pressroom.model.roster import Roster
from pressroom.sendlog import Location, open_log
from pressroom.sendlog.planning import CHUNK, FIRST_KEPT
from tests.cli_runner import run

RELEASE = "2026-11-23-streetsight-suspended"
LONG = CHUNK * 2 + CHUNK // 2


def reporter(i: int, list_name: str, name: str | None = None) -> Recipient:
    return Recipient(
        email=f"Reporter{i:05d}@Outlet{i % 7}.example",
        name=name or f"Reporter {i}",
        lists=[list_name],
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> Location:
    if request.param == "sqlite":
        return Location(path=tmp_path / "pressroom.db")
    return Location(url=request.getfixturevalue("postgres_url"))


def rows(where: Location, release: str = "launch") -> dict[str, tuple[str, list[str]]]:
    with open_log(where, read_only=True) as log:
        return {d.key: (d.state, d.lists) for d in log.report(release)}


def test_an_address_on_two_lists_is_planned_once_with_both_lists(where):
    # "wire" overlaps "daily" by half a chunk across a chunk boundary, and repeats a row
    daily = [reporter(i, "daily") for i in range(LONG)]
    wire = [reporter(i, "wire", name=f"Wire name {i}") for i in range(LONG - CHUNK // 2, LONG + 10)]
    wire.append(reporter(LONG + 3, "wire"))  # the same row twice on one list
    with open_log(where) as log:
        plan = log.plan("launch", "v1", [*daily, *wire])
    assert plan.to_send == LONG + 10
    assert plan.lists == {"daily": LONG, "wire": CHUNK // 2 + 10}
    assert len(plan.first) == FIRST_KEPT and plan.first[0].key == daily[0].key
    logged = rows(where)
    assert len(logged) == LONG + 10
    assert logged[daily[0].key] == ("planned", ["daily"])
    assert logged[daily[-1].key] == ("planned", ["daily", "wire"])
    assert logged[wire[-1].key] == ("planned", ["wire"])
    with open_log(where, read_only=True) as log:
        [row] = [d for d in log.report("launch") if d.key == daily[-1].key]
    assert row.email == daily[-1].email  # the first row of an address is the one kept


def test_whoever_left_the_list_is_no_longer_planned(where):
    everyone = [reporter(i, "daily") for i in range(LONG)]
    with open_log(where) as log:
        log.plan("launch", "v1", everyone)
        # a first batch goes out, then the send stops; the list is edited before the next
        batch = log.claim_batch("launch", "v1", 10)
        assert batch is not None
        log.accept_batch(batch[0], "msg-1")
        left = {everyone[i].key for i in (15, CHUNK + 1, LONG - 1)}
        plan = log.plan("launch", "v1", [r for r in everyone if r.key not in left])
    assert (plan.to_send, plan.already_sent) == (LONG - 10 - 3, 10)
    logged = rows(where)
    assert not left & set(logged)
    assert sum(state == "planned" for state, _ in logged.values()) == LONG - 13


def test_a_dry_run_counts_without_writing(where):
    everyone = [reporter(i, "daily") for i in range(LONG)]
    with open_log(where) as log:
        log.suppress(everyone[CHUNK + 5].email, "bounce")
        plan = log.plan("launch", "v1", everyone, dry_run=True, keep=None)
    assert (plan.to_send, plan.suppressed) == (LONG - 1, 1)
    assert len(plan.first) == LONG - 1  # keep=None: every one, for --dry-run --verbose
    assert rows(where) == {}


def test_a_plan_that_fails_midway_leaves_the_log_as_it_was(where):
    def stream():
        yield from (reporter(i, "daily") for i in range(LONG))
        raise ProblemsError([])  # what ListRows raises once it has seen an invalid row

    with open_log(where) as log:
        with pytest.raises(ProblemsError):
            log.plan("launch", "v1", stream())
        assert log.previous_versions("launch") == []
    assert rows(where) == {}


def test_an_invalid_row_at_the_end_of_a_long_list_stops_the_send_before_the_log(room, capsys):
    lines = ["email,name"] + [f"r{i:05d}@outlet.example,R {i}" for i in range(LONG)]
    (room / "contacts" / "big.csv").write_text("\n".join([*lines, "not-an-address,Bad"]) + "\n")
    refused = run(capsys, room, "send", "streetsight-suspended", "--list", "big", "--yes")
    assert refused.code == 1
    assert f"contacts/big.csv:{LONG + 2}" in refused.err and "--skip-invalid" in refused.err
    with sqlite3.connect(room / ".pressroom" / "outbox.db") as db:
        assert db.execute("SELECT count(*) FROM deliveries").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM versions").fetchone() == (0,)
    dry = run(capsys, room, "send", "streetsight-suspended", "--list", "big", "--dry-run")
    assert dry.code == 1 and "1 invalid row" in dry.err
    skipped = run(
        capsys, room, "send", "streetsight-suspended", "--list", "big", "--dry-run",
        "--skip-invalid",
    )  # fmt: skip
    assert skipped.code == 0, skipped.err
    assert f"Lists:        big ({LONG})" in skipped.out and "1 invalid skipped" in skipped.out
    assert f"  ... and {LONG - FIRST_KEPT} more (--verbose lists them all)" in skipped.out


def test_a_list_with_no_row_for_the_tags_is_still_counted(room, capsys):
    dry = run(
        capsys, room, "send", "streetsight-suspended", "--list", "national-press",
        "--list", "local-press", "--tag", "no-such-tag", "--dry-run",
    )  # fmt: skip
    assert dry.code == 0, dry.err
    assert "Lists:        national-press (0), local-press (0)" in dry.out
    assert "Would send to nobody." in dry.out


def test_a_roster_keeps_the_first_row_and_every_list():
    roster = Roster()
    first = Recipient(email="Ana@Ledger.example", name="Ana", lists=["a"])
    assert roster.add(first)
    assert not roster.add(Recipient(email="ana@ledger.example", name="Other", lists=["b"]))
    assert not roster.add(Recipient(email="ANA@ledger.example", lists=["b"]))  # again on b
    assert roster.add(Recipient(email="ben@wire.example", lists=["b"]))
    assert roster.counts == {"a": 1, "b": 2}
    assert roster.lists_of("ana@ledger.example") == ["a", "b"]
    assert list(roster.joined()) == [("ana@ledger.example", ["a", "b"])]
    completed = roster.completed(first)
    assert (completed.name, completed.lists, first.lists) == ("Ana", ["a", "b"], ["a"])
    assert "ben@wire.example" in roster and len(roster) == 2

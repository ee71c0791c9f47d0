"""pressroom contacts forget: a person erased on request, still never mailed again."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressroom.events.parse import event
from pressroom.scaffold import init_room
from pressroom.sendlog import open_log, room_log
from tests.cli_runner import run

RELEASE = "2026-11-23-streetsight-suspended"
ANA = "ana@dailyledger.example"


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, room, monkeypatch) -> Iterator[str]:
    if request.param == "postgresql":
        monkeypatch.setenv("PRESSROOM_DATABASE_URL", request.getfixturevalue("postgres_url"))
    yield request.param


def everything_in_the_log(room: Path) -> str:
    """Every value of every row of every table of the room's real send log, as text."""
    where = room_log(room)
    with open_log(where, read_only=True) as log:
        tables = ["deliveries", "events", "suppressions", "batches", "versions"]
        return json.dumps(
            {
                t: [list(map(str, r)) for r in log.db.execute(f"SELECT * FROM {t}").fetchall()]
                for t in tables
            }  # fmt: skip
        )


def test_forget_erases_the_address_everywhere_and_keeps_it_suppressed(
    room, backend, capsys, monkeypatch
):
    # the room sent through a real log: a send and an event that names Ana
    sent = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert sent.code == 0, sent.err
    with open_log(room_log(room, outbox=True)) as rehearsal:
        rehearsal.record_events([event({
            "email": ANA, "event": "open", "sg_event_id": "e1", "timestamp": 1795000000,
            "url": f"https://example.org/u?e={ANA}",
        })])  # fmt: skip
    lists_before = (room / "contacts" / "national-press.csv").read_text()
    assert ANA in lists_before

    forgot = run(capsys, room, "contacts", "forget", ANA, "--yes")
    assert forgot.code == 0, forgot.err
    assert "contacts/national-press.csv: 1 row removed" in forgot.out
    assert "outbox: 1 rehearsal copy deleted" in forgot.out and "SendGrid" in forgot.err
    assert ".pressroom/outbox.db: 1 delivery and 1 event now name forgotten:" in forgot.out

    after = (room / "contacts" / "national-press.csv").read_text()
    assert ANA not in after
    assert after == "".join(
        line for line in lists_before.splitlines(keepends=True) if ANA not in line
    )  # fmt: skip  (the other rows as written)
    outbox_db = room / ".pressroom" / "outbox.db"
    with sqlite3.connect(outbox_db) as db:
        dump = json.dumps([db.execute(f"SELECT * FROM {t}").fetchall()
                           for t in ("deliveries", "events", "suppressions")])  # fmt: skip
    assert ANA not in dump.lower() and "forgotten:" in dump
    assert not list((room / ".pressroom" / "outbox").glob("*/ana-dailyledger*"))
    # counts stay right: still 8 deliveries of the release, one of them forgotten
    with sqlite3.connect(outbox_db) as db:
        assert db.execute("SELECT count(*) FROM deliveries").fetchone()[0] == 8

    # Ana comes back in an imported list: she is never mailed again
    (room / "contacts" / "national-press.csv").write_text(lists_before)
    source = room / "releases" / f"{RELEASE}.yaml"
    follow_up = room / "releases" / "2026-11-24-streetsight-follow-up.yaml"
    follow_up.write_text(source.read_text().replace("Demands", "Repeats Call for", 1))
    again = run(capsys, room, "send", "streetsight-follow-up", "--yes")
    assert again.code == 0, again.err
    mailed = [p.name for p in (room / ".pressroom" / "outbox" / follow_up.stem).glob("*.eml")]
    assert len(mailed) == 7 and not any(name.startswith("ana-") for name in mailed)


def test_forget_works_on_the_real_log_of_each_backend(room, backend, capsys):
    with open_log(room_log(room)) as log:
        from pressroom.model.contacts import Recipient

        ana = Recipient(email=ANA, lists=["national-press"], name="Ana Ortiz")
        log.plan("r", "v1", [ana])
        batch = log.start_batch("r", "v1", [ana.key])
        log.accept_batch(batch, "MSG1")
        log.suppress(ANA, "unsubscribe")
    assert run(capsys, room, "contacts", "forget", ANA.upper(), "--yes").code == 0
    text = everything_in_the_log(room)
    assert ANA not in text.lower() and "Ana Ortiz" not in text
    with open_log(room_log(room), read_only=True) as log:
        assert log.is_suppressed(ANA)  # recognised by its pseudonym
        [(email, reason, _)] = log.suppression_rows()
        assert email.startswith("forgotten:") and reason == "unsubscribe"
        plan = log.plan("other", "v1", [ana], dry_run=True)
        assert (plan.suppressed, plan.to_send) == (1, 0)


def test_forget_refuses_what_is_not_an_address_and_asks_first(room, capsys):
    bad = run(capsys, room, "contacts", "forget", "not an address", "--yes")
    assert bad.code == 2 and "not an email address" in bad.err
    unasked = run(capsys, room, "contacts", "forget", ANA)
    assert unasked.code == 2 and "--yes" in unasked.err
    assert ANA in (room / "contacts" / "national-press.csv").read_text()


def test_a_yaml_list_keeps_its_comments_when_someone_is_forgotten(make_room, capsys):
    root = make_room({
        "contacts/local.yaml": """\
            # the city desk
            - email: lee@city.example   # Lee covers housing
              name: Lee Park
            - email: ana@ledger.example
              name: Ana Ortiz
            # keep this comment
            - email: bo@wire.example
            """,
    })  # fmt: skip
    result = run(capsys, root, "contacts", "forget", "Ana@Ledger.example", "--yes")
    assert result.code == 0, result.err
    text = (root / "contacts" / "local.yaml").read_text()
    assert "ana@ledger.example" not in text and "Ana Ortiz" not in text
    assert "# Lee covers housing" in text and "lee@city.example" in text
    assert "# keep this comment" in text and "bo@wire.example" in text


def test_init_keeps_the_lists_out_of_git_and_says_why(tmp_path):
    init_room(tmp_path / "room")
    ignore = (tmp_path / "room" / ".gitignore").read_text()
    assert "contacts/" in ignore.splitlines()
    assert "personal data" in ignore and "history is forever" in ignore

"""pressroom contacts forget: a person erased on request, still never mailed again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pressroom.drafts.scaffold import init_room
from pressroom.events.parse import event
from pressroom.sendlog import open_log, room_log
from tests.cli_runner import run

RELEASE = "2026-11-23-streetsight-suspended"
ANA = "ana@dailyledger.example"


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


def sent_to_ana(room: Path) -> None:
    """The room's real log sent release r to Ana (with her name) and heard back from SendGrid."""
    from pressroom.model.contacts import Recipient

    ana = Recipient(email=ANA, lists=["national-press"], name="Ana Ortiz")
    with open_log(room_log(room)) as log:
        log.plan("r", "v1", [ana])
        log.accept_batch(log.start_batch("r", "v1", [ana.key]), "MSG1")
        log.record_events([
            event({"email": ANA, "event": "delivered", "sg_event_id": "d1",
                   "timestamp": 1795000000, "sg_message_id": "MSG1.filter1"}),
            event({"email": ANA, "event": "newsletter_profile", "sg_event_id": "p1",
                   "timestamp": 1795000001, "name": "Ana Ortiz", "city": "Oakland"}),
        ])  # fmt: skip


def test_events_after_forget_are_stored_and_suppressed_under_the_pseudonym(room, backend, capsys):
    sent_to_ana(room)
    assert "Oakland" in everything_in_the_log(room)  # the unknown kind is kept whole
    assert run(capsys, room, "contacts", "forget", ANA, "--yes").code == 0
    text = everything_in_the_log(room)
    assert "Ana Ortiz" not in text and "Oakland" not in text  # names leave raw events too

    late = [  # a late open, a click, a bounce, an unknown kind, and SendGrid's retry of d1
        {"email": ANA.upper(), "event": "open", "sg_event_id": "late-1", "timestamp": 1795000100,
         "pressroom_release": "r", "pressroom_version": "v1"},
        {"email": ANA, "event": "click", "sg_event_id": "late-2", "timestamp": 1795000200,
         "url": f"https://example.org/story?who={ANA}&n=Ana+Ortiz", "sg_message_id": "MSG1.f"},
        {"email": ANA, "event": "bounce", "type": "bounce", "sg_event_id": "late-3",
         "timestamp": 1795000300, "reason": f"550 <{ANA}>: Ana Ortiz left the Ledger"},
        {"email": ANA, "event": "newsletter_profile", "sg_event_id": "late-4",
         "timestamp": 1795000400, "name": "Ana Ortiz", "more": {"mail": ANA}},
        {"email": ANA, "event": "delivered", "sg_event_id": "d1", "timestamp": 1795000000},
    ]  # fmt: skip
    with open_log(room_log(room), events=True) as log:
        done = log.record_events([event(e) for e in late])
    assert (done.stored, done.duplicates, done.suppressed, done.outside) == (4, 1, 0, 0)
    again = run(capsys, room, "contacts", "suppress", ANA, "--reason", "bounce")  # by hand
    assert again.code == 0 and "already suppressed (manual" in again.out, again.err
    text = everything_in_the_log(room)
    assert ANA not in text.lower() and "ortiz" not in text.lower()
    assert "left the ledger" not in text.lower()
    with open_log(room_log(room), read_only=True) as log:
        keys = log.db.execute("SELECT DISTINCT email_key, email FROM events").fetchall()
        assert len(keys) == 1 and keys[0][0] == keys[0][1]
        assert keys[0][0].startswith("forgotten:")
        [(email, reason, _)] = log.suppression_rows()
        assert email == keys[0][0] and reason == "manual"  # the first reason stands (item 14)
        assert log.is_suppressed(ANA)
        urls = log.db.execute("SELECT url FROM events WHERE url IS NOT NULL").fetchall()
        assert urls == [("https://example.org/story",)]
        matched = log.db.execute("SELECT release FROM events WHERE event_id='late-1'").fetchone()
        assert matched == ("r",)  # still counted in the release's report
    if backend == "sqlite":  # nor is the address left in the file's free space or journal
        for path in (room / ".pressroom").glob("pressroom.db*"):
            assert ANA.encode() not in path.read_bytes().lower(), path.name


def test_forget_cleans_the_sqlite_log_db_copy_left_behind_and_names_what_it_cannot(
    room, capsys, monkeypatch, postgres_url
):
    sent_to_ana(room)  # in .pressroom/pressroom.db
    copied = run(capsys, room, "db", "copy", "--to", postgres_url)
    assert copied.code == 0, copied.err
    monkeypatch.setenv("PRESSROOM_DATABASE_URL", postgres_url)  # the room moved to PostgreSQL
    (room / "exports").mkdir()
    (room / "exports" / "outcomes.csv").write_text(f"email,state\n{ANA.upper()},delivered\n")
    other = sqlite3.connect(room / ".pressroom" / "notes.db")  # some other SQLite file
    with other:
        other.execute("CREATE TABLE notes (text TEXT)")
        other.execute("INSERT INTO notes VALUES (?)", (f"call {ANA}",))
    other.close()

    forgot = run(capsys, room, "contacts", "forget", ANA, "--yes")
    assert forgot.code == 0, forgot.err
    assert ".pressroom/pressroom.db: 1 delivery and 2 events now name forgotten:" in forgot.out
    assert "1 delivery and 2 events now name forgotten:" in forgot.out.replace(
        ".pressroom/pressroom.db: 1 delivery", ""
    )  # the PostgreSQL log too
    assert ".pressroom/notes.db: not cleaned, the address may remain there" in forgot.err
    assert "exports/outcomes.csv: still holds the address" in forgot.err
    assert ".pressroom/notes.db: still holds the address" in forgot.err
    assert "outside this room" in forgot.err
    for path in (room / ".pressroom").glob("pressroom.db*"):
        assert ANA.encode() not in path.read_bytes().lower(), path.name
    monkeypatch.delenv("PRESSROOM_DATABASE_URL")
    assert ANA not in everything_in_the_log(room).lower()  # the old SQLite log


def test_a_forgotten_address_imported_again_is_left_out_unless_asked(room, backend, capsys):
    sent_to_ana(room)
    assert run(capsys, room, "contacts", "forget", ANA, "--yes").code == 0
    export = room / "export.csv"
    export.write_text(f"Name,Email\nBo Lind,bo@wire.example\nAna Ortiz,{ANA.upper()}\n")
    imported = run(capsys, room, "contacts", "import", "export.csv", "--list", "again")
    assert imported.code == 0, imported.err
    assert "export.csv:3" in imported.err and "forgotten on request" in imported.err
    assert ANA not in imported.err.lower()  # the warning names the line, not the person
    assert "1 forgotten on request left out" in imported.out
    assert ANA not in (room / "contacts" / "again.csv").read_text().lower()
    anyway = run(capsys, room, "contacts", "import", "export.csv", "--list", "again", "--force",
                 "--include-forgotten")  # fmt: skip
    assert anyway.code == 0, anyway.err
    assert ANA in (room / "contacts" / "again.csv").read_text().lower()
    with open_log(room_log(room), read_only=True) as log:
        assert log.is_suppressed(ANA)  # and send still skips her

"""State that is broken says so: the outbox folder, a read-only, damaged or vanished send log.

Nothing is marked sent that was not, and a log deleted during a send is found
before the next batch, instead of being re-created empty by the next run (which
would mail everybody again).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pressroom.deliver.send import deliver, prepare
from pressroom.load.room import load_room
from tests.cli_runner import run
from tests.conftest import load_example, missing
from tests.test_send import RELEASE, national_press, outbox

OTHER = "2026-12-02-advisory-petition-delivery"
LOG = Path(".pressroom") / "outbox.db"


def log_rows(capsys: pytest.CaptureFixture[str], root: Path) -> dict[str, str]:
    capsys.readouterr()
    result = run(capsys, root, "log", "streetsight-suspended", "--csv", "--transport", "outbox")
    assert result.code == 0, result
    return {row["email"]: row["state"] for row in csv.DictReader(io.StringIO(result.out))}


def assert_clear(result: object, *phrases: str) -> None:
    text = result.err  # type: ignore[attr-defined]
    assert result.code != 0, result  # type: ignore[attr-defined]
    assert "Traceback" not in text, text
    for phrase in phrases:
        assert phrase in text, text


# -- the outbox ------------------------------------------------------------------------------------


def test_an_outbox_that_is_a_file_stops_before_anything_is_planned(room, capsys) -> None:
    (room / ".pressroom").mkdir()
    (room / ".pressroom" / "outbox").write_text("not a folder")
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert_clear(result, ".pressroom/outbox: the outbox writes its messages into folders")
    assert "nothing was sent" in result.err and "unknown" not in result.err
    (room / ".pressroom" / "outbox").unlink()
    again = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert again.code == 0 and "8 to send" in again.out  # nobody was marked anything


def test_a_file_where_the_release_folder_goes_is_refused_too(room, capsys) -> None:
    folder = room / ".pressroom" / "outbox"
    folder.mkdir(parents=True)
    (folder / RELEASE).write_text("")
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert_clear(result, f"outbox/{RELEASE}: the outbox writes its messages into folders")
    test = run(capsys, room, "send", "streetsight-suspended", "--test", "me@office.example")
    assert_clear(test, "the outbox writes its messages into folders")


# -- a read-only or damaged log ------------------------------------------------------------------


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """*path* made unwritable: chmod for a user, the immutable attribute for root."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    if shutil.which("chattr") is None:
        missing("root ignores file modes and chattr is missing (e2fsprogs)")
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if made.returncode != 0:
        missing(f"cannot make a file read-only here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_log_is_named_and_nothing_is_sent(room, capsys) -> None:
    assert run(capsys, room, "send", "streetsight-suspended", "--yes").code == 0
    sqlite3.connect(room / LOG).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    with read_only(room / LOG):
        result = run(capsys, room, "send", OTHER, "--yes")
    assert_clear(result, ".pressroom/outbox.db: the send log cannot be written", "read-only")
    assert not (room / ".pressroom" / "outbox" / OTHER).exists()
    assert set(log_rows(capsys, room).values()) == {"accepted"}


def test_a_log_that_is_not_a_database_is_never_replaced(room, capsys) -> None:
    (room / ".pressroom").mkdir()
    (room / LOG).write_bytes(b"this is not SQLite at all" * 100)
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert_clear(result, ".pressroom/outbox.db: not a pressroom send log", "Do not delete it")
    assert "start a new one" not in result.err  # that advice would mail everybody again
    assert outbox(room) == []


def test_a_log_damaged_inside_says_so(room, capsys) -> None:
    assert run(capsys, room, "send", "streetsight-suspended", "--yes").code == 0
    sqlite3.connect(room / LOG).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = bytearray((room / LOG).read_bytes())
    for i in range(4096, len(data), 7):  # every page after the first, scribbled over
        data[i] = 0xAB
    (room / LOG).write_bytes(bytes(data))
    result = run(capsys, room, "send", OTHER, "--yes")
    assert_clear(result, ".pressroom/outbox.db: the send log is damaged", "restore it")
    assert not (room / ".pressroom" / "outbox" / OTHER).exists()


# -- a log deleted or replaced during a send ----------------------------------------------------


def send_and_meddle(room: Path, after: int, meddle: object) -> object:
    """Send the release to the outbox, calling *meddle* once *after* messages are written."""
    loaded = load_room(room)
    prepared = prepare(loaded, load_example(loaded, "streetsight-suspended"))
    written = 0

    def on_batch(count: int) -> None:
        nonlocal written
        written += count
        if written == after:
            meddle()  # type: ignore[operator]

    return deliver(prepared, on_batch=on_batch)


def test_a_log_deleted_mid_send_is_written_back_and_nobody_gets_it_twice(room, capsys) -> None:
    def delete() -> None:
        for name in ("outbox.db", "outbox.db-wal", "outbox.db-shm"):
            (room / ".pressroom" / name).unlink(missing_ok=True)

    outcome = send_and_meddle(room, 3, delete)
    assert outcome.accepted == 3  # type: ignore[attr-defined]
    assert "the send log was deleted during the send" in outcome.stopped  # type: ignore[attr-defined]
    assert (room / LOG).is_file()
    states = log_rows(capsys, room)
    assert sorted(states.values()) == ["accepted"] * 3 + ["planned"] * 5
    first = {f: f.stat().st_mtime_ns for f in outbox(room)}
    assert len(first) == 3

    again = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert again.code == 0, again.err
    assert "5 to send, 3 already sent" in again.out
    assert {f: f.stat().st_mtime_ns for f in outbox(room) if f in first} == first
    assert len(outbox(room)) == len(national_press(room))


def test_a_log_replaced_mid_send_is_kept_aside_and_the_send_stops(room, capsys) -> None:
    def replace() -> None:
        fresh = room / ".pressroom" / "elsewhere.db"
        sqlite3.connect(fresh).close()
        os.replace(fresh, room / LOG)

    outcome = send_and_meddle(room, 2, replace)
    assert outcome.accepted == 2  # type: ignore[attr-defined]
    stopped = outcome.stopped  # type: ignore[attr-defined]
    assert "was replaced by another file" in stopped and "outbox.recovered.db" in stopped
    saved = room / ".pressroom" / "outbox.recovered.db"
    with sqlite3.connect(saved) as db:
        accepted = db.execute(
            "SELECT count(*) FROM delivery_states WHERE state='accepted'"
        ).fetchone()
    assert accepted == (2,)
    assert len(outbox(room)) == 2

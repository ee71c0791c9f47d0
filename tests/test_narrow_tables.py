"""Tables stay readable in an 80-column terminal; piped output is plain and complete
(issue 19, item 4).

``log``, ``log --to``, ``log`` of every release and ``report`` run as a user
runs them: in a real terminal (a pseudo-terminal 80 columns wide) and piped,
on a log with long addresses and message ids (a send through the official client
to tests/sendgrid_server.py). On the terminal every line fits,
the recipient, state and time of every row are shown whole (folded, never cut
to "…"), and the columns left out are named; piped, every value is whole on
its row and nothing is left out.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from tests.cli_runner import run

LONG = [
    "alexandra.konstantinopoulou-whitfield@investigative-reporting-collective.example",
    "desk.night-editor.metropolitan@northern-regional-broadcasting-network.example",
]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
RELEASE = "2026-11-23-streetsight-suspended"


@pytest.fixture
def sent_room(room: Path, server, capsys) -> Path:
    contacts = room / "contacts" / "national-press.csv"
    rows = "".join(f"{address},Long Name {i},Long{i}\n" for i, address in enumerate(LONG))
    contacts.write_text(contacts.read_text() + rows)
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert result.code == 0, result.err
    return room


def in_terminal(room: Path, *args: str, columns: int = 80) -> str:
    """The output of ``pressroom ARGS`` in a pseudo-terminal *columns* wide, escapes removed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "40", "TERM": "xterm-256color"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pressroom", *args],
        cwd=room, env=env, stdin=follower, stdout=follower, stderr=follower,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    return ANSI.sub("", b"".join(chunks).decode()).replace("\r\n", "\n")


def piped(room: Path, *args: str) -> str:
    env = {**os.environ, "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "pressroom", *args],
        cwd=room, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return done.stdout


def table_lines(output: str) -> list[str]:
    """The lines Rich draws (text lines are the terminal's to wrap)."""
    return [line for line in output.splitlines() if set(line) & set("│┃━─")]


def cells(output: str, column: int, key: int = 1) -> list[str]:
    """Column *column* of a table's rows, a row's folded lines joined (a row starts
    where its column *key*, the state, is not empty)."""
    rows: list[list[str]] = []
    for line in output.splitlines():
        parts = line.split("│")
        if len(parts) < 3:
            continue
        values = [p.strip() for p in parts[1:-1]]
        if values[key] or not rows:
            rows.append(values)
        else:
            rows[-1] = [a + b for a, b in zip(rows[-1], values, strict=True)]
    return [row[column] for row in rows]


def test_log_fits_80_columns_with_recipient_state_and_time_whole(sent_room):
    shown = in_terminal(sent_room, "log", "streetsight-suspended")
    assert table_lines(shown) and all(len(line) <= 80 for line in table_lines(shown)), shown
    assert "…" not in shown
    assert "(left out to fit 80 columns: lists, version" in shown
    assert f"pressroom log {RELEASE} --csv shows them" in shown
    header = next(line for line in shown.splitlines() if "recipient" in line)
    assert "state" in header and "at" in header
    recipients = cells(shown, 0)
    assert set(LONG) <= set(recipients) and len(recipients) == 10
    assert set(cells(shown, 1)) == {"accepted"}
    assert set(cells(shown, 2)) == {"Nov 23, 2026, 7:00 AM EST"}


def test_every_table_fits_80_columns_and_cuts_nothing(sent_room):
    for args in (
        ["log"],
        ["log", "--to", LONG[0]],
        ["report"],
        ["report", "streetsight-suspended"],
    ):
        shown = in_terminal(sent_room, *args)
        lines = table_lines(shown)
        assert lines and all(len(line) <= 80 for line in lines), (args, shown)
        assert "…" not in shown, (args, shown)
    history = in_terminal(sent_room, "log", "--to", LONG[0])
    assert cells(history, 0) == [RELEASE] and "accepted" in history


def test_piped_output_is_whole_and_leaves_nothing_out(sent_room):
    shown = piped(sent_room, "log", "streetsight-suspended")
    assert "left out" not in shown and "…" not in shown
    for address in LONG:
        [line] = [line for line in shown.splitlines() if address in line]
        assert "national-press" in line and "accepted" in line and "Nov 23, 2026" in line
        message_id = line.split("│")[-2].strip()
        assert len(message_id) > 10  # the message id, whole on the row
    wide = piped(sent_room, "report")
    assert "spam reports" in wide and "opened %" in wide and "left out" not in wide

"""Two senders, one PostgreSQL log: each journalist gets exactly one message, even after kill -9.

Two copies of the room (two laptops) point at one database and run ``pressroom
send`` as separate processes against the SendGrid-compatible server of this
test process. The server's count of accepted messages is the judge.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressroom.sendlog import Location, open_log
from tests.conftest import wait_for_sessions_to_end
from tests.sendgrid_server import SendGridServer
from tests.test_send_sendgrid import big_list

COUNT = 10_000  # ten requests of 1,000
DEADLINE = 300  # seconds for any one wait: a bound, never a pause (2 busy cores)
RELEASE = "streetsight-suspended"
NAME = "2026-11-23-streetsight-suspended"  # the file's name: the log's name of it


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SendGridServer]:
    with SendGridServer(keep_payloads=False) as server:
        monkeypatch.setenv("SENDGRID_API_KEY", server.api_key)
        monkeypatch.setenv("PRESSROOM_SENDGRID_URL", server.url)
        yield server


@pytest.fixture
def rooms(room: Path, postgres_url: str) -> tuple[Path, Path]:
    """Two copies of a room with a list of COUNT, both keeping their log in one database."""
    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + f"database: {postgres_url}\n")
    big_list(room, COUNT)
    other = room.parent / "laptop-2"
    shutil.copytree(room, other)
    return room, other


def start(room: Path, *flags: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pressroom", "--root", str(room), "send", RELEASE]
    command += ["--list", "big", "--yes", *flags]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
    )


def accepted_by(output: str) -> int:
    found = re.search(r"Sent: (\d+) accepted", output)
    return int(found.group(1)) if found else 0


def states(url: str) -> dict[str, str]:
    wait_for_sessions_to_end(url)  # a killed sender's session has ended
    with open_log(Location(url=url)) as log:  # a sender opening: dead claims become unknown
        return {d.key: d.state for d in log.report(NAME)}


def test_two_senders_at_once_send_each_journalist_one_message(rooms, server, postgres_url):
    first, second = (start(room) for room in rooms)
    outputs = [p.communicate(timeout=DEADLINE) for p in (first, second)]
    for process, (out, err) in zip((first, second), outputs, strict=True):
        assert process.returncode == 0, out + err
    assert len(server.accepted) == COUNT and set(server.accepted.values()) == {1}
    assert sum(accepted_by(out) for out, _ in outputs) == COUNT  # each says what it sent
    assert set(states(postgres_url).values()) == {"accepted"}

    again = start(rooms[1])
    out, err = again.communicate(timeout=DEADLINE)
    assert again.returncode == 0, err
    assert "Nobody to send to: everyone has this version already." in out


def test_kill_9_of_one_sender_leaves_its_batch_unknown_while_the_other_carries_on(
    rooms, server, postgres_url
):
    server.fail("hang", at=2, seconds=DEADLINE)  # the third request is never answered
    senders = [start(room) for room in rooms]
    deadline = time.monotonic() + DEADLINE
    # one sender finishes everything it can claim; the other waits on its hung request
    while all(p.poll() is None for p in senders):
        assert time.monotonic() < deadline, "timed out waiting for a sender to finish"
        time.sleep(0.01)
    [survivor] = [p for p in senders if p.poll() is not None]
    [stuck] = [p for p in senders if p is not survivor]
    out, err = survivor.communicate()
    assert survivor.returncode == 0, err
    assert accepted_by(out) > 0, out  # it carried on while the other was stuck
    assert stuck.poll() is None, "the sender with the hung request is still waiting"
    stuck.send_signal(signal.SIGKILL)
    stuck.communicate(timeout=DEADLINE)
    assert stuck.returncode == -signal.SIGKILL

    # nobody twice, and exactly the hung batch is missing: held as unknown, not lost
    assert set(server.accepted.values()) == {1}
    assert len(server.accepted) == COUNT - 1000
    found = states(postgres_url)
    held = [key for key, state in found.items() if state == "unknown"]
    assert len(held) == 1000 and not set(held) & set(server.accepted)
    assert set(found.values()) == {"accepted", "unknown"}

    # the next send holds them until told; --resend-unknown sends exactly those
    held_run = start(rooms[0])
    out, err = held_run.communicate(timeout=DEADLINE)
    assert held_run.returncode == 1 and "1000 unknown (held" in out, out + err
    resent = start(rooms[1], "--resend-unknown")
    out, err = resent.communicate(timeout=DEADLINE)
    assert resent.returncode == 0, err
    assert len(server.accepted) == COUNT and set(server.accepted.values()) == {1}
    assert set(states(postgres_url).values()) == {"accepted"}

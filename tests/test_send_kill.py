"""kill -9 in the middle of a real send, then resume: nobody lost, nobody twice.

``pressroom send`` runs as a separate process against the SendGrid-compatible
server of this test process, and is killed with SIGKILL at chosen moments:
before the first request, while a request is out, just after a request was
answered. The server's own count of accepted messages is the judge.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.sendgrid_server import SendGridServer
from tests.test_send_sendgrid import big_list

COUNT = 5000  # five requests of 1,000
DEADLINE = 90  # seconds for any one wait: a bound, never a pause


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SendGridServer]:
    with SendGridServer(keep_payloads=False) as server:
        monkeypatch.setenv("SENDGRID_API_KEY", server.api_key)
        monkeypatch.setenv("PRESSROOM_SENDGRID_URL", server.url)
        yield server


def start(room: Path, *flags: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pressroom", "--root", str(room), "send"]
    command += ["streetsight-suspended", "--list", "big", "--yes", *flags]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
    )


def wait_until(condition: Callable[[], bool], process: subprocess.Popen[str]) -> bool:
    """Wait for *condition*; False if the send ended first (successfully)."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if process.poll() is not None:
            out, err = process.communicate()
            assert process.returncode == 0, err
            return False
        assert time.monotonic() < deadline, "timed out waiting for the send"
        time.sleep(0.005)
    return True


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=DEADLINE)
    assert process.returncode == -signal.SIGKILL


def finish(room: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    process = start(room, *flags)
    out, err = process.communicate(timeout=DEADLINE * 2)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def states(room: Path) -> dict[str, str]:
    """Each address's state, read straight from the file the killed process left."""
    with sqlite3.connect(room / ".pressroom" / "pressroom.db") as db:
        try:
            return dict(db.execute("SELECT email_key, state FROM delivery_states").fetchall())
        except sqlite3.OperationalError:  # killed before the log's first commit
            return {}


def assert_exactly_once(server: SendGridServer, addresses: list[str], room: Path) -> None:
    assert len(server.accepted) == len(addresses)
    assert set(server.accepted) == set(addresses)
    assert set(server.accepted.values()) == {1}, "somebody received it twice"
    # "skipped": a batch SendGrid took just before the kill, marked done with --skip-unknown
    assert set(states(room).values()) <= {"accepted", "skipped"}


def test_killed_while_a_request_is_out_resumes_with_that_batch_held(room, server):
    addresses = big_list(room, COUNT)
    server.fail("hang", at=2, seconds=DEADLINE)  # the third request never gets an answer
    process = start(room)
    assert wait_until(lambda: len(server.mail) >= 3, process)
    kill(process)
    assert sum(server.accepted.values()) == 2000
    assert list(states(room).values()).count("in_flight") == 1000

    resumed = finish(room)
    assert resumed.returncode == 0, resumed.stderr
    assert "1000 unknown (held: --resend-unknown or --skip-unknown)" in resumed.stdout
    assert "2000 to send, 2000 already sent" in resumed.stdout
    assert sum(server.accepted.values()) == 4000
    assert list(states(room).values()).count("unknown") == 1000

    # the hung request was never processed: sending those 1,000 again is right
    resent = finish(room, "--resend-unknown")
    assert resent.returncode == 0, resent.stderr
    assert "1000 to send" in resent.stdout
    assert_exactly_once(server, addresses, room)


def test_killed_at_many_moments_nobody_is_lost_or_sent_twice(room, server):
    """Kill before the first request, then after each answer, at a slightly random moment.

    Each run resumes the one before it; a batch left unknown is settled the
    way a person would after checking SendGrid's activity feed: sent again if
    it never arrived, marked done if it did.
    """
    addresses = big_list(room, COUNT)
    chance = random.Random(20261130)
    db = room / ".pressroom" / "pressroom.db"
    flags: tuple[str, ...] = ()
    for step in range(COUNT // 1000):
        before = len(server.sent)
        process = start(room, *flags)
        if step == 0:
            moment = db.exists  # planned and committed, nothing sent yet
        else:
            moment = lambda before=before: len(server.sent) > before  # noqa: E731
        if not wait_until(moment, process):
            break  # it finished before the moment came
        time.sleep(chance.uniform(0, 0.05))
        kill(process)
        # rows a dead process left in flight are the next run's unknowns
        unknown = [k for k, state in states(room).items() if state in ("in_flight", "unknown")]
        delivered = {server.accepted[key] for key in unknown}
        assert len(delivered) <= 1, "a batch reaches the server whole or not at all"
        flags = ("--skip-unknown",) if delivered == {1} else ("--resend-unknown",)
    last = finish(room, *flags)
    assert last.returncode == 0, last.stderr
    assert_exactly_once(server, addresses, room)

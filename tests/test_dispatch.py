"""Sends scheduled further ahead than SendGrid holds: kept in the log, handed over by dispatch."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

from pressroom.deliver.retry import RetryPolicy
from tests.cli_runner import run
from tests.test_send import national_press

RELEASE = "2026-11-23-streetsight-suspended"
AT = "2026-11-30 09:00 America/New_York"  # a week after the tests' NOW (Nov 23, 12:00 UTC)
AT_UNIX = int(datetime.fromisoformat("2026-11-30T09:00:00-05:00").timestamp())
DUE = "2026-11-28T18:00:00+00:00"  # 68 hours before AT: within SendGrid's 72


def outbox(room: Path) -> list[Path]:
    return list((room / ".pressroom" / "outbox" / RELEASE).glob("*.eml"))


def test_a_send_a_week_ahead_waits_in_the_log_and_goes_to_sendgrid_with_its_exact_time(
    room, server, capsys, monkeypatch
):
    scheduled = run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes")
    assert scheduled.code == 0, scheduled.err
    assert "Scheduled for 9:00 AM EST, Monday, November 30, 2026" in scheduled.out
    assert "pressroom dispatch" in scheduled.out
    assert server.sent == []  # nothing reaches the provider a week ahead

    early = run(capsys, room, "dispatch", "--use-pressroom-now")
    assert early.code == 0 and "No scheduled send is due." in early.out
    assert server.sent == []

    monkeypatch.setenv("PRESSROOM_NOW", DUE)
    # PRESSROOM_NOW is a rehearsal's clock: a real dispatch under it is refused...
    refused = run(capsys, room, "dispatch")
    assert refused.code == 2 and "PRESSROOM_NOW is set" in refused.err
    assert "--dry-run" in refused.err and server.requests == []
    # ...and a dry run says what is due and hands nothing over
    rehearsal = run(capsys, room, "dispatch", "--dry-run")
    assert rehearsal.code == 0, rehearsal.err
    assert f"{RELEASE} (Nov 30, 2026, 9:00 AM EST): due: would be handed over" in rehearsal.out
    assert "Dry run: 1 due, nothing was handed over." in rehearsal.out
    assert server.requests == []
    handed = run(capsys, room, "dispatch", "--use-pressroom-now")
    assert handed.code == 0, handed.err
    assert "dispatched: handed over for 9:00 AM EST, Monday, November 30, 2026" in handed.out
    assert "8 accepted, 0 failed" in handed.out
    assert len(server.sent) == 2  # one request per language (the original, German)
    assert all(request.payload["send_at"] == AT_UNIX for request in server.sent)
    assert sorted(
        p["to"][0]["email"] for r in server.sent for p in r.payload["personalizations"]
    ) == sorted(national_press(room))

    again = run(capsys, room, "dispatch", "--use-pressroom-now")
    assert "No scheduled send is due." in again.out and len(server.sent) == 2
    listing = run(capsys, room, "log", "streetsight-suspended")
    assert listing.code == 0 and "scheduled" in listing.out


def test_an_edit_after_scheduling_is_held_never_sent_unseen(room, capsys, monkeypatch):
    assert run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes").code == 0
    source = room / "releases" / f"{RELEASE}.yaml"
    source.write_text(source.read_text().replace("Demands", "Urges", 1))
    monkeypatch.setenv("PRESSROOM_NOW", DUE)
    held = run(capsys, room, "dispatch")
    assert held.code == 1
    assert "held: changed since it was scheduled" in held.err and "nothing was sent" in held.err
    assert outbox(room) == []
    later = run(capsys, room, "dispatch")
    assert later.code == 0 and "No scheduled send is due." in later.out


def test_a_waiting_send_can_be_cancelled_and_a_second_one_waits_for_that(room, capsys, monkeypatch):
    assert run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes").code == 0
    twice = run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes")
    assert twice.code == 2 and "already waiting" in twice.err and "--cancel" in twice.err
    cancelled = run(capsys, room, "send", "streetsight-suspended", "--cancel")
    assert cancelled.code == 0, cancelled.err
    assert "Cancelled the send waiting for 9:00 AM EST" in cancelled.out
    assert "nobody will receive it" in cancelled.out
    monkeypatch.setenv("PRESSROOM_NOW", DUE)
    assert "No scheduled send is due." in run(capsys, room, "dispatch").out
    assert outbox(room) == []


def test_a_missed_time_is_held_not_sent_late(room, capsys, monkeypatch):
    assert run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes").code == 0
    monkeypatch.setenv("PRESSROOM_NOW", "2026-12-01T12:00:00+00:00")
    missed = run(capsys, room, "dispatch")
    assert missed.code == 1 and "passed more than an hour ago" in missed.err
    assert outbox(room) == []


def test_scheduling_needs_the_approvals_and_a_sane_year(room, capsys, monkeypatch):
    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + "\napproval: {required: 1}\n")
    refused = run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes")
    assert refused.code == 1 and "needs 1 approval" in refused.err
    assert run(capsys, room, "approve", "streetsight-suspended", "--as", "Marisol Ortega").code == 0
    assert run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes").code == 0
    monkeypatch.setenv("PRESSROOM_NOW", DUE)
    handed = run(capsys, room, "dispatch")
    assert handed.code == 0, handed.err
    assert len(outbox(room)) == 8

    typo = run(capsys, room, "send", "streetsight-suspended", "--at", "2062-11-30 09:00", "--yes")
    assert typo.code == 2 and "more than a year away" in typo.err


def test_two_dispatchers_on_one_database_send_each_journalist_once(
    room, server, postgres_url, capsys, monkeypatch, tmp_path
):
    monkeypatch.setenv("PRESSROOM_DATABASE_URL", postgres_url)
    other = tmp_path / "laptop-2"
    shutil.copytree(room, other)
    assert run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes").code == 0

    server.set_now(datetime.fromisoformat(DUE))
    env = {**os.environ, "PRESSROOM_NOW": DUE}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pressroom", "dispatch", "--use-pressroom-now"],
            cwd=where,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for where in (room, other)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), results
    delivered = Counter(
        p["to"][0]["email"] for request in server.sent for p in request.payload["personalizations"]
    )
    assert sorted(delivered) == sorted(national_press(room))
    assert set(delivered.values()) == {1}
    assert all(r.payload["send_at"] == AT_UNIX for r in server.sent)


def test_a_refused_handover_stays_pending_and_is_tried_again(room, server, capsys, monkeypatch):
    # every attempt fails here: the waits between them (tests/test_retry.py) are not the point
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, attempt: 0.0)
    assert run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes").code == 0
    monkeypatch.setenv("PRESSROOM_NOW", DUE)
    server.fail("500", times=None)
    refused = run(capsys, room, "dispatch", "--use-pressroom-now")
    server.clear_faults()
    assert (
        refused.code == 1 and "failed:" in refused.err and "tries the failed again" in refused.err
    )
    retried = run(capsys, room, "dispatch", "--use-pressroom-now")
    assert retried.code == 0, retried.err
    assert "8 accepted, 0 failed" in retried.out
    assert sum(len(r.payload["personalizations"]) for r in server.sent) == 8


def test_the_log_shows_a_send_waiting_for_its_time(room, capsys):
    """A press officer who scheduled a send a week ahead looks it up: the log must
    not say there is nothing (it used to: pending sends were never shown)."""
    assert run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes").code == 0
    one = run(capsys, room, "log", "streetsight-suspended")
    assert one.code == 0, one.err
    assert "Nothing" not in one.out
    assert "waiting for 9:00 AM EST, Monday, November 30, 2026" in one.out
    assert f"pressroom send {RELEASE} --cancel" in one.out
    every = run(capsys, room, "log")
    assert every.code == 0 and f"{RELEASE}: a send waiting for 9:00 AM EST" in every.out
    assert run(capsys, room, "send", "streetsight-suspended", "--cancel").code == 0
    gone = run(capsys, room, "log", "streetsight-suspended")
    assert "waiting for" not in gone.out


def test_sending_now_says_a_send_of_the_release_also_waits(room, capsys):
    """Sending now what is scheduled for next week left the scheduled send in place
    without a word."""
    assert run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes").code == 0
    now = run(capsys, room, "send", "streetsight-suspended", "--dry-run")
    assert now.code == 0, now.err
    assert "Also waiting: a send of this release for 9:00 AM EST, Monday, November 30" in now.out
    assert "pressroom send streetsight-suspended --cancel" in now.out


def test_the_preview_shows_a_send_waiting_for_its_time(room, capsys):
    """The preview said "Not sent yet" of a release scheduled a week ahead."""
    from pressroom.serve.layout import page_templates
    from pressroom.serve.pages import Preview

    assert run(capsys, room, "send", "streetsight-suspended", "--at", AT, "--yes").code == 0
    page = Preview(room).release(RELEASE)
    html = page_templates().get_template("release.html.j2").render(page=page, org=page.org)
    assert "Not sent yet" not in html
    assert "Scheduled for Nov 30, 2026, 9:00 AM EST" in html
    assert f"pressroom send {RELEASE} --cancel" in html
    index = Preview(room).index()
    html = page_templates().get_template("index.html.j2").render(page=index, org=index.org)
    assert "Scheduled for Nov 30, 2026, 9:00 AM EST" in html

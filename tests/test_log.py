"""``pressroom log`` shows what really went out: real sends whatever the shell's
SENDGRID_API_KEY, rehearsals apart and labelled, every send, one journalist's history.

Real parts: the SendGrid-compatible server, the outbox, the SQLite logs, the CLI.
"""

from __future__ import annotations

import json

import pytest

from tests.cli_runner import run
from tests.sendgrid_server import SendGridServer

RELEASE = "streetsight-suspended"
FULL = "2026-11-23-streetsight-suspended"
LETTER = "2026-11-17-open-letter-streetsight"


@pytest.fixture
def sent_for_real_and_rehearsed(room, capsys, monkeypatch):
    """The breaking release sent through SendGrid; the open letter only rehearsed."""
    with SendGridServer() as server:
        monkeypatch.setenv("SENDGRID_API_KEY", server.api_key)
        monkeypatch.setenv("PRESSROOM_SENDGRID_URL", server.url)
        assert run(capsys, room, "send", RELEASE, "--yes").code == 0
        message_id = server.sent[0].message_id
    monkeypatch.delenv("SENDGRID_API_KEY")  # a new shell, without the key
    assert run(capsys, room, "send", "open-letter-streetsight", "--yes").code == 0  # the outbox
    return message_id


def test_a_sendgrid_send_shows_without_the_key_and_rehearsals_apart(
    room, capsys, sent_for_real_and_rehearsed
):
    shown = run(capsys, room, "log", RELEASE)
    assert shown.code == 0, shown.err
    assert f"Send log of {FULL}" in shown.out and "8 accepted" in shown.out
    assert sent_for_real_and_rehearsed in shown.out
    assert "outbox" not in shown.out  # this release was never rehearsed

    letter = run(capsys, room, "log", "open-letter-streetsight")
    assert f"Rehearsals of {LETTER} in the outbox (nothing was delivered)" in letter.out
    assert "Rehearsed: 11 accepted" in letter.out and "Send log of" not in letter.out
    only = run(capsys, room, "log", RELEASE, "--outbox")
    assert only.out.startswith("Nothing in the log of") and "outbox.db" in only.out


def test_log_without_a_release_lists_every_send(room, capsys, sent_for_real_and_rehearsed):
    shown = run(capsys, room, "log")
    assert shown.code == 0, shown.err
    sent, _, rehearsed = shown.out.partition(
        "Rehearsals in the outbox (nothing was delivered): every release"
    )
    assert (
        "Sent: every release" in sent
        and FULL in sent
        and "8 accepted" in sent
        and LETTER not in sent
    )
    assert LETTER in rehearsed and "11 accepted" in rehearsed and FULL not in rehearsed
    assert "Nov 23, 2026, 7:00 AM EST" in sent  # the room's zone and locale, not raw ISO


def test_log_to_something_that_is_no_address_says_so(room, capsys):
    """`log --to ana` said "Nothing in the log for ana", as if Ana had never been sent to."""
    result = run(capsys, room, "log", "--to", "ana")
    assert result.code == 2 and "--to: 'ana' is not an email address" in result.err


def test_log_to_one_journalist_with_what_happened(room, capsys, sent_for_real_and_rehearsed):
    events = [
        {"email": "ana@dailyledger.example", "timestamp": 1795430000, "event": kind, "sg_event_id": f"e{i}",
         "sg_message_id": f"{sent_for_real_and_rehearsed}.filter1", **extra}
        for i, (kind, extra) in enumerate([("delivered", {}), ("open", {}),
                                           ("click", {"url": "https://example.org/report"})])
    ]  # fmt: skip
    (room / "events.json").write_text(json.dumps(events))
    assert run(capsys, room, "events", "import", "events.json").code == 0
    shown = run(capsys, room, "log", "--to", "Ana@DailyLedger.example")
    assert shown.code == 0, shown.err
    sent, _, rehearsed = shown.out.partition("Rehearsals in the outbox")
    assert FULL in sent and "clicked" in sent and "delivered, open, click" in sent
    assert "https://example.org/report" in sent
    assert LETTER in rehearsed and FULL not in rehearsed
    nobody = run(capsys, room, "log", "--to", "nobody@nowhere.example")
    assert nobody.out.startswith("Nothing in the log for nobody@nowhere.example")
    both = run(capsys, room, "log", RELEASE, "--to", "a@b.example")
    assert both.code == 2 and "not both" in both.err


def test_a_report_without_events_says_where_they_come_from(
    room, capsys, sent_for_real_and_rehearsed
):
    shown = run(capsys, room, "report", RELEASE)
    assert shown.code == 0, shown.err
    assert "│ recipients   │      8 │" in shown.out and "│ delivered    │      0 │" in shown.out
    # the heading on one line (as the table's title it was folded to the table's width)
    assert shown.out.startswith(f"Report of {FULL}: first sent Nov 23, 2026, 7:00 AM EST\n")
    assert (
        "No delivery events from SendGrid for this release yet: run `pressroom events serve`"
        in shown.out
    )
    rehearsed = run(capsys, room, "report", "open-letter-streetsight")
    assert rehearsed.out.startswith(
        f"{LETTER} has not been sent to anyone (rehearsals have no report)."
    )
    both = run(capsys, room, "report", RELEASE, "--json", "--csv")
    assert both.code == 2 and "choose one of --json and --csv" in both.err

"""The whole loop with real parts: send through the SendGrid-compatible server, which
posts signed events (shuffled, some twice, a batch replayed) to a running
``pressroom events serve``; the report counts them; the next send skips the bounced.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressroom.reports.outcomes import COUNTS
from pressroom.sendlog import SendLog
from tests.cli_runner import run
from tests.sendgrid_server import SendGridServer, WebhookSigner, closed_url
from tests.test_events import SEND_LOG, Receiver, start_receiver

RELEASE = "streetsight-suspended"
OUTCOMES = {
    "ana@dailyledger.example": ["delivered", "open", "click:https://example.org/report", "open"],
    "m.okafor@capitalwire.example": ["delivered", "machine_open"],
    "priya.raman@techreview.example": [
        "delivered",
        "open",
        "click:https://example.org/report",
        "click:https://example.org/letter",
    ],  # fmt: skip
    "jwallace@civicbeat.example": ["bounce"],
    "sofia.delgado@elmirador.example": ["deferred", "delivered", "spamreport"],
    "desk@justicereport.example": ["blocked"],
    "hannah.berg@signalandnoise.example": ["delivered", "open", "unsubscribe"],
    "t.nguyen@publicradio.example": ["dropped:Invalid"],
}


@pytest.fixture
def looped(
    room: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[SendGridServer, Receiver]]:
    signer = WebhookSigner()
    receiver = start_receiver(room, signer)
    with SendGridServer() as server:
        monkeypatch.setenv("SENDGRID_API_KEY", server.api_key)
        monkeypatch.setenv("PRESSROOM_SENDGRID_URL", server.url)
        server.webhook(receiver.url, signer, batch_size=7, duplicates=0.5, replay=2, seed=3)
        server.outcomes.update(OUTCOMES)
        yield server, receiver
    receiver.stop()


def test_send_events_report_and_the_next_send_skips_the_bounced(looped, room, capsys):
    server, _receiver = looped
    sent = run(capsys, room, "send", RELEASE, "--yes")
    assert sent.code == 0, sent.err
    statuses = server.post_events()
    assert statuses and all(status == 200 for status in statuses), statuses
    assert len(server.events) == 8 + sum(len(kinds) for kinds in OUTCOMES.values())
    assert server.post_events() == []  # nothing left to post

    with SendLog.open(room / SEND_LOG, read_only=True) as log:
        stored = log.events_of("2026-11-23-streetsight-suspended")
        suppressed = log.suppressions()
    assert sorted(e.event_id for e in stored) == sorted(e["sg_event_id"] for e in server.events)
    assert suppressed == {
        "jwallace@civicbeat.example": "bounce",
        "sofia.delgado@elmirador.example": "spamreport",
        "hannah.berg@signalandnoise.example": "unsubscribe",
        "t.nguyen@publicradio.example": "invalid",
    }  # the block (soft) and the deferral suppress nobody

    result = run(capsys, room, "report", RELEASE, "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    counts = {key: report[key] for key in COUNTS}
    assert counts == {
        "recipients": 8,
        "delivered": 4,  # ana, okafor, priya, hannah; sofia's was deferred, then delivered: 5
        "bounced": 2,  # jwallace (hard), desk (blocked)
        "opened": 4,  # ana, okafor (a machine), priya, hannah
        "clicked": 2,
        "spam_reports": 1,
        "unsubscribed": 1,
    } | {"delivered": 5}
    assert all(type(report[key]) is int for key in COUNTS)
    assert report["opened_by_machine_only"] == 1 and report["deferred"] == 1
    assert report["dropped"] == 1 and report["hard_bounced"] == 1 and report["blocked"] == 1
    assert report["top_links"] == [{"url": "https://example.org/report", "clicked": 2},
                                   {"url": "https://example.org/letter", "clicked": 1}]  # fmt: skip
    assert report["per_list"]["national-press"]["recipients"] == 8
    # outlets as the media list names them
    assert report["per_outlet"]["The Daily Ledger"]["clicked"] == 1
    assert report["per_outlet"]["The Civic Beat"]["bounced"] == 1
    assert sum(hour["delivered"] for hour in report["timeline"]) == 5
    assert report["rates"]["delivery_rate"] == 0.625

    shown = run(capsys, room, "report", RELEASE)
    assert shown.code == 0, shown.err
    assert "│ delivered    │      5 │ 62% of recipients │" in shown.out
    assert "│ opened       │      4 │  80% of delivered │" in shown.out
    assert "Opened only by a machine: 1 of the 4" in shown.out
    assert "Of which: hard bounced 1, blocked 1, deferred 1, dropped 1." in shown.out
    assert "│ https://example.org/report │      2 │" in shown.out
    rows = list(csv.DictReader(io.StringIO(run(capsys, room, "report", RELEASE, "--csv").out)))
    by_address = {row["email"]: row for row in rows}
    assert len(rows) == 8 and by_address["ana@dailyledger.example"]["outcome"] == "clicked"
    assert by_address["jwallace@civicbeat.example"]["outcome"] == "bounced"
    assert by_address["m.okafor@capitalwire.example"]["outcome"] == "opened (machine)"

    listed = run(capsys, room, "contacts")
    assert listed.code == 0, listed.err
    lines = listed.out.splitlines()
    assert lines[0].split() == ["list", "recipients", "invalid", "suppressed", "bouncing"]
    assert next(line for line in lines if line.startswith("national-press")).split() == [
        "national-press", "8", "0", "4", "1"]  # fmt: skip
    suppressed_part = listed.out[
        listed.out.index("Suppressed (send skips them):") : listed.out.index("Bouncing")
    ]
    assert (
        "jwallace@civicbeat.example  hard bounce: 550 5.1.1 no such user, Nov 23, 2026"
        in suppressed_part
    )
    assert "t.nguyen@publicradio.example  dropped: Invalid" in suppressed_part
    assert "sofia.delgado@elmirador.example  spam report" in suppressed_part
    bouncing_part = listed.out[listed.out.index("Bouncing") :]
    assert "desk@justicereport.example  blocked, Nov 23, 2026" in bouncing_part
    assert "[national-press]" in bouncing_part

    # the next release to the same people skips the four, and says so
    before = len(server.sent)  # the first release went in a request per language
    letter = run(
        capsys, room, "send", "open-letter-streetsight", "--list", "national-press", "--yes"
    )
    assert letter.code == 0, letter.err
    assert "Recipients:   4 to send, 0 already sent, 4 suppressed," in letter.out
    compared = json.loads(run(capsys, room, "report", "--json").out)
    assert [r["release"] for r in compared] == [
        "2026-11-17-open-letter-streetsight", "2026-11-23-streetsight-suspended"]  # fmt: skip
    [request] = server.sent[before:]
    to = sorted(p["to"][0]["email"] for p in request.payload["personalizations"])
    assert to == sorted(a for a in OUTCOMES if a not in suppressed)


def test_the_test_server_retries_a_receiver_that_is_down(room, monkeypatch, capsys):
    signer = WebhookSigner()
    with SendGridServer() as server:
        monkeypatch.setenv("SENDGRID_API_KEY", server.api_key)
        monkeypatch.setenv("PRESSROOM_SENDGRID_URL", server.url)
        server.webhook(closed_url(), signer, retries=2, duplicates=0)
        assert run(capsys, room, "send", RELEASE, "--yes").code == 0
        statuses = server.post_events()
    # one batch (16 events): the first post and two retries, each refused by the closed port
    assert len(statuses) == 3 and all(str(s).startswith("error") for s in statuses)
    assert [e["event"] for e in server.events].count("processed") == 8

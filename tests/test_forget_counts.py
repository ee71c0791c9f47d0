"""`contacts forget` keeps the report's counts: the forgotten person still counts,
anonymously, and their pseudonym is never shown as an outlet or a label.

From a new user's day two: after erasing one journalist on request, the
report of last week's release said one fewer delivered and opened, and the
by-outlet table had a row named "forgotten:3fd1...".
"""

from __future__ import annotations

import json

from pressroom.events.parse import event
from pressroom.sendlog import open_log, room_log
from tests.cli_runner import run

RELEASE = "streetsight-suspended"
ANA = "ana@dailyledger.example"
DESK = "desk@justicereport.example"


def feedback(room) -> None:
    """Delivered for everyone who was sent it; Ana and the desk open, Ana clicks."""
    with open_log(room_log(room, _database(room))) as log:
        rows = log.report("2026-11-23-streetsight-suspended")
        events = []
        for n, row in enumerate(rows):
            base = {
                "email": row.email,
                "timestamp": 1795000000 + n,
                "sg_message_id": row.message_id,
            }
            events.append(event({**base, "event": "delivered", "sg_event_id": f"d{n}"}))
            if row.email in (ANA, DESK):
                events.append(event({**base, "event": "open", "sg_event_id": f"o{n}"}))
            if row.email == ANA:
                events.append(
                    event(
                        {
                            **base,
                            "event": "click",
                            "sg_event_id": f"c{n}",
                            "url": "https://x.example/",
                        }
                    )
                )
        log.record_events(events)


def _database(room) -> str | None:
    import os

    return os.environ.get("PRESSROOM_DATABASE_URL")


def report(room, capsys) -> dict:
    result = run(capsys, room, "report", RELEASE, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_forget_keeps_the_reports_counts_and_shows_no_pseudonym(room, server, backend, capsys):
    sent = run(capsys, room, "send", RELEASE, "--yes")
    assert sent.code == 0, sent.err
    feedback(room)
    before = report(room, capsys)
    assert (before["recipients"], before["delivered"], before["opened"], before["clicked"]) == (
        8,
        8,
        2,
        1,
    )

    forgot = run(capsys, room, "contacts", "forget", ANA, "--yes")
    assert forgot.code == 0, forgot.err

    after = report(room, capsys)
    for count in ("recipients", "delivered", "opened", "clicked", "bounced"):
        assert after[count] == before[count], count
    shown = run(capsys, room, "report", RELEASE)
    assert shown.code == 0, shown.err
    text = shown.out + json.dumps(after) + run(capsys, room, "report").out
    assert "forgotten:" not in text
    assert ANA not in text
    # Ana's outlet is named no more, but she is counted under "(forgotten on request)"
    [ledger] = [name for name in before["per_outlet"] if "Ledger" in name]
    assert ledger not in after["per_outlet"]
    forgotten = after["per_outlet"]["(forgotten on request)"]
    assert (forgotten["delivered"], forgotten["opened"], forgotten["clicked"]) == (1, 1, 1)
    assert sum(o["delivered"] for o in after["per_outlet"].values()) == 8
    rows = run(capsys, room, "report", RELEASE, "--csv").out
    assert "forgotten:" not in rows and "(forgotten on request)" in rows

"""One rule for a suppression's reason: the first one recorded stands (issue 19, item 14).

A bounce or a spam report that SendGrid's events recorded is never hidden by a
later manual ``contacts suppress``, and an event never overwrites a manual
suppression either; the CLI says which reason it kept. Both backends.
"""

from __future__ import annotations

from pressroom.events.parse import event
from pressroom.sendlog import open_log, room_log
from tests.cli_runner import run

ANA = "ana@dailyledger.example"
BEN = "ben@capitalwire.example"


def reasons(room) -> dict[str, str]:
    with open_log(room_log(room), read_only=True) as log:
        return {email: reason for email, reason, _since in log.suppression_rows()}


def test_a_manual_suppression_keeps_a_recorded_bounce_and_says_so(room, backend, capsys):
    assert run(capsys, room, "contacts", "suppress", BEN, "--reason", "manual").code == 0
    with open_log(room_log(room), events=True) as log:
        done = log.record_events(
            [
                event(
                    {
                        "email": ANA,
                        "event": "bounce",
                        "type": "bounce",
                        "sg_event_id": "b1",
                        "timestamp": 1795000000,
                        "reason": "550 no such user",
                    }
                ),
                event(
                    {
                        "email": BEN,
                        "event": "spamreport",
                        "sg_event_id": "s1",
                        "timestamp": 1795000100,
                    }
                ),
            ],  # fmt: skip
            outside_suppress=True,
        )
    assert done.suppressed == 1  # Ana; Ben was already suppressed by hand
    assert reasons(room) == {ANA: "bounce", BEN: "manual"}  # an event keeps a manual reason

    later = run(capsys, room, "contacts", "suppress", ANA, "--reason", "manual")
    assert later.code == 0, later.err
    assert f"{ANA}: already suppressed (bounce, since Nov 18, 2026, 6:06 AM EST)" in later.out
    assert "the first reason is kept, not manual" in later.out
    assert "contacts suppress --remove" in later.out
    assert reasons(room) == {ANA: "bounce", BEN: "manual"}  # the bounce was not overwritten
    with open_log(room_log(room), read_only=True) as log:
        assert "550 no such user" in log.suppression_details()[ANA][2]

    same = run(capsys, room, "contacts", "suppress", BEN, "--reason", "manual")
    assert f"{BEN}: already suppressed (manual, since" in same.out
    assert "first reason" not in same.out

    # put back, then suppressed again: the new reason is recorded
    assert run(capsys, room, "contacts", "suppress", ANA, "--remove").code == 0
    again = run(capsys, room, "contacts", "suppress", ANA, "--reason", "unsubscribe")
    assert f"{ANA}: suppressed (unsubscribe)" in again.out
    assert reasons(room)[ANA] == "unsubscribe"

"""pressroom send through SendGrid, end to end: the CLI, the official client, a real HTTP server.

The server (tests/sendgrid_server.py) checks every request as SendGrid does;
the send log is a real SQLite file in the room.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from pressroom import csvsafe
from tests.cli_runner import run
from tests.test_send import national_press

RELEASE = "2026-11-23-streetsight-suspended"
HANNAH = "hannah.berg@signalandnoise.example"
"""The one journalist of national-press whose language (de-DE) has a translation."""


def to(request) -> list[str]:  # type: ignore[no-untyped-def]
    return [p["to"][0]["email"] for p in request.payload["personalizations"]]


def big_list(root: Path, count: int, name: str = "big") -> list[str]:
    addresses = [f"reporter{i}@outlet{i % 37}.example" for i in range(count)]
    lines = ["email,name,first_name"] + [
        f"{a},Reporter {i},Rep{i}" for i, a in enumerate(addresses)
    ]
    (root / "contacts" / f"{name}.csv").write_text("\n".join(lines) + "\n")
    return addresses


def log_states(root: Path) -> dict[str, int]:
    with sqlite3.connect(root / ".pressroom" / "pressroom.db") as db:
        return dict(
            db.execute("SELECT state, count(*) FROM delivery_states GROUP BY state").fetchall()
        )


def test_a_release_reaches_its_list_once_through_sendgrid(room, server, capsys):
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert result.code == 0, result.err
    assert "Transport:    sendgrid" in result.out and "Sent: 8 accepted, 0 failed." in result.out
    table = result.out[result.out.index("outcome") :]
    for row in ("accepted", "failed", "skipped: already sent", "suppressed", "invalid rows"):
        assert row in table
    request, german = server.sent  # a batch per language: the original's first
    payload = request.payload
    assert sorted(to(request)) == sorted(a for a in national_press(room) if a != HANNAH)
    assert to(german) == [HANNAH]
    assert "Gesichtserkennungsvertrag StreetSight" in german.payload["subject"]
    assert "Seit zwei Jahren erfasst StreetSight" in german.payload["content"][1]["value"]
    assert payload["subject"].startswith("BREAKING: ")
    assert [c["type"] for c in payload["content"]] == ["text/plain", "text/html"]
    [pdf, logo] = payload["attachments"]  # the logo the HTML shows travels inline
    assert pdf["filename"] == f"{RELEASE}.pdf" and pdf["type"] == "application/pdf"
    assert (logo["disposition"], logo["content_id"]) == ("inline", "logo@sidewalkcommons.example")
    assert "2418 St. Paul Street" in payload["content"][1]["value"]  # CAN-SPAM footer
    greetings = {
        p["to"][0]["email"]: next(iter(p["substitutions"].values()))
        for p in payload["personalizations"]
    }
    assert greetings["ana@dailyledger.example"] == "Dear Ana,"
    # opaque ids only: no address in custom_args
    assert all("@" not in str(p.get("custom_args", {})) for p in payload["personalizations"])
    assert "@" not in str(payload.get("custom_args", {}))

    logged = run(capsys, room, "log", "streetsight-suspended")
    assert logged.code == 0 and "8 accepted" in logged.out
    assert request.message_id and request.message_id in logged.out
    exported = run(capsys, room, "log", "streetsight-suspended", "--csv")
    rows = list(csv.DictReader(io.StringIO(exported.out)))
    assert {r["email"] for r in rows} == set(national_press(room))
    # read as a spreadsheet reads it: SendGrid's ids may start with "-", which the export
    # marks as text (pressroom.csvsafe) so that no spreadsheet runs it as a formula
    ids = {csvsafe.cell_value(r["message_id"]) for r in rows}
    assert {r["state"] for r in rows} == {"accepted"}
    assert ids == {request.message_id, german.message_id}
    assert {r["email"]: r["language"] for r in rows}[HANNAH] == "de"

    again = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert again.code == 0 and "0 to send, 8 already sent" in again.out
    assert len(server.mail) == 2
    outbox_log = room / ".pressroom" / "outbox.db"
    assert not outbox_log.exists()  # a real send is never recorded as a rehearsal


def test_thousands_go_in_requests_of_a_thousand_with_the_files_once_each(room, server, capsys):
    addresses = big_list(room, 2500)
    result = run(capsys, room, "send", "streetsight-suspended", "--list", "big", "--yes")
    assert result.code == 0, result.err
    assert [r.recipients for r in server.sent] == [1000, 1000, 500]
    assert all(len(r.payload["attachments"]) == 2 for r in server.sent)  # the PDF, the logo
    assert set(server.accepted) == set(addresses) and set(server.accepted.values()) == {1}
    assert log_states(room) == {"accepted": 2500}


def test_an_unknown_batch_is_held_while_the_others_go_on(room, server, capsys):
    addresses = big_list(room, 2500)
    server.fail("drop", at=1)  # the second request leaves, and no answer comes back
    first = run(capsys, room, "send", "streetsight-suspended", "--list", "big", "--yes")
    assert first.code == 1
    assert "may or may not have received it" in first.err and "--resend-unknown" in first.err
    assert log_states(room) == {"accepted": 1500, "unknown": 1000}

    unknown = run(capsys, room, "log", "streetsight-suspended", "--state", "unknown", "--csv")
    assert len(unknown.out.splitlines()) == 1 + 1000
    assert {line.split(",")[2] for line in unknown.out.splitlines()[1:]} == {"unknown"}
    held = run(capsys, room, "send", "streetsight-suspended", "--list", "big", "--yes")
    assert "0 to send, 1500 already sent" in held.out and "1000 unknown (held" in held.out
    assert held.code == 1 and "1000 recipients may or may not have received it" in held.err
    assert len(server.sent) == 2

    resent = run(
        capsys, room, "send", "streetsight-suspended", "--list", "big", "--yes", "--resend-unknown"
    )
    assert resent.code == 0, resent.err
    assert set(server.accepted) == set(addresses) and set(server.accepted.values()) == {1}
    assert log_states(room) == {"accepted": 2500}


def test_a_refused_request_stops_the_send_with_sendgrids_words(room, server, capsys, monkeypatch):
    monkeypatch.setenv("SENDGRID_API_KEY", "SG.wrong-key-that-must-never-be-shown")
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert result.code == 1
    assert "SENDGRID_API_KEY" in result.err
    assert "wrong-key" not in result.out + result.err
    # the refusal stops the send at its first batch (the original's language): the
    # German batch is never tried, and stays planned for the next run
    assert log_states(room) == {"failed": 7, "planned": 1}
    db = (room / ".pressroom" / "pressroom.db").read_bytes()
    assert b"wrong-key" not in db and server.api_key.encode() not in db


def test_a_scheduled_send_can_be_cancelled_in_time(room, server, capsys):
    at = "2026-11-24 08:00 America/New_York"  # PRESSROOM_NOW is 2026-11-23 12:00 UTC
    result = run(capsys, room, "send", "streetsight-suspended", "--at", at, "--yes")
    assert result.code == 0, result.err
    assert "Deliver at:   8:00 AM EST, Tuesday, November 24, 2026" in result.out
    assert "--cancel" in result.out
    request, german = server.sent  # one batch per language, both held for the same time
    assert (
        request.payload["send_at"] == 1795525200 and request.payload["batch_id"] in server.batches
    )
    assert german.payload["batch_id"] == request.payload["batch_id"] and to(german) == [HANNAH]

    cancelled = run(capsys, room, "send", "streetsight-suspended", "--cancel")
    assert cancelled.code == 0, cancelled.err
    assert "8 recipients will not receive it" in cancelled.out
    assert server.batches[request.payload["batch_id"]] == "cancel"
    assert log_states(room) == {"failed": 8}
    assert "8 to send" in run(capsys, room, "send", "streetsight-suspended", "--dry-run").out

    nothing = run(capsys, room, "send", "streetsight-suspended", "--cancel")
    assert nothing.code == 2 and "no scheduled send to cancel" in nothing.err


def test_a_send_time_beyond_72_hours_waits_and_a_past_one_is_refused(room, server, capsys):
    result = run(
        capsys, room, "send", "streetsight-suspended", "--at", "2026-11-30 09:00 UTC", "--yes"
    )
    assert result.code == 0 and "waits in the send log" in result.out  # see test_dispatch.py
    past = run(capsys, room, "send", "streetsight-suspended", "--at", "2026-11-01 09:00 UTC")
    assert past.code == 2 and "has passed" in past.err
    assert server.requests == []  # nothing reaches SendGrid a week ahead


def test_an_edited_release_goes_as_a_correction_only_to_those_who_had_it(room, server, capsys):
    assert run(capsys, room, "send", "streetsight-suspended", "--yes").code == 0
    path = room / "releases" / f"{RELEASE}.yaml"
    text = path.read_text()
    path.write_text(text.replace("headline: ", "headline: Corrected ", 1))
    newcomer = "new.reporter@wire.example"
    national = room / "contacts" / "national-press.csv"
    national.write_text(national.read_text() + f"{newcomer},New Reporter,New,,,,,\n")

    # the German translation is behind the edited original: sent as it is, when told
    plain = run(capsys, room, "send", "streetsight-suspended", "--yes", "--allow-stale")
    assert plain.code == 0, plain.err
    assert "1 to send" in plain.out and "8 recipients have an earlier version" in plain.out
    assert [p["to"][0]["email"] for p in server.sent[-1].payload["personalizations"]] == [newcomer]

    refused = run(
        capsys, room, "send", "streetsight-suspended", "--correction", "--yes", "--allow-stale"
    )
    assert refused.code == 1 and "updates" in refused.err and "CORRECTION" in refused.err

    path.write_text(
        path.read_text().replace(
            "headline: ",
            "updates:\n  - label: CORRECTION\n    text: The headline was wrong.\nheadline: ",
            1,
        )
    )
    before = len(server.sent)
    corrected = run(
        capsys, room, "send", "streetsight-suspended", "--correction", "--yes", "--allow-stale"
    )
    assert corrected.code == 0, corrected.err
    last, german = server.sent[before:]  # each in the language they had it in
    assert last.payload["subject"].startswith("CORRECTED: BREAKING: ")
    assert sorted(to(last) + to(german)) == sorted(
        national_press(room)
    )  # the first eight, and the newcomer who had the uncorrected second version
    assert to(german) == [HANNAH] and "StreetSight" in german.payload["subject"]


def test_a_message_over_the_size_limit_is_refused_before_anything_is_planned(
    room, server, capsys, monkeypatch
):
    monkeypatch.setattr("pressroom.deliver.sendgrid.MAX_REQUEST_BYTES", 100_000)
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert result.code == 1
    assert "over its limit" in result.err and f"{RELEASE}.pdf" in result.err
    assert server.requests == []
    assert not (room / ".pressroom" / "pressroom.db").exists()


def test_sendgrids_bounces_and_unsubscribes_are_copied_and_honoured(room, server, capsys):
    server.suppressions["bounces"] = [f"gone{i}@old.example" for i in range(600)]  # two pages
    server.suppressions["unsubscribes"] = ["ana@dailyledger.example"]
    synced = run(capsys, room, "contacts", "suppress", "--sync")
    assert synced.code == 0, synced.err
    assert "601 new suppressed addresses from SendGrid" in synced.out
    assert "ana@dailyledger.example (unsubscribe)" in synced.out
    assert "0 new" in run(capsys, room, "contacts", "suppress", "--sync").out

    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert "7 to send" in result.out and "1 suppressed" in result.out
    sent = [address for request in server.sent for address in to(request)]
    assert "ana@dailyledger.example" not in sent and len(sent) == 7

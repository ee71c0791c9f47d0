"""Scheduling says what is true (issue 19, item 10).

A send scheduled for later (``send --at`` within SendGrid's 72 hours: SendGrid
takes it with ``send_at``) is *scheduled* in ``log``, ``log --to``, ``report``
and the preview until its time, not "accepted" or "Sent to"; ``--cancel``
says so in one line and the log shows *cancelled*, not failed; ``check`` does
not call a release scheduled for its own date "dated in the future". The
real SendGrid client talks to tests/sendgrid_server.py; both log backends.
"""

from __future__ import annotations

import json

from tests.cli_runner import run

SOURCE = "2026-11-23-streetsight-suspended"
RELEASE = "2026-11-24-streetsight-tomorrow"  # dated the day after the tests' NOW
AT = "2026-11-24 08:00 America/New_York"
SHOWN = "Nov 24, 2026, 8:00 AM EST"
ANA = "ana@dailyledger.example"


def preview_html(room) -> str:
    from pressroom.serve.layout import page_templates
    from pressroom.serve.pages import Preview

    page = Preview(room).release(RELEASE)
    html = page_templates().get_template("release.html.j2").render(page=page, org=page.org)
    index = Preview(room).index()
    return html + page_templates().get_template("index.html.j2").render(page=index, org=index.org)


def test_a_send_scheduled_for_tomorrow_reads_scheduled_until_its_time(
    room, server, backend, capsys, monkeypatch
):
    source = (room / "releases" / f"{SOURCE}.yaml").read_text()
    (room / "releases" / f"{RELEASE}.yaml").write_text(source)
    before = run(capsys, room, "check", RELEASE)
    assert "dated-future" in before.out + before.err  # dated tomorrow, nothing scheduled yet

    sent = run(capsys, room, "send", RELEASE, "--at", AT, "--yes")
    assert sent.code == 0, sent.err
    [request] = server.sent
    assert request.payload["send_at"]  # SendGrid holds it: the log's rows are accepted

    listing = run(capsys, room, "log", RELEASE)
    assert listing.code == 0, listing.err
    rows = [line for line in listing.out.splitlines() if "@" in line]
    assert len(rows) == 8 and all("scheduled" in r and SHOWN in r for r in rows), listing.out
    assert "accepted" not in listing.out and "8 scheduled" in listing.out
    assert "8 scheduled" in run(capsys, room, "log").out
    assert "scheduled" in run(capsys, room, "log", "--to", ANA).out
    only = run(capsys, room, "log", RELEASE, "--state", "scheduled")
    assert len([line for line in only.out.splitlines() if "@" in line]) == 8
    csv_rows = run(capsys, room, "log", RELEASE, "--csv").out.splitlines()[1:]
    assert len(csv_rows) == 8 and all(",scheduled," in r for r in csv_rows)

    report = run(capsys, room, "report", RELEASE)
    assert report.code == 0, report.err
    assert f"8 recipients scheduled for {SHOWN}" in report.out
    assert "has not been sent" not in report.out
    data = json.loads(run(capsys, room, "report", RELEASE, "--json").out)
    assert (data["recipients"], data["scheduled"]) == (0, 8)
    assert f"scheduled: {SHOWN}" in run(capsys, room, "report").out

    html = preview_html(room)
    assert f"Scheduled for {SHOWN} to 8 recipients" in html
    assert "Sent to" not in html

    after = run(capsys, room, "check", RELEASE)
    assert after.code == 0 and "dated-future" not in after.out + after.err

    # its time has come: the same rows read accepted, the report counts them
    monkeypatch.setenv("PRESSROOM_NOW", "2026-11-24T14:00:00+00:00")
    later = run(capsys, room, "log", RELEASE)
    assert "8 accepted" in later.out and "scheduled" not in later.out.split("schedule ")[0]
    assert "Sent to 8 recipients" in preview_html(room)

    # before its time, cancelled: one line, and the log says cancelled, never failed
    monkeypatch.setenv("PRESSROOM_NOW", "2026-11-23T12:00:00+00:00")
    cancelled = run(capsys, room, "send", RELEASE, "--cancel")
    assert cancelled.code == 0, cancelled.err
    assert cancelled.out.strip().splitlines() == [
        "Cancelled the send scheduled for 8:00 AM EST, Tuesday, November 24, 2026: "
        "8 recipients will not receive it."
    ]
    listing = run(capsys, room, "log", RELEASE)
    assert "8 cancelled" in listing.out and "failed" not in listing.out
    assert "8 cancelled" in run(capsys, room, "log").out
    assert "Scheduled send cancelled (8 recipients)" in preview_html(room)

"""What `pressroom send` and `pressroom log` say must be exactly true.

A scheduled send is "scheduled for" a time in the room's zone (not
"accepted"), a cancelled one is "cancelled" (not "failed"), an edited release
says who has the earlier version and how to send the correction, and a dry
run shows the From address and who would receive it.
"""

from __future__ import annotations

import re

from tests.cli_runner import run
from tests.test_send import national_press

RELEASE = "2026-11-23-streetsight-suspended"
EMBARGOED = "2037-12-01-unseen-terms-audit"
ADDRESS = re.compile(r"[\w.+-]+@[\w.-]+\.example")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def test_a_scheduled_send_says_when_in_local_time_and_a_cancelled_one_says_cancelled(
    room, server, capsys
):
    # 13:00 UTC is 8:00 AM in Baltimore (America/New_York, the room's zone)
    at = "2026-11-24 13:00 UTC"
    result = run(capsys, room, "send", "streetsight-suspended", "--at", at, "--yes")
    assert result.code == 0, result.err
    when = "8:00 AM EST, Tuesday, November 24, 2026"
    assert f"Deliver at:   {when}" in result.out
    assert f"Scheduled for {when}: 8 recipients will receive it then, 0 failed." in result.out
    assert "accepted" not in result.out and not ISO.search(result.out)

    logged = run(capsys, room, "log", "streetsight-suspended")
    assert f"scheduled, for {when}" in logged.out and not ISO.search(logged.out)

    cancelled = run(capsys, room, "send", "streetsight-suspended", "--cancel")
    assert cancelled.code == 0, cancelled.err
    assert f"Cancelled the send scheduled for {when}: 8 recipients" in cancelled.out

    logged = run(capsys, room, "log", "streetsight-suspended")
    assert logged.code == 0, logged.err
    assert "failed" not in logged.out
    assert logged.out.count(" cancelled ") >= 8 and logged.out.rstrip().endswith("8 cancelled")
    assert "Nov 23, 2026, 7:00 AM EST" in logged.out  # PRESSROOM_NOW, in the room's zone
    assert not ISO.search(logged.out)

    every = run(capsys, room, "log")  # every send, and one journalist's history
    assert "8 cancelled" in every.out and "failed" not in every.out
    ana = run(capsys, room, "log", "--to", national_press(room)[0])
    assert "cancelled" in ana.out and "failed" not in ana.out


def test_after_an_edit_send_says_who_has_the_earlier_version_and_how_to_correct(room, capsys):
    assert run(capsys, room, "send", "streetsight-suspended", "--yes").code == 0
    path = room / "releases" / f"{RELEASE}.yaml"
    path.write_text(path.read_text().replace("headline: ", "headline: Corrected ", 1))

    again = run(capsys, room, "send", "streetsight-suspended", "--yes", "--allow-stale")
    assert again.code == 0, again.err
    assert "everyone has this version" not in again.out
    assert "8 recipients have an earlier version of this release" in again.out
    assert "add an update labelled CORRECTION" in again.out
    assert "`pressroom send 2026-11-23-streetsight-suspended --correction`" in again.out
    assert again.out.rstrip().endswith("--correction`.")


def test_a_dry_run_shows_the_sender_and_who_would_receive_it(room, capsys):
    national = room / "contacts" / "national-press.csv"
    extra = [f"reporter{i:02d}@wire{i}.example" for i in range(25)]
    national.write_text(
        national.read_text() + "".join(f"{a},Reporter {i:02d},,,,,,\n" for i, a in enumerate(extra))
    )
    dry = run(capsys, room, "send", "streetsight-suspended", "--dry-run")
    assert dry.code == 0, dry.err
    assert "From:         Sidewalk Commons Press Office <press@sidewalkcommons.example>" in dry.out
    assert "Would send to 33 recipients:" in dry.out
    listed = [line for line in dry.out.splitlines() if line.startswith("  ") and "@" in line]
    assert len(listed) == 20
    assert "  ... and 13 more (--verbose lists them all)" in dry.out
    assert "Reporter 00 <reporter00@wire0.example> (national-press)" in dry.out

    everyone = run(capsys, room, "send", "streetsight-suspended", "--dry-run", "--verbose")
    lines = [line for line in everyone.out.splitlines() if line.startswith("  ")]
    shown = {address for line in lines for address in ADDRESS.findall(line)}
    assert len(lines) == 33 and shown == set(national_press(room))
    assert "more" not in everyone.out
    assert not (room / ".pressroom" / "outbox").exists()


def test_an_embargo_is_shown_in_the_rooms_zone(room, capsys):
    dry = run(capsys, room, "send", EMBARGOED, "--dry-run")
    assert dry.code == 0, dry.err
    assert "Status:       embargoed until 9:00 AM EST, Tuesday, December 1, 2037" in dry.out
    assert not ISO.search(dry.out)

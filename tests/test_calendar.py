"""A media advisory's calendar invitation, read back with the icalendar package.

A journalist adds the invitation to a calendar; when the advisory is
corrected, the corrected invitation must replace that event (same UID, higher
SEQUENCE: RFC 5545 3.8.7.4), whether it arrives by email or from the newsroom.
"""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy
from pathlib import Path

import icalendar

from tests.cli_runner import run
from tests.conftest import NOW

ADVISORY = "2026-12-02-advisory-petition-delivery"
HEADLINE = (
    "Residents to Deliver 12,000 Signatures for Surveillance Oversight Ordinance at City Hall"
)
TITLE = "Petition delivery and press conference, Baltimore City Hall"
WEBSITE = "https://www.sidewalkcommons.example"
AFTER_ITS_DATE = "2026-12-03T12:00:00+00:00"  # the advisory is on the newsroom


def emailed_event(room: Path) -> icalendar.Event:
    """The VEVENT of the .ics attached to the last message written to the outbox."""
    folder = room / ".pressroom" / "outbox" / ADVISORY
    newest = max(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    message = email.message_from_bytes(newest.read_bytes(), policy=policy.default)
    [ics] = [p for p in message.iter_attachments() if p.get_filename() == f"{ADVISORY}.ics"]
    assert ics.get_content_type() == "text/calendar"
    return one_event(ics.get_payload(decode=True))


def one_event(data: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0"
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def start(event: icalendar.Event) -> datetime:
    moment = event.decoded("DTSTART")
    assert isinstance(moment, datetime)
    return moment.astimezone(UTC)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_corrected_advisory_updates_the_event_in_the_calendar(room, capsys, monkeypatch):
    first = run(capsys, room, "send", ADVISORY, "--yes")
    assert first.code == 0, first.err
    sent = emailed_event(room)
    uid = str(sent["UID"])
    assert uid == f"{ADVISORY}@sidewalkcommons.example"
    assert sent["SEQUENCE"] == 0
    assert str(sent["SUMMARY"]) == TITLE  # event.title, not the WHAT paragraph
    assert "more than 12,000 petition signatures" in str(sent["DESCRIPTION"])
    assert str(sent["URL"]) == f"{WEBSITE}/{ADVISORY}/"
    assert start(sent) == datetime(2026, 12, 4, 15, 0, tzinfo=UTC)

    # the press conference moves an hour later: a correction, with its note
    release = room / "releases" / f"{ADVISORY}.yaml"
    edit(release, "start: 2026-12-04 10:00", "start: 2026-12-04 11:00")
    edit(release, "end: 2026-12-04 11:00", "end: 2026-12-04 12:00")
    edit(
        release,
        "headline: ",
        "updates:\n  - label: CORRECTION\n    text: The press conference starts at 11 a.m.\n"
        "headline: ",
    )
    corrected = run(capsys, room, "send", ADVISORY, "--correction", "--yes")
    assert corrected.code == 0, corrected.err
    update = emailed_event(room)
    assert str(update["UID"]) == uid
    assert update["SEQUENCE"] == 1
    assert start(update) == datetime(2026, 12, 4, 16, 0, tzinfo=UTC)

    # the newsroom offers the same invitation: same UID and SEQUENCE, its page as URL
    monkeypatch.setenv("PRESSROOM_NOW", AFTER_ITS_DATE)
    built = run(
        capsys,
        room,
        "site",
        "--use-pressroom-now",
        "--base-url",
        "https://press.sidewalkcommons.example/",
    )
    assert built.code == 0, built.err
    page_folder = room / "site" / ADVISORY
    published = one_event((page_folder / f"{ADVISORY}.ics").read_bytes())
    assert str(published["UID"]) == uid and published["SEQUENCE"] == 1
    assert start(published) == start(update)
    assert str(published["URL"]) == f"https://press.sidewalkcommons.example/{ADVISORY}/"
    page = (page_folder / "index.html").read_text(encoding="utf-8")
    assert f'href="{ADVISORY}.ics"' in page and "Add to calendar" in page

    # a second change announced by no new update would leave SEQUENCE at 1: refused
    monkeypatch.setenv("PRESSROOM_NOW", NOW)
    edit(release, "start: 2026-12-04 11:00", "start: 2026-12-04 11:30")
    refused = run(capsys, room, "send", ADVISORY, "--correction", "--yes")
    assert refused.code == 1
    assert "SEQUENCE" in refused.err and "updates" in refused.err
    edit(
        release,
        "updates:\n",
        "updates:\n  - label: CORRECTION\n    text: The press conference starts at 11:30 a.m.\n",
    )
    again = run(capsys, room, "send", ADVISORY, "--correction", "--yes")
    assert again.code == 0, again.err
    assert emailed_event(room)["SEQUENCE"] == 2


def test_an_edit_sent_to_newcomers_does_not_count_as_a_correction(room, capsys):
    assert run(capsys, room, "send", ADVISORY, "--yes").code == 0
    release = room / "releases" / f"{ADVISORY}.yaml"
    edit(release, "Holliday Street side", "Holliday Street entrance")  # a typo fixed
    local = room / "contacts" / "local-press.yaml"
    local.write_text(
        local.read_text(encoding="utf-8") + "- email: new.desk@harbor.example\n", "utf-8"
    )
    newcomer = run(capsys, room, "send", ADVISORY, "--yes")
    assert newcomer.code == 0 and "1 to send" in newcomer.out
    assert emailed_event(room)["SEQUENCE"] == 0  # a first invitation for them

    edit(release, "start: 2026-12-04 10:00", "start: 2026-12-04 10:30")
    edit(
        release,
        "headline: ",
        "updates:\n  - label: CORRECTION\n    text: It starts at 10:30 a.m.\nheadline: ",
    )
    corrected = run(capsys, room, "send", ADVISORY, "--correction", "--yes")
    assert corrected.code == 0, corrected.err
    assert emailed_event(room)["SEQUENCE"] == 1  # above every invitation sent before


def test_without_event_title_the_invitation_is_titled_by_the_headline(room, capsys):
    release = room / "releases" / f"{ADVISORY}.yaml"
    edit(release, f"  title: {TITLE}\n", "")
    result = run(capsys, room, "send", ADVISORY, "--yes")
    assert result.code == 0, result.err
    assert str(emailed_event(room)["SUMMARY"]) == HEADLINE


def test_a_release_without_an_event_has_no_invitation_in_the_newsroom(room, capsys, monkeypatch):
    monkeypatch.setenv("PRESSROOM_NOW", AFTER_ITS_DATE)
    built = run(capsys, room, "site", "--use-pressroom-now")
    assert built.code == 0, built.err
    site = room / "site"
    assert sorted(p.parent.name for p in site.glob("*/*.ics")) == [ADVISORY]

"""One send, each journalist in their language: the example room's German sibling of
streetsight-suspended, its lists' language column, the outbox and the SendGrid-compatible
server, the send log on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import email
import io
import json
import os
import signal
import subprocess
import sys
import time
from email import policy
from pathlib import Path

import pytest

from pressroom.sendlog import Location, open_log
from tests.cli_runner import run
from tests.sendgrid_server import SendGridServer
from tests.test_send import national_press, outbox

RELEASE = "2026-11-23-streetsight-suspended"
HANNAH = "hannah.berg@signalandnoise.example"  # language de-DE in contacts/national-press.csv
GERMAN_HEADLINE = "Sidewalk Commons fordert endgültiges Aus für den Gesichtserkennungsvertrag"
ENGLISH_HEADLINE = "Sidewalk Commons Demands City Permanently Cancel StreetSight"


def languages(room: Path, csv_text: str) -> list[str]:
    """Write a list 'mixed' whose rows give *csv_text*'s languages; its addresses."""
    (room / "contacts" / "mixed.csv").write_text(csv_text, encoding="utf-8")
    return [line.split(",")[0] for line in csv_text.splitlines()[1:]]


MIXED = """\
email,name,first_name,language
no.language@daily.example,No Language,Nora,
plain.de@zeitung.example,Paul Klein,Paul,de
austria@tagblatt.example,Anna Huber,Anna,de-AT
posix@rundschau.example,Jens Roth,Jens,de_DE
french@quotidien.example,Claire Petit,Claire,fr
english@herald.example,Ed Stone,Ed,en
"""


def to(request) -> list[str]:  # type: ignore[no-untyped-def]
    return [p["to"][0]["email"] for p in request.payload["personalizations"]]


def test_each_journalist_gets_one_message_in_their_language_through_the_outbox(room, capsys):
    addresses = languages(room, MIXED)
    dry = run(capsys, room, "send", "streetsight-suspended", "--list", "mixed", "--dry-run")
    assert dry.code == 0, dry.err
    assert "Languages:    3 en-US (original), 3 de\n" in dry.out
    assert "  Paul Klein <plain.de@zeitung.example> (mixed) [de]\n" in dry.out
    assert "  Claire Petit <french@quotidien.example> (mixed) [en-US]\n" in dry.out

    sent = run(capsys, room, "send", "streetsight-suspended", "--list", "mixed", "--yes")
    assert sent.code == 0, sent.err
    assert "Languages:    3 en-US (original), 3 de" in sent.out
    assert "Sent: 6 accepted, 0 failed." in sent.out
    files = outbox(room)
    assert len(files) == len(addresses)  # one message per journalist
    got = {}
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        text = " ".join(message.get_body(preferencelist=("plain",)).get_content().split())
        german = GERMAN_HEADLINE in str(message["Subject"])
        assert (GERMAN_HEADLINE in text) is german and (ENGLISH_HEADLINE in text) is not german
        assert message["X-Pressroom-Release"] == RELEASE  # one release, one version
        assert message["Content-Language"] == ("de" if german else "en-US")
        got[str(message["To"].addresses[0].addr_spec)] = "de" if german else "en"
        if german:
            assert "Seit zwei Jahren erfasst StreetSight" in text
            [pdf] = [p for p in message.iter_attachments() if p.get_filename().endswith(".pdf")]
            assert pdf.get_filename() == f"{RELEASE}.de.pdf"
    assert got == {
        "no.language@daily.example": "en",
        "plain.de@zeitung.example": "de",
        "austria@tagblatt.example": "de",
        "posix@rundschau.example": "de",
        "french@quotidien.example": "en",  # no French translation: the original
        "english@herald.example": "en",
    }
    versions = {
        email.message_from_bytes(p.read_bytes(), policy=policy.default)["X-Pressroom-Version"]
        for p in files
    }
    assert len(versions) == 1

    logged = run(capsys, room, "log", "streetsight-suspended", "--outbox")
    assert "language" in logged.out and "de" in logged.out
    again = run(capsys, room, "send", "streetsight-suspended", "--list", "mixed", "--yes")
    assert "0 to send, 6 already sent" in again.out and len(outbox(room)) == 6


def test_sendgrid_gets_a_request_per_language_and_the_log_says_who_got_which(
    room, server, backend, capsys
):
    languages(room, MIXED)
    sent = run(capsys, room, "send", "streetsight-suspended", "--list", "mixed", "--yes")
    assert sent.code == 0, sent.err
    english, german = server.sent
    assert sorted(to(english)) == [
        "english@herald.example", "french@quotidien.example", "no.language@daily.example"
    ]  # fmt: skip
    assert sorted(to(german)) == [
        "austria@tagblatt.example", "plain.de@zeitung.example", "posix@rundschau.example"
    ]  # fmt: skip
    assert GERMAN_HEADLINE in german.payload["subject"]
    assert ENGLISH_HEADLINE in english.payload["subject"]
    assert german.payload["attachments"][0]["filename"] == f"{RELEASE}.de.pdf"
    assert german.payload["headers"]["Content-Language"] == "de"
    assert english.payload["headers"]["Content-Language"] == "en-US"

    exported = run(capsys, room, "log", "streetsight-suspended", "--csv")
    rows = {r["email"]: r for r in csv.DictReader(io.StringIO(exported.out))}
    assert {a: r["language"] for a, r in rows.items()} == {
        "no.language@daily.example": "en-US",
        "plain.de@zeitung.example": "de",
        "austria@tagblatt.example": "de",
        "posix@rundschau.example": "de",
        "french@quotidien.example": "en-US",
        "english@herald.example": "en-US",
    }
    assert rows["plain.de@zeitung.example"]["message_id"] == german.message_id
    table = run(capsys, room, "log", "streetsight-suspended")
    assert "language" in table.out
    line = next(line for line in table.out.splitlines() if "posix@rundschau" in line)
    assert " de " in line

    report = run(capsys, room, "report", "streetsight-suspended", "--json")
    assert report.code == 0, report.err
    per_language = json.loads(report.out)["per_language"]
    assert {k: v["recipients"] for k, v in per_language.items()} == {"de": 3, "en-US": 3}
    shown = run(capsys, room, "report", "streetsight-suspended")
    assert "Per language" in shown.out
    spreadsheet = run(capsys, room, "report", "streetsight-suspended", "--csv")
    by_address = {r["email"]: r for r in csv.DictReader(io.StringIO(spreadsheet.out))}
    assert by_address["austria@tagblatt.example"]["languages"] == "de"


def test_a_correction_goes_to_each_in_the_language_they_got(room, server, backend, capsys):
    assert run(capsys, room, "send", "streetsight-suspended", "--yes").code == 0
    national = room / "contacts" / "national-press.csv"
    # Hannah's list now says English: she had the German version, so her correction is German
    national.write_text(national.read_text().replace("Europe/Berlin,de-DE", "Europe/Berlin,en"))
    original = room / "releases" / f"{RELEASE}.yaml"
    original.write_text(
        original.read_text().replace(
            "headline: ",
            "updates:\n  - label: CORRECTION\n    text: The council vote is on Thursday.\n"
            "headline: ",
            1,
        )
    )
    german = room / "releases" / f"{RELEASE}.de.yaml"
    german.write_text(
        german.read_text().replace(
            "headline: ",
            "updates:\n  - text: Die Abstimmung im Stadtrat ist am Donnerstag.\nheadline: ",
            1,
        )
    )
    refused = run(capsys, room, "send", "streetsight-suspended", "--correction", "--yes")
    assert refused.code == 2 and "changed: updates[0].text" in refused.err
    assert f"pressroom translate {RELEASE} --to de --update" in refused.err
    assert run(capsys, room, "translate", RELEASE, "--to", "de", "--update").code == 0

    before = len(server.sent)
    corrected = run(capsys, room, "send", "streetsight-suspended", "--correction", "--yes")
    assert corrected.code == 0, corrected.err
    assert "Languages:    7 en-US (original), 1 de" in corrected.out
    english, in_german = server.sent[before:]
    assert to(in_german) == [HANNAH]
    assert (
        "Die Abstimmung im Stadtrat ist am Donnerstag." in in_german.payload["content"][0]["value"]
    )
    assert sorted(to(english) + to(in_german)) == sorted(national_press(room))


def test_a_stale_translation_is_refused_unless_allowed_and_the_dry_run_says_so(room, capsys):
    original = room / "releases" / f"{RELEASE}.yaml"
    original.write_text(original.read_text().replace("Two years without", "Two years with no"))
    dry = run(capsys, room, "send", "streetsight-suspended", "--dry-run")
    assert dry.code == 0, dry.err
    assert (
        "Stale:        the de translation (changed since: body[2].heading); send refuses "
        "it unless --allow-stale" in dry.out
    )
    refused = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert refused.code == 2 and outbox(room) == []
    assert "releases/2026-11-23-streetsight-suspended.de.yaml: changed: body[2].heading" in (
        refused.err
    )
    assert "--allow-stale" in refused.err
    checked = run(capsys, room, "check", "streetsight-suspended")
    assert "warning: translates: " in checked.err and "body[2].heading" in checked.err
    allowed = run(capsys, room, "send", "streetsight-suspended", "--yes", "--allow-stale")
    assert allowed.code == 0, allowed.err and len(outbox(room)) == 8


def test_an_unknown_batch_is_sent_again_in_the_language_planned(room, server, capsys):
    rows = ["email,name,first_name,language"] + [
        f"r{i}@outlet{i % 7}.example,R {i},R{i},{'de' if i % 2 else ''}" for i in range(2600)
    ]
    (room / "contacts" / "big.csv").write_text("\n".join(rows) + "\n")
    server.fail("drop", at=2)  # the first German request leaves; no answer comes back
    first = run(capsys, room, "send", "streetsight-suspended", "--list", "big", "--yes")
    assert first.code == 1 and "may or may not have received it" in first.err
    again = run(
        capsys, room, "send", "streetsight-suspended", "--list", "big", "--yes", "--resend-unknown"
    )
    assert again.code == 0, again.err
    assert set(server.accepted.values()) == {1} and len(server.accepted) == 2600
    for request in server.sent:
        german = GERMAN_HEADLINE in request.payload["subject"]
        assert {int(a[1 : a.index("@")]) % 2 for a in to(request)} == {1 if german else 0}


def test_killed_mid_send_nobody_twice_and_everyone_in_their_language(room, monkeypatch):
    rows = ["email,name,first_name,language"] + [
        f"k{i}@desk{i % 11}.example,K {i},K{i},{'de-AT' if i % 3 == 0 else 'en'}"
        for i in range(3000)
    ]
    (room / "contacts" / "big.csv").write_text("\n".join(rows) + "\n")
    with SendGridServer() as server:
        monkeypatch.setenv("SENDGRID_API_KEY", server.api_key)
        monkeypatch.setenv("PRESSROOM_SENDGRID_URL", server.url)
        command = [sys.executable, "-m", "pressroom", "--root", str(room), "send"]
        command += ["streetsight-suspended", "--list", "big", "--yes"]
        server.fail("hang", at=2, seconds=90)  # the third request never gets an answer
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
        )
        deadline = time.monotonic() + 90
        while len(server.mail) < 3:
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=90)
        held = subprocess.run(command, capture_output=True, text=True, timeout=180)
        assert "1000 unknown (held" in held.stdout  # the German batch that was out
        done = subprocess.run(
            command + ["--resend-unknown"], capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stderr
        assert len(server.accepted) == 3000 and set(server.accepted.values()) == {1}
        for request in server.sent:
            german = GERMAN_HEADLINE in request.payload["subject"]
            assert {int(a[1 : a.index("@")]) % 3 == 0 for a in to(request)} == {german}


def test_a_log_from_before_languages_reads_and_upgrades(where: Location) -> None:
    from pressroom.sendlog.schema import LANGUAGES
    from tests.test_sendlog import _write_log_at

    _write_log_at(where, LANGUAGES - 1)
    with open_log(where, read_only=True) as log:  # a reader never upgrades
        assert [d.language for d in log.report("launch")] == ["", ""]
    with open_log(where) as log:
        assert LANGUAGES in log.migrated
        assert [(d.state, d.language) for d in log.report("launch")] == [
            ("accepted", ""),
            ("planned", ""),
        ]
        # a row planned before languages were recorded is planned for "" (the original)
        assert log.languages_of("launch", "v1", ["ben@wire.example"]) == {"ben@wire.example": ""}


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request, tmp_path: Path) -> Location:
    if request.param == "sqlite":
        return Location(path=tmp_path / "room" / ".pressroom" / "pressroom.db")
    return Location(url=request.getfixturevalue("postgres_url"))


def test_one_approval_covers_every_language_and_an_edit_of_a_translation_undoes_it(
    room, backend, capsys
):
    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + "\napproval: {required: 1}\n")
    assert run(capsys, room, "approve", "streetsight-suspended", "--as", "marisol-ortega").code == 0
    german = room / "releases" / f"{RELEASE}.de.yaml"
    german.write_text(german.read_text().replace("Zwei Jahre ohne", "Zwei Jahre lang ohne"))
    refused = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert refused.code == 1 and outbox(room) == []
    assert "has 0 (nobody)" in refused.err and f"releases/{RELEASE}.de.yaml" in refused.err
    assert run(capsys, room, "approve", "streetsight-suspended", "--as", "marisol-ortega").code == 0
    sent = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert sent.code == 0, sent.err
    assert "Languages:    7 en-US (original), 1 de" in sent.out and len(outbox(room)) == 8

"""pressroom send to the outbox: once per recipient and version, with a log."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

from pressroom.deliver.outbox import eml_name
from tests.cli_runner import run

RELEASE = "2026-11-23-streetsight-suspended"


def outbox(root: Path) -> list[Path]:
    return sorted(
        p for p in (root / ".pressroom" / "outbox" / RELEASE).glob("*.eml") if p.is_file()
    )


def national_press(root: Path) -> list[str]:
    lines = (root / "contacts" / "national-press.csv").read_text().splitlines()[1:]
    return [line.split(",")[0] for line in lines if line.strip()]


def test_send_writes_one_message_per_recipient_once(room, capsys):
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert result.code == 0, result.err
    assert "8 to send" in result.out and "Sent: 8 accepted, 0 failed." in result.out
    # where the rehearsal went, on one line (a table title used to fold it mid-name)
    assert f"\nSent to the outbox (a rehearsal): .pressroom/outbox/{RELEASE}/\n" in result.out
    files = outbox(room)
    assert [f.name for f in files] == sorted(eml_name(a) for a in national_press(room))

    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["Subject"].startswith("BREAKING: Sidewalk Commons Demands")
    assert message.get_body(("plain",)).get_content().lstrip().startswith(("Dear ", "Hello,"))
    [pdf] = [part for part in message.iter_attachments()]
    assert pdf.get_filename() == f"{RELEASE}.pdf"
    assert pdf.get_content().startswith(b"%PDF-")

    stamps = [f.stat().st_mtime_ns for f in files]
    again = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert again.code == 0 and "0 to send, 8 already sent" in again.out
    assert "Nobody to send to" in again.out
    assert [f.stat().st_mtime_ns for f in outbox(room)] == stamps


def test_the_summary_weighs_every_file_truly(room, capsys):
    """A contact card of a few hundred bytes read "(0 KB)"; the inline logo was listed
    as if it were one more file to open."""
    dry = run(capsys, room, "send", "unseen-terms-audit", "--dry-run")
    assert dry.code == 0, dry.err
    [line] = [line for line in dry.out.splitlines() if line.startswith("Attachments:")]
    assert "(0 KB)" not in line and "marisol-ortega.vcf (1 KB)" in line
    assert re.search(r"logo\.png \(\d+ KB, inline\)", line), line


def test_dry_run_and_no_terminal_send_nothing(room, capsys):
    dry = run(capsys, room, "send", "streetsight-suspended", "--dry-run")
    assert dry.code == 0 and "Dry run: nothing was sent." in dry.out
    refused = run(capsys, room, "send", "streetsight-suspended")
    assert refused.code == 2 and "pass --yes" in refused.err
    assert outbox(room) == []
    later = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert "8 to send" in later.out


def test_a_proof_is_marked_and_not_logged(room, capsys):
    result = run(
        capsys, room, "send", "streetsight-suspended", "--test", "me@office.example", "--yes"
    )
    assert result.code == 0, result.err
    [proof] = (room / ".pressroom" / "outbox" / RELEASE / "test").glob("*.eml")
    assert email.message_from_bytes(proof.read_bytes(), policy=policy.default)[
        "Subject"
    ].startswith("[TEST]")
    assert "8 to send" in run(capsys, room, "send", "streetsight-suspended", "--dry-run").out


def test_a_failed_batch_is_retried_next_run_and_nobody_twice(room, capsys):
    victim = national_press(room)[3]
    folder = room / ".pressroom" / "outbox" / RELEASE
    folder.mkdir(parents=True)
    (folder / eml_name(victim)).mkdir()  # the file cannot be written there
    first = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert first.code == 1 and "failed" in first.err
    before = {f: f.stat().st_mtime_ns for f in outbox(room)}
    sent = len(before)
    assert 0 <= sent < 8 and "Sent: " in first.out
    (folder / eml_name(victim)).rmdir()
    second = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert second.code == 0, second.err
    assert f"{8 - sent} to send, {sent} already sent" in second.out
    assert len(outbox(room)) == 8
    assert all(f.stat().st_mtime_ns == stamp for f, stamp in before.items())  # nobody twice


def test_broken_lists_drafts_and_failing_checks_are_refused(room, capsys, monkeypatch):
    path = room / "contacts" / "national-press.csv"
    path.write_text(path.read_text() + "ana@@broken,Bad Row,,,,,,\n")
    refused = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert refused.code == 1 and "contacts/national-press.csv:10" in refused.err
    assert "--skip-invalid" in refused.err and outbox(room) == []
    skipped = run(capsys, room, "send", "streetsight-suspended", "--yes", "--skip-invalid")
    assert skipped.code == 0 and "1 invalid skipped" in skipped.out

    draft = run(capsys, room, "send", "committee-advances-oversight-ordinance", "--yes")
    assert draft.code == 2 and "a draft is never sent" in draft.err

    monkeypatch.setenv("PRESSROOM_NOW", "2037-12-02T00:00:00Z")
    past = run(capsys, room, "send", "unseen-terms-audit", "--yes")
    assert past.code == 1 and "[embargo-past]" in past.err


def test_a_sendgrid_key_is_never_shown_nor_sent_unencrypted(room, capsys, monkeypatch):
    monkeypatch.setenv("SENDGRID_API_KEY", "SG.secret-value-for-the-test")
    monkeypatch.setenv("PRESSROOM_SENDGRID_URL", "http://sendgrid.example")
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert result.code == 2 and "PRESSROOM_SENDGRID_URL" in result.err
    assert "secret-value" not in result.out + result.err
    assert not (room / ".pressroom" / "pressroom.db").exists()


def test_transport_sendgrid_without_a_key_is_an_error_not_a_rehearsal(room, capsys):
    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + "delivery:\n  transport: sendgrid\n")
    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert result.code == 2 and "SENDGRID_API_KEY is not set" in result.err
    assert outbox(room) == []


def test_a_suppressed_address_is_never_mailed_even_in_a_rehearsal(room, capsys):
    ana = "Ana@DailyLedger.example"
    added = run(capsys, room, "contacts", "suppress", ana, "--reason", "bounce")
    assert added.code == 0 and "suppressed (bounce)" in added.out
    again = run(capsys, room, "contacts", "suppress", ana)
    assert "already suppressed" in again.out
    listed = run(capsys, room, "contacts", "suppressed")
    assert "Ana@DailyLedger.example\tbounce" in listed.out  # the first reason is kept
    bad = run(capsys, room, "contacts", "suppress", "not-an-address")
    assert bad.code == 2 and "not an email address: not-an-address" in bad.err

    result = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert result.code == 0 and "7 to send" in result.out and "1 suppressed" in result.out
    assert eml_name("ana@dailyledger.example") not in [f.name for f in outbox(room)]

    allowed = run(capsys, room, "contacts", "suppress", "--remove", ana)
    assert "allowed again" in allowed.out
    assert "1 to send" in run(capsys, room, "send", "streetsight-suspended", "--dry-run").out


def test_a_draft_can_be_proofed_and_dry_run_but_never_sent(room, capsys):
    draft = "committee-advances-oversight-ordinance"
    name = "2026-12-10-" + draft
    proof = run(capsys, room, "send", draft, "--test", "approver@office.example", "--yes")
    assert proof.code == 0, proof.err
    [file] = (room / ".pressroom" / "outbox" / name / "test").glob("*.eml")
    message = email.message_from_bytes(file.read_bytes(), policy=policy.default)
    assert message["Subject"].startswith("[TEST] [DRAFT] Council Committee Advances")
    assert "DRAFT — NOT FOR DISTRIBUTION" in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "DRAFT — NOT FOR DISTRIBUTION" in html

    dry = run(capsys, room, "send", draft, "--dry-run")
    assert dry.code == 0 and "Dry run: nothing was sent." in dry.out, dry.err
    refused = run(capsys, room, "send", draft, "--yes")
    assert refused.code == 2 and "a draft is never sent" in refused.err
    assert "--test" in refused.err
    assert [p.name for p in (room / ".pressroom" / "outbox" / name).iterdir()] == ["test"]

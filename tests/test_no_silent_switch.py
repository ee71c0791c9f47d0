"""No silent switches: what send does instead of what the writer expects is said.

From a new user's day two: the SendGrid key was not exported in a new terminal,
`send` wrote to the outbox and said nothing of the real sends the day before;
a dry run looked fine and the real send was then refused for want of approval;
`init` left the transport to a default nobody had read about.
"""

from __future__ import annotations

import yaml

from tests.cli_runner import run

RELEASE = "streetsight-suspended"


def test_without_the_key_a_release_sent_for_real_says_the_outbox_is_a_rehearsal(
    room, server, capsys, monkeypatch
):
    real = run(capsys, room, "send", RELEASE, "--yes")
    assert real.code == 0, real.err
    monkeypatch.delenv("SENDGRID_API_KEY")

    for extra in (["--dry-run"], ["--yes"]):
        result = run(capsys, room, "send", RELEASE, *extra)
        assert result.code == 0, result.err
        said = " ".join(result.err.split())
        assert "SENDGRID_API_KEY is not set, so this goes to the outbox" in said
        assert "already sent for real (8 accepted, last on" in said
        assert f"pressroom log {RELEASE}" in said.replace("2026-11-23-", "")


def test_a_room_that_never_sent_for_real_gets_no_note(room, capsys):
    result = run(capsys, room, "send", RELEASE, "--dry-run")
    assert result.code == 0, result.err
    assert "already sent for real" not in result.out + result.err


def test_a_dry_run_says_the_real_send_will_be_refused_and_who_may_approve(room, capsys):
    config = room / "pressroom.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "approval: {required: 1, approvers: [marisol-ortega]}\n"
    )
    dry = run(capsys, room, "send", RELEASE, "--dry-run")
    assert dry.code == 0, dry.err
    said = " ".join(dry.out.split())
    assert "The real send will be refused: " in said
    assert "needs 1 approval and has 0 (nobody)" in said
    assert "pressroom approve 2026-11-23-streetsight-suspended --as NAME" in said
    assert "(NAME one of: marisol-ortega)" in said
    assert "Dry run: nothing was sent." in said

    approved = run(capsys, room, "approve", RELEASE, "--as", "marisol-ortega")
    assert approved.code == 0, approved.err
    again = run(capsys, room, "send", RELEASE, "--dry-run")
    assert "will be refused" not in again.out


def test_init_writes_the_transport_line(tmp_path, capsys):
    made = run(capsys, tmp_path, "init", str(tmp_path / "room"))
    assert made.code == 0, made.err
    text = (tmp_path / "room" / "pressroom.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["delivery"] == {"transport": "auto"}
    assert "SENDGRID_API_KEY" in text.split("delivery:", 1)[1]

"""An approval covers everything that reaches a journalist, and counts each person once.

Attacks from the second security review (issue 18): a photo, a signatories list
or a template changed after approval went out under the approval; one person
under two spellings made two approvals; anyone could approve under any name.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pressroom.load.room import load_room
from pressroom.model.version import said_version
from pressroom.sendlog import open_log, room_log
from pressroom.sendlog import version as versions
from tests.cli_runner import run
from tests.conftest import load_example

AUDIT = "2037-12-01-unseen-terms-audit"
LETTER = "2026-12-08-transit-letter"


def require(room: Path, rule: str) -> None:
    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + f"\napproval: {rule}\n")


def outbox(room: Path, release: str) -> list[Path]:
    return list((room / ".pressroom" / "outbox" / release).glob("*.eml"))


def approve(capsys, room: Path, release: str, name: str = "Marisol Ortega"):
    result = run(capsys, room, "approve", release, "--as", name)
    assert result.code == 0, result.err
    return result


def test_a_photo_changed_after_approval_needs_approval_again_naming_it(room, backend, capsys):
    require(room, "{required: 1}")
    approve(capsys, room, AUDIT)
    assert "approved (1 of 1" in run(capsys, room, "check", AUDIT).out
    photo = room / "assets" / "camera-mast-dusk.jpg"
    photo.write_bytes(photo.read_bytes()[:-200] + bytes(200))  # same name, other picture

    named = "assets/camera-mast-dusk.jpg (changed)"
    refused = run(capsys, room, "send", AUDIT, "--yes")
    assert refused.code == 1 and outbox(room, AUDIT) == []
    assert "has 0 (nobody)" in refused.err and named in refused.err
    listing = run(capsys, room, "approvals", AUDIT)
    assert "earlier version" in listing.out and named in listing.out
    checked = run(capsys, room, "check", AUDIT)
    assert "awaiting approval (0 of 1)" in checked.out + checked.err
    assert named in checked.out + checked.err

    from pressroom.serve.pages import Preview

    page = Preview(room).release(AUDIT)
    assert page.approval is not None and not page.approval.approved
    assert page.approval.changed == [named]
    again = approve(capsys, room, AUDIT)
    assert f"Changed since Marisol Ortega approved: {named}" in again.out
    assert run(capsys, room, "send", AUDIT, "--yes").code == 0
    assert outbox(room, AUDIT)


def test_a_signatories_list_or_a_template_changed_after_approval_is_named(room, backend, capsys):
    require(room, "{required: 1}")
    approve(capsys, room, LETTER)
    signatures = room / "releases" / "signatories" / f"{LETTER}.csv"
    signatures.write_text(signatures.read_text() + "\n")  # bytes only: the names read the same
    footer = room / "templates" / "email-footer.txt.j2"
    footer.write_text(footer.read_text() + "\nA line nobody approved.\n")
    reference = room / "templates" / "reference.docx"
    reference.write_bytes(b"PK not approved")
    listing = run(capsys, room, "approvals", LETTER, "--json")
    import json

    [earlier] = json.loads(listing.out)["approvals"]
    assert earlier["current"] is False
    assert earlier["changed"] == [
        f"releases/signatories/{LETTER}.csv (changed)",
        "templates/email-footer.txt.j2 (changed)",
        "templates/reference.docx (added)",
    ]
    refused = run(capsys, room, "send", LETTER, "--yes")
    assert refused.code == 1 and "templates/email-footer.txt.j2 (changed)" in refused.err


def test_an_upgrade_of_pressroom_that_changes_its_templates_says_so(
    room, backend, capsys, monkeypatch
):
    """The chosen rule (docs/security.md): approvals of versions not yet sent are
    approved again, and every place says it is pressroom's upgrade, naming the
    templates; what was sent does not look edited."""
    require(room, "{required: 1}")
    approve(capsys, room, AUDIT)
    upgraded = versions.own_part()
    upgraded[versions.OWN] = "9.9.9"
    upgraded[f"{versions.OWN} templates/email.html.j2"] = "0" * 16
    monkeypatch.setattr(versions, "_OWN_PART", upgraded)
    before = run(capsys, room, "approvals", AUDIT)
    assert "pressroom was upgraded (0.1.0 -> 9.9.9)" in before.out
    assert "pressroom templates/email.html.j2 (changed)" in before.out
    refused = run(capsys, room, "send", AUDIT, "--yes")
    assert refused.code == 1 and "pressroom was upgraded" in refused.err
    approve(capsys, room, AUDIT)  # the same person, the same version id: it covers the upgrade
    assert "Approved: it may be sent." in run(capsys, room, "approvals", AUDIT).out


def test_two_spellings_of_one_person_count_once_and_strangers_are_refused(room, backend, capsys):
    require(room, "{required: 2}")
    for name in ("theo-brandt", "THEO BRANDT", " Theo   Brandt "):
        approve(capsys, room, AUDIT, name)
    listing = run(capsys, room, "approvals", AUDIT)
    assert "Not approved: 1 more needed" in listing.out
    assert listing.out.count("Theo Brandt") == 1
    stranger = run(capsys, room, "approve", AUDIT, "--as", "Mallory Vance")
    assert stranger.code == 2 and "not a person of pressroom.yaml" in stranger.err
    assert "marisol-ortega" in stranger.err  # who may approve
    refused = run(capsys, room, "send", AUDIT, "--yes")
    assert refused.code == 1 and "has 1 (Theo Brandt)" in refused.err


def test_a_listed_approver_under_a_name_or_key_counts_once(room, backend, capsys):
    require(room, "{required: 2, approvers: {marisol-ortega: {}, theo-brandt: {}}}")
    approve(capsys, room, AUDIT, "Marisol Ortega")
    approve(capsys, room, AUDIT, "marisol-ortega")
    listing = run(capsys, room, "approvals", AUDIT)
    assert "Not approved: 1 more needed" in listing.out
    refused = run(capsys, room, "approve", AUDIT, "--as", "devon-achebe")
    assert refused.code == 2 and "not an approver" in refused.err


def _as_before_files_were_covered(room: Path, release: str) -> str:
    """Rewrite the log as a pressroom that hashed the text alone would have left it."""
    loaded = load_room(room)
    old = said_version(loaded, load_example(loaded, release))
    with open_log(room_log(room, loaded.config.database)) as log:
        with log.db.transaction():
            for table in ("versions", "deliveries", "batches"):
                log.db.execute(f"UPDATE {table} SET version = ? WHERE release = ?", (old, release))
            log.db.execute("UPDATE versions SET manifest_json = NULL")
    return old


def test_releases_sent_before_the_version_covered_files_are_not_changed_nor_sent_again(
    room, backend, server, capsys
):
    """Send once per journalist: a log from before keeps its versions, so nothing
    already sent looks edited or goes out again; a later change of a file is seen."""
    assert run(capsys, room, "send", AUDIT, "--yes").code == 0
    sent = dict(server.accepted)
    assert sent
    old = _as_before_files_were_covered(room, AUDIT)
    loaded = load_room(room)
    assert versions.release_version(loaded, load_example(loaded, AUDIT)) == old

    from pressroom.serve.pages import Preview

    assert not Preview(room).release(AUDIT).entry.changed_since_sent
    again = run(capsys, room, "send", AUDIT, "--yes")
    assert again.code == 0, again.err
    assert "everyone has this version already" in again.out
    assert server.accepted == sent

    photo = room / "assets" / "camera-mast-dusk.jpg"
    photo.write_bytes(photo.read_bytes()[:-10] + bytes(10))
    loaded = load_room(room)
    assert versions.release_version(loaded, load_example(loaded, AUDIT)) != old
    assert Preview(room).release(AUDIT).entry.changed_since_sent
    changed = run(capsys, room, "send", AUDIT, "--yes")
    assert "have an earlier version" in changed.out + changed.err
    assert server.accepted == sent  # nobody twice


def test_a_scheduled_send_from_before_is_still_the_version_scheduled(room, capsys):
    """dispatch compares with the version scheduled: one written before files were
    covered is the release as it is, not a change."""
    loaded = load_room(room)
    release = load_example(loaded, AUDIT)
    old = said_version(loaded, release)
    with open_log(room_log(room, None)) as log:
        log.add_pending(AUDIT, old, "2030-01-01T09:00:00+00:00", ["local-press"], [],
                        correction=False, skip_invalid=False)  # fmt: skip
    assert versions.release_version(loaded, release) == old
    with sqlite3.connect(room / ".pressroom" / "pressroom.db") as db:
        assert db.execute("SELECT count(*) FROM approver_secrets").fetchone() == (0,)

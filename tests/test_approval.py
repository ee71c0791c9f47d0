"""Approval of the exact text: approve, approvals, and send refusing what is not approved."""

from __future__ import annotations

from pathlib import Path

from tests.cli_runner import run

RELEASE = "2026-11-23-streetsight-suspended"


def require(room: Path, rule: str) -> None:
    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + f"\napproval: {rule}\n")


def outbox(room: Path) -> list[Path]:
    return list((room / ".pressroom" / "outbox" / RELEASE).glob("*.eml"))


def test_send_waits_for_the_approvals_of_this_exact_version(room, backend, capsys):
    require(room, "{required: 2}")
    refused = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert refused.code == 1
    assert "needs 2 approvals and has 0 (nobody); nothing was sent" in refused.err
    assert f"pressroom approve {RELEASE} --as NAME" in refused.err
    assert outbox(room) == []

    first = run(capsys, room, "approve", "streetsight-suspended", "--as", "Marisol Ortega")
    assert first.code == 0, first.err
    assert "Marisol Ortega approved" in first.out and "1 more approval needed" in first.out
    still = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert still.code == 1 and "has 1 (Marisol Ortega)" in still.err

    again = run(capsys, room, "approve", "streetsight-suspended", "--as", "Marisol Ortega")
    assert "1 more approval needed" in again.out  # the same person counts once
    second = run(capsys, room, "approve", "streetsight-suspended", "--as", "Theo Brandt")
    assert "Approved (2 of 2): it may be sent." in second.out
    third = run(capsys, room, "approve", "streetsight-suspended", "--as", "Devon Achebe")
    assert "Approved (3, 2 needed): it may be sent." in third.out  # not "3 of 2"
    sent = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert sent.code == 0, sent.err
    assert len(outbox(room)) == 8


def test_one_person_counts_once_however_they_write_their_name(room, backend, capsys):
    """A second approval must be a second person: `devon-achebe`, `Devon Achebe` and
    `devon  ACHEBE` are one person of the room, and `marisol ortega` is `Marisol Ortega`."""
    require(room, "{required: 3}")
    for name in (
        "devon-achebe",
        "Devon Achebe",
        "devon  ACHEBE",
        "Marisol Ortega",
        "marisol ortega",
    ):
        assert run(capsys, room, "approve", "streetsight-suspended", "--as", name).code == 0
    listing = run(capsys, room, "approvals", "streetsight-suspended")
    assert listing.out.count("Devon Achebe") == 1 and listing.out.count("Marisol Ortega") == 1
    assert "devon-achebe" not in listing.out and "marisol ortega" not in listing.out
    assert "Not approved: 1 more needed" in listing.out
    refused = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert refused.code == 1 and "has 2 (Devon Achebe, Marisol Ortega)" in refused.err


def test_an_edit_after_approval_needs_a_new_one_and_says_who_approved_what(room, backend, capsys):
    require(room, "{required: 1}")
    assert run(capsys, room, "approve", "streetsight-suspended", "--as", "Marisol Ortega").code == 0
    source = room / "releases" / f"{RELEASE}.yaml"
    source.write_text(source.read_text().replace("Demands", "Urges", 1))

    refused = run(capsys, room, "send", "streetsight-suspended", "--yes", "--allow-stale")
    assert refused.code == 1 and outbox(room) == []
    assert "has 0 (nobody)" in refused.err
    assert "Marisol Ortega approved an earlier version" in refused.err
    assert f"changed since: releases/{RELEASE}.yaml (changed)" in refused.err
    assert "Nov 23, 2026" in refused.err  # when, in the room's own words and zone

    listing = run(capsys, room, "approvals", "streetsight-suspended")
    assert listing.code == 0
    assert "Marisol Ortega" in listing.out and "earlier version" in listing.out
    assert "Not approved: 1 more needed" in listing.out


def test_proofs_and_dry_runs_need_no_approval(room, capsys):
    require(room, "{required: 1}")
    dry = run(capsys, room, "send", "streetsight-suspended", "--dry-run")
    assert dry.code == 0, dry.err
    proof = run(capsys, room, "send", "streetsight-suspended", "--test", "me@office.example",
                "--yes")  # fmt: skip
    assert proof.code == 0, proof.err


def test_only_the_listed_approvers_may_approve(room, capsys):
    config = room / "pressroom.yaml"
    text = config.read_text()
    people = [line.split(":")[0].strip() for line in text.split("people:")[1].splitlines()
              if line.startswith("  ") and not line.startswith("    ") and line.strip()]  # fmt: skip
    require(room, f"{{required: 1, approvers: [{people[0]}]}}")
    stranger = run(capsys, room, "approve", "streetsight-suspended", "--as", "mallory")
    assert stranger.code == 2 and "not an approver" in stranger.err
    assert people[0] in stranger.err
    ok = run(capsys, room, "approve", "streetsight-suspended", "--as", people[0])
    assert ok.code == 0 and "it may be sent" in ok.out


def test_an_approver_who_is_not_a_person_of_the_room_is_a_load_error(room, capsys):
    require(room, "{required: 1, approvers: [nobody-here]}")
    result = run(capsys, room, "check")
    assert result.code == 1
    assert "pressroom.yaml" in result.err and "no person 'nobody-here'" in result.err


def test_bad_names_and_rooms_without_a_rule_get_clear_messages(room, capsys):
    none = run(capsys, room, "approve", "streetsight-suspended", "--as", "Lena")
    assert none.code == 2 and "does not ask for approvals" in none.err
    require(room, "{required: 1}")
    for bad in ("", "a\nb", "x" * 200):
        result = run(capsys, room, "approve", "streetsight-suspended", "--as", bad)
        assert result.code == 2 and "--as:" in result.err and "Traceback" not in result.err


def test_check_says_when_a_ready_release_awaits_approval(room, capsys):
    require(room, "{required: 1}")
    waiting = run(capsys, room, "check", "streetsight-suspended")
    assert "awaiting approval (0 of 1)" in waiting.out + waiting.err
    run(capsys, room, "approve", "streetsight-suspended", "--as", "Marisol Ortega")
    approved = run(capsys, room, "check", "streetsight-suspended")
    assert "approved (1 of 1: Marisol Ortega)" in approved.out


def test_the_preview_shows_who_approved_which_version(room, capsys):
    from pressroom.serve.layout import page_templates
    from pressroom.serve.pages import Preview

    require(room, "{required: 2}")
    run(capsys, room, "approve", "streetsight-suspended", "--as", "Marisol Ortega")
    page = Preview(room).release(RELEASE)
    assert page.approval is not None
    assert (page.approval.required, page.approval.have, page.approval.approved) == (2, 1, False)
    [(who, when, current)] = page.approval.rows
    assert who == "Marisol Ortega" and current and "2026" in when

    html = page_templates().get_template("release.html.j2").render(page=page, org=page.org)
    assert "Awaiting approval" in html and "1 of 2 for this version" in html
    assert "Marisol Ortega" in html and f"pressroom approve {RELEASE} --as NAME" in html
    for name in ("Theo Brandt", "Devon Achebe"):
        run(capsys, room, "approve", "streetsight-suspended", "--as", name)
    page = Preview(room).release(RELEASE)
    html = page_templates().get_template("release.html.j2").render(page=page, org=page.org)
    assert "3, 2 needed, for this version" in html and "3 of 2" not in html

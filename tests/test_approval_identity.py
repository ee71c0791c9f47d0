"""Who approves is proven, not typed: approver codes, and PostgreSQL roles.

Attacks from the issue: `approve --as` someone else without their code, a
wrong code, a code read back from the send log, a non-person.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from pressroom.sendlog.identity import SECRET_ENV
from tests.cli_runner import run

AUDIT = "2037-12-01-unseen-terms-audit"


def require(room: Path, rule: str) -> None:
    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + f"\napproval: {rule}\n")


def invite(capsys, room: Path, name: str) -> str:
    result = run(capsys, room, "approvers", "invite", name)
    assert result.code == 0, result.err
    [code] = re.findall(r"^  (\S+\.\S+)$", result.out, re.M)
    return code


def test_identity_required_refuses_as_without_the_code_and_a_wrong_code(
    room, backend, capsys, monkeypatch
):
    require(room, "{required: 1, identity: required}")
    code = invite(capsys, room, "Marisol Ortega")
    assert code.startswith("marisol-ortega.")
    monkeypatch.delenv(SECRET_ENV, raising=False)

    bare = run(capsys, room, "approve", AUDIT, "--as", "marisol-ortega")
    assert bare.code == 2 and "Traceback" not in bare.err
    assert "give your approver code" in bare.err or "no approver code given" in bare.err
    monkeypatch.setenv(SECRET_ENV, code[:-2] + ("AA" if not code.endswith("AA") else "BB"))
    wrong = run(capsys, room, "approve", AUDIT, "--as", "marisol-ortega")
    assert wrong.code == 2 and "not marisol-ortega's approver code" in wrong.err
    other = invite(capsys, room, "theo-brandt")
    monkeypatch.setenv(SECRET_ENV, other)  # Theo's own code does not make him Marisol
    assert run(capsys, room, "approve", AUDIT, "--as", "marisol-ortega").code == 2
    uninvited = run(capsys, room, "approve", AUDIT, "--as", "devon-achebe")
    assert uninvited.code == 2 and "devon-achebe has no approver code yet" in uninvited.err
    listing = run(capsys, room, "approvals", AUDIT)
    assert "No approvals yet." in listing.out

    monkeypatch.setenv(SECRET_ENV, code)
    ok = run(capsys, room, "approve", AUDIT, "--as", "Marisol Ortega")
    assert ok.code == 0, ok.err
    assert "Approved (1 of 1): it may be sent." in ok.out


def test_the_log_keeps_only_a_hash_and_a_new_invitation_replaces_the_code(
    room, capsys, monkeypatch
):
    require(room, "{required: 1, identity: required}")
    first = invite(capsys, room, "marisol-ortega")
    raw = (room / ".pressroom" / "pressroom.db").read_bytes()
    secret = first.rpartition(".")[2]
    assert secret.encode() not in raw
    with sqlite3.connect(room / ".pressroom" / "pressroom.db") as db:
        [(stored,)] = db.execute("SELECT secret_hash FROM approver_secrets").fetchall()
    assert stored.startswith("scrypt$")
    monkeypatch.setenv(SECRET_ENV, stored)  # the hash read from the log is no code
    assert run(capsys, room, "approve", AUDIT, "--as", "marisol-ortega").code == 2
    second = invite(capsys, room, "marisol-ortega")
    monkeypatch.setenv(SECRET_ENV, first)
    assert run(capsys, room, "approve", AUDIT, "--as", "marisol-ortega").code == 2
    monkeypatch.setenv(SECRET_ENV, second)
    assert run(capsys, room, "approve", AUDIT, "--as", "marisol-ortega").code == 0


def test_only_approvers_are_invited(room, capsys):
    require(room, "{required: 1, approvers: [marisol-ortega], identity: required}")
    refused = run(capsys, room, "approvers", "invite", "devon-achebe")
    assert refused.code == 2 and "not an approver" in refused.err
    stranger = run(capsys, room, "approvers", "invite", "Mallory Vance")
    assert stranger.code == 2


def test_a_wrong_code_is_refused_even_when_names_are_trusted(room, capsys, monkeypatch):
    require(room, "{required: 1}")
    invite(capsys, room, "marisol-ortega")
    monkeypatch.setenv(SECRET_ENV, "marisol-ortega.not-the-code")
    assert run(capsys, room, "approve", AUDIT, "--as", "marisol-ortega").code == 2
    monkeypatch.delenv(SECRET_ENV)
    assert run(capsys, room, "approve", AUDIT, "--as", "marisol-ortega").code == 0


def test_on_postgresql_the_database_role_proves_the_approver(
    room, capsys, monkeypatch, postgres_url
):
    """The tests connect as the role `postgres`: Theo's role; Marisol's is another."""
    monkeypatch.setenv("PRESSROOM_DATABASE_URL", postgres_url)
    monkeypatch.delenv(SECRET_ENV, raising=False)
    require(
        room,
        "{required: 2, identity: required, approvers: "
        "{theo-brandt: {db_role: postgres}, marisol-ortega: {db_role: marisol}}}",
    )
    theo = run(capsys, room, "approve", AUDIT, "--as", "theo-brandt")
    assert theo.code == 0, theo.err
    marisol = run(capsys, room, "approve", AUDIT, "--as", "marisol-ortega")
    assert marisol.code == 2  # connected as postgres, not as her role, and no code
    listing = run(capsys, room, "approvals", AUDIT)
    assert "theo-brandt" in listing.out and "marisol-ortega" not in listing.out
    assert "Not approved: 1 more needed" in listing.out

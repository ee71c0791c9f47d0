"""The contacts folder explains itself (issue 19, item 8).

A raw export dropped in contacts/ (columns "E-mail,Full Name,Publication")
breaks only the releases that use it, and the message points to ``pressroom
contacts import``; the other lists still show in ``pressroom contacts``. A
colleague's clone has no contacts/ (``pressroom init``'s .gitignore keeps it
out of git): it is told why and how to get the lists.
"""

from __future__ import annotations

import shutil

from pressroom.drafts.scaffold import GITIGNORE
from tests.cli_runner import run

EXPORT = "E-mail,Full Name,Publication\nlee@herald.example,Lee Park,The Herald\n"
STATEMENT = "releases/2026-11-19-statement-police-drone-pilot.yaml"  # lists: [local-press]


def test_a_raw_export_in_contacts_breaks_only_the_releases_that_use_it(room, capsys):
    (room / "contacts" / "herald-export.csv").write_text(EXPORT)

    listed = run(capsys, room, "contacts")
    assert listed.code == 1  # a file that does not read
    assert "local-press" in listed.out and "national-press" in listed.out
    assert "11 unique addresses in 2 lists" in listed.out
    assert "contacts/herald-export.csv:1: error: an export, not a media list" in listed.err
    assert "E-mail, Full Name, Publication" in listed.err
    assert "pressroom contacts import FILE --list NAME" in listed.err

    checked = run(capsys, room, "check")
    assert checked.code == 0, checked.out + checked.err  # no release uses it
    assert "contacts/herald-export.csv:1: warning: an export" in checked.err
    assert "no release checked names this list" in checked.err
    assert run(capsys, room, "send", "streetsight-suspended", "--dry-run").code == 0

    statement = room / STATEMENT
    statement.write_text(
        statement.read_text().replace("lists: [local-press]", "lists: [herald-export]")
    )
    checked = run(capsys, room, "check")
    assert checked.code == 1
    assert "contacts/herald-export.csv:1: error: an export" in checked.err
    refused = run(capsys, room, "send", "statement-police-drone-pilot", "--dry-run")
    assert refused.code != 0 and "pressroom contacts import" in refused.err
    assert run(capsys, room, "send", "streetsight-suspended", "--dry-run").code == 0

    # the export, imported as the message says, is a list like the others
    shutil.move(room / "contacts" / "herald-export.csv", room / "herald-export.csv")
    imported = run(capsys, room, "contacts", "import", "herald-export.csv", "--list", "herald")
    assert imported.code == 0, imported.err
    listed = run(capsys, room, "contacts")
    assert listed.code == 0 and "herald" in listed.out and listed.err == ""


def test_a_clone_without_contacts_is_told_why_and_how_to_get_the_lists(room, capsys):
    assert "contacts/" in GITIGNORE.splitlines()  # git-ignored by design
    shutil.rmtree(room / "contacts")

    listed = run(capsys, room, "contacts")
    assert listed.code == 0, listed.err
    assert "no contacts/ folder" in listed.out and ".gitignore" in listed.out
    assert "the releases name: local-press, national-press" in listed.out
    assert "pressroom contacts import" in listed.out

    refused = run(capsys, room, "send", "streetsight-suspended", "--dry-run")
    assert refused.code != 0
    assert "contacts/national-press: error: no such media list" in refused.err
    assert "no contacts/ folder" in refused.err and "not through git" in refused.err
    checked = run(capsys, room, "check", "streetsight-suspended")
    assert checked.code == 1 and "no contacts/ folder" in checked.err

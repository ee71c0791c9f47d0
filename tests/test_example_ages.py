"""The example room does not age: a fresh clone's ``check`` and the README's tour
succeed on any date for years, with the real clock and with clocks years ahead.

The tour is read from the README itself, so a command added there is tried
here. Commands that need a server, a real SendGrid key or a PostgreSQL server
are left to their own tests; a command whose comment names a precondition
("with approval: in pressroom.yaml", "an edited release") gets it first.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.cli_runner import run
from tests.conftest import REPO

LATER = ["2027-07-01T12:00:00+00:00", "2031-03-15T12:00:00+00:00", "2037-10-01T12:00:00+00:00"]
"""Clocks years ahead, up to two months before the example's embargo of 2037-12-01."""

NOT_HERE = (
    "pressroom serve",
    "pressroom events serve",
    "SENDGRID_API_KEY=",
    "PRESSROOM_DATABASE_URL=",
)
"""Tour lines with their own tests: long-running servers, a real key, a database server."""


def tour() -> list[tuple[str, str]]:
    """The README's two-minute tour: (command, comment) pairs, in order."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Two-minute tour", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = []
    for line in block.splitlines():
        command, _, comment = line.partition("#")
        command = command.strip()
        if command.startswith("pressroom") or "pressroom " in command:
            lines.append((command, comment.strip()))
    return lines


def test_the_tour_is_read_from_the_readme():
    commands = [command for command, _ in tour()]
    assert commands[0] == "pressroom check" and len(commands) >= 20
    assert sum(command.startswith(NOT_HERE) for command in commands) == 4
    assert any("--at" in command for command in commands)  # the line that used to age


def edit(release: Path, sentence: str, updates: bool = True) -> None:
    """A first paragraph added to *release* (and, for an original, the CORRECTION
    update a correction needs)."""
    correction = (
        "updates:\n  - label: CORRECTION\n    text: The first version gave the wrong date.\n"
    )
    release.write_text(
        release.read_text(encoding="utf-8").replace(
            "\nbody:\n", f"\n{correction if updates else ''}body:\n  - {sentence}\n", 1
        ),
        encoding="utf-8",
    )


def prepare(room: Path, command: str, comment: str, capsys) -> list[str]:
    """The arguments of one tour line, after giving it the precondition its comment names."""
    args = shlex.split(command)[1:]
    if "with approval: in pressroom.yaml" in comment:
        config = room / "pressroom.yaml"
        config.write_text(config.read_text(encoding="utf-8") + "approval: {required: 1}\n")
    if "an edited release" in comment:
        originals = sorted((room / "releases").glob("*streetsight-suspended.yaml"))
        translations = sorted((room / "releases").glob("*streetsight-suspended.*.yaml"))
        assert len(originals) == 1 and translations  # the example keeps its German sibling
        edit(originals[0], "A sentence added after the first send.")
        assert "its translations too" in comment  # the README says what the tour needs
        for translation in translations:  # each sibling gets the same block, translated
            edit(translation, "Ein Satz, nach dem ersten Versand ergänzt.", updates=False)
            language = translation.suffixes[-2].lstrip(".")
            updated = run(capsys, room, "translate", "streetsight-suspended", "--to", language,
                          "--update")  # fmt: skip
            assert updated.code == 0, updated.err
    if args[0] == "send" and not {"--dry-run", "--test", "--yes"} & set(args):
        args.append("--yes")  # the question a person answers at the terminal
    if args[0] == "contacts" and args[1:2] == ["import"]:
        (room / args[2]).write_text(
            "Email,Name,Outlet\nlee@wire.example,Lee Park,Wire Example\n", encoding="utf-8"
        )
    if args[0] == "init":
        args[1] = str(room.parent / "my-press-room")
    return args


def after(room: Path, comment: str) -> None:
    """Undo a precondition that would change the rest of the tour."""
    if "with approval: in pressroom.yaml" in comment:
        config = room / "pressroom.yaml"
        config.write_text(
            config.read_text(encoding="utf-8").replace("approval: {required: 1}\n", "")
        )


def check_is_clean(room: Path, capsys) -> None:
    checked = run(capsys, room, "check")
    assert checked.code == 0, checked.out + checked.err
    assert re.search(r"releases checked: 0 errors", checked.out), checked.out


def test_the_example_room_checks_clean_and_its_tour_runs_with_the_real_clock(
    room, capsys, monkeypatch
):
    monkeypatch.delenv("PRESSROOM_NOW")
    check_is_clean(room, capsys)
    first = run(
        capsys, room, "send", "streetsight-suspended", "--yes"
    )  # the README's first command
    assert first.code == 0, first.err
    for command, comment in tour():
        if command.startswith(NOT_HERE):
            continue
        args = prepare(room, command, comment, capsys)
        result = run(capsys, room, *args)
        assert result.code == 0, f"{command}\n{result.out}\n{result.err}"
        assert "Traceback" not in result.err
        after(room, comment)


@pytest.mark.parametrize("clock", LATER)
def test_the_example_room_checks_clean_years_ahead(room, capsys, monkeypatch, clock):
    monkeypatch.setenv("PRESSROOM_NOW", clock)
    check_is_clean(room, capsys)
    scheduled = run(capsys, room, "send", "unseen-terms-audit", "--at", "tomorrow 06:00", "--yes")
    assert scheduled.code == 0, scheduled.err
    site = run(capsys, room, "site", "--use-pressroom-now")
    assert site.code == 0, site.err
    assert "2037-12-01-unseen-terms-audit  until" in site.out  # still held: its embargo is ahead


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("tomorrow 06:00", "2026-11-24T06:00:00-05:00"),
        ("today 18:30", "2026-11-23T18:30:00-05:00"),
        ("in 2 hours", "2026-11-23T14:00:00+00:00"),
        ("In 3 days", "2026-11-26T12:00:00+00:00"),
    ],
)
def test_send_at_understands_times_relative_to_now(value, expected):
    from datetime import datetime

    from pressroom.deliver.schedule import parse_send_time
    from pressroom.load.room import load_room

    at = parse_send_time(value, load_room(REPO))
    assert at == datetime.fromisoformat(expected)


def test_send_at_with_a_relative_time_that_is_no_time_of_day_says_so(room, capsys):
    bad = run(capsys, room, "send", "unseen-terms-audit", "--at", "tomorrow 25:00", "--yes")
    assert bad.code != 0 and "25:00 is not a time of day" in bad.err
    assert "Traceback" not in bad.err

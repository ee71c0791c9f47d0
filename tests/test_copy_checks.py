"""Copy mistakes are caught (issue 19, item 3), each test from a complaint.

"I typed BREAKING: in the headline and the email said BREAKING: BREAKING:."
"The file said 2026-11-20, date: said 2026-11-23, nobody noticed." "A correction
dated next month went out." "check said 'an breaking release'."
"""

from __future__ import annotations

import json

import pytest

from tests.cli_runner import run
from tests.test_check import CLEAN, PRESS_LIST


def release_with(**lines: str) -> str:
    kept = [line for line in CLEAN.splitlines() if line.split(":")[0] not in lines]
    return "".join(f"{key}: {value}\n" for key, value in lines.items()) + "\n".join(kept) + "\n"


def check(make_room, capsys, name: str, text: str):
    root = make_room({"contacts/press.csv": PRESS_LIST, f"releases/{name}.yaml": text})
    return run(capsys, root, "check")


@pytest.mark.parametrize(
    "headline",
    ["BREAKING: Council Votes", "Breaking News - Council Votes", "BREAKING — Council Votes"],
)
def test_breaking_typed_in_a_breaking_headline_is_an_error(make_room, capsys, headline):
    text = release_with(status="breaking", headline=json.dumps(headline))
    result = check(make_room, capsys, "x", text)
    assert result.code == 1
    assert "releases/x.yaml:2:1: error: headline: the headline starts with" in result.err
    assert 'remove it from the headline ("Council Votes")' in result.err
    assert "[headline-breaking]" in result.err


def test_the_prefix_pressroom_adds_is_printed_once(make_room, capsys):
    result = check(make_room, capsys, "x", release_with(status="breaking"))
    assert "[headline-breaking]" not in result.err and result.code == 0, result.err
    plain = check(make_room, capsys, "x", release_with(headline='"Breaking the Silence on Parks"'))
    assert "[headline-breaking]" not in plain.err


def test_a_file_name_dated_otherwise_than_date_warns(make_room, capsys):
    result = check(make_room, capsys, "2026-11-20-vote", CLEAN)  # CLEAN has date: 2026-11-23
    assert result.code == 0
    assert (
        "releases/2026-11-20-vote.yaml:3:1: warning: date: the release is dated 2026-11-23, "
        "but its file name says 2026-11-20; fix date:, or rename the file to "
        "2026-11-23-vote.yaml"
    ) in result.err
    assert "[date-name]" in result.err


@pytest.mark.parametrize("name", ["2026-11-23-vote", "vote", "2026-13-40-vote"])
def test_a_name_that_agrees_or_holds_no_date_is_quiet(make_room, capsys, name):
    assert "[date-name]" not in check(make_room, capsys, name, CLEAN).err


@pytest.mark.parametrize(
    ("updates", "said"),
    [
        ("[{text: We fixed a name., label: CORRECTION, date: 2026-12-05}]",
         "updates[0].date: a correction dated 2026-12-05, in the future"),
        ("[{text: Police answered., date: '2026-11-23 18:00 America/New_York'}]",
         "updates[0].date: an update dated 2026-11-23 18:00-05:00, in the future"),
    ],
)  # fmt: skip
def test_an_update_dated_in_the_future_warns(make_room, capsys, updates, said):
    result = check(make_room, capsys, "x", release_with(updates=updates))  # now: 12:00 UTC
    assert result.code == 0 and said in result.err and "[update-future]" in result.err, result.err


def test_an_update_made_earlier_today_is_quiet(make_room, capsys):
    updates = "[{text: Police answered., date: '2026-11-23 06:00 America/New_York'}]"
    assert "[update-future]" not in check(make_room, capsys, "x", release_with(updates=updates)).err


@pytest.mark.parametrize(("status", "article"), [("breaking", "a"), ("immediate", "an")])
def test_checks_own_grammar(make_room, capsys, status, article):
    text = release_with(status=status, date="2026-12-15")
    result = check(make_room, capsys, "x", text)
    assert f"date: {article} {status} release dated 2026-12-15, in the future" in result.err

"""check and send agree: whatever send would refuse, check reports as an error, and so does the preview."""

from __future__ import annotations

import pytest

from pressroom.serve.pages import Preview
from tests.cli_runner import run
from tests.conftest import MINIMAL_ROOM

RELEASE = """\
dateline: OAKLAND, Calif.
date: 2026-11-23
headline: City Council Votes to Fund Safe Streets Program
body:
  - >-
    The Oakland City Council voted 7-1 on Monday to fund a safe streets program
    that neighbourhood groups have sought for three years, with money for
    crossings, lighting and slower traffic near every public school in the city.
distribution:
  lists: [press]
"""
PRESS_LIST = "email,name\nann@example.com,Ann Lee\nbo@example.com,Bo Chen\n"


def both(capsys, root):
    """What check says, and what send (a real one, to the outbox) says."""
    return run(capsys, root, "check"), run(capsys, root, "send", "x", "--yes")


def test_a_ready_release_passes_both(make_room, capsys):
    root = make_room({"releases/x.yaml": RELEASE, "contacts/press.csv": PRESS_LIST})
    check, send = both(capsys, root)
    assert check.code == 0 and send.code == 0, check.err + send.err
    assert "Sent: 2 accepted" in send.out


@pytest.mark.parametrize(
    "files, room, code, words",
    [
        ({"contacts/press.csv": PRESS_LIST}, MINIMAL_ROOM.replace("  email: press@example.org\n", ""),
         "no-sender", "no sender address"),
        ({"contacts/press.csv": PRESS_LIST},
         MINIMAL_ROOM.replace("  address: 100 Main St, Oakland, CA 94612\n", ""),
         "no-address", "no postal address"),
        ({"contacts/other.csv": PRESS_LIST}, MINIMAL_ROOM, "no-such-list",
         "no media list 'press' in contacts/"),
        ({"contacts/press.csv": PRESS_LIST + "ana@@broken,Bad Row\n"}, MINIMAL_ROOM,
         "invalid-rows", "contacts/press.csv has 1 invalid row: send refuses"),
    ],
)  # fmt: skip
def test_what_send_refuses_check_reports(make_room, capsys, files, room, code, words):
    root = make_room({"releases/x.yaml": RELEASE, **files}, room=room)
    check, send = both(capsys, root)
    assert send.code != 0 and "Traceback" not in send.err
    assert not (root / ".pressroom" / "outbox").exists()
    assert check.code == 1 and f"[{code}]" in check.err and words in check.err, check.err
    assert " error: " in next(x for x in check.err.splitlines() if f"[{code}]" in x)
    entry = Preview(root).index().entries[0]
    page = Preview(root).release("x")
    if code in ("no-such-list", "invalid-rows"):
        assert entry.errors >= 1  # the preview counts it against the release
        assert any(view.problem.code == code for view in page.errors)
    else:
        assert any(view.problem.code == code for view in page.errors)


def test_a_release_without_a_list_cannot_be_sent_and_check_says_so(make_room, capsys):
    text = RELEASE.replace("distribution:\n  lists: [press]\n", "")
    root = make_room({"releases/x.yaml": text, "contacts/press.csv": PRESS_LIST})
    check, send = both(capsys, root)
    assert send.code != 0 and "no media list" in send.err
    assert check.code == 1 and "error: distribution.lists: no media list" in check.err


def test_a_passed_embargo_is_an_error_only_until_the_release_is_sent(
    make_room, capsys, monkeypatch
):
    embargoed = RELEASE.replace(
        "date: 2026-11-23\n",
        "date: 2026-11-24\nstatus: embargoed\nembargo: 2026-11-24 09:00 America/New_York\n",
    )
    root = make_room(
        {
            "releases/x.yaml": embargoed,
            "releases/y.yaml": embargoed,
            "contacts/press.csv": PRESS_LIST,
        }
    )
    sent = run(capsys, root, "send", "x", "--yes")  # before the embargo lifts
    assert sent.code == 0, sent.err
    monkeypatch.setenv("PRESSROOM_NOW", "2026-11-25T12:00:00+00:00")
    check = run(capsys, root, "check")
    past = [x for x in check.err.splitlines() if "[embargo-past]" in x]
    assert len(past) == 1 and past[0].startswith("releases/y.yaml:"), check.err
    assert check.code == 1

    # a reporter added to the list after the embargo lifted still gets the sent release
    (root / "contacts" / "press.csv").write_text(PRESS_LIST + "cy@example.com,Cy Diaz\n")
    later = run(capsys, root, "send", "x", "--yes")
    assert later.code == 0 and "Sent: 1 accepted" in later.out, later.err
    refused = run(capsys, root, "send", "y", "--yes")
    assert refused.code == 1 and "[embargo-past]" in refused.err


def test_a_list_that_does_not_read_is_reported_once_for_all_its_releases(make_room, capsys):
    broken = b"email,name\nann@example.com,Ann \xff\n"
    root = make_room(
        {"releases/x.yaml": RELEASE, "releases/y.yaml": RELEASE, "contacts/press.csv": broken}
    )
    check = run(capsys, root, "check")
    assert check.code == 1
    lines = [x for x in check.err.splitlines() if x.startswith("contacts/press.csv")]
    assert len(lines) == 1 and "not UTF-8" in lines[0], check.err

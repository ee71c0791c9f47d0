"""Editorial checks, as a press officer would run them before sending."""

from __future__ import annotations

import pytest

from tests.cli_runner import run

CLEAN = """\
headline: City Council Votes to Fund Safe Streets Program
dateline: OAKLAND, Calif.
date: 2026-11-23
body:
  - >-
    The Oakland City Council voted 7-1 on Monday to fund a safe streets program
    that neighbourhood groups have sought for three years, with money for
    crossings, lighting and slower traffic near every public school in the city.
  - quote: dana-reyes
    text: This is what neighbours asked for, and the council listened to them.
distribution:
  lists: [press]
"""
PRESS_LIST = "email,name,outlet\nann@example.com,Ann Lee,Oakland Daily\n"


@pytest.fixture
def make_room(make_room):
    """The conftest room, with the media list CLEAN is sent to."""

    def make(files=None, **kw):
        return make_room({"contacts/press.csv": PRESS_LIST, **(files or {})}, **kw)

    return make


def codes(capsys, root, *args):
    result = run(capsys, root, "check", *args)
    return result, result.err


def test_a_clean_release_passes(make_room, capsys):
    root = make_room({"releases/x.yaml": CLEAN})
    result = run(capsys, root, "check")
    assert result.code == 0, result.err
    assert "1 release checked: 0 errors, 0 warnings" in result.out


@pytest.mark.parametrize(
    "change, code, severity",
    [
        (
            {"status": "embargoed", "embargo": "2026-11-20 09:00 America/New_York"},
            "embargo-past",
            "error",
        ),
        (
            {"status": "embargoed", "embargo": "2026-12-01 09:00", "date": "2026-12-01"},
            "embargo-zone",
            "error",
        ),
        (
            {
                "status": "embargoed",
                "embargo": "2026-12-03 09:00 America/New_York",
                "date": "2026-12-01",
            },
            "embargo-after-date",
            "error",
        ),
        ({"contacts": "[]"}, "no-contact", "warning"),
        ({"headline": "A " + "very " * 30 + "long headline"}, "headline-long", "warning"),
        ({"headline": "COUNCIL VOTES TO FUND SAFE STREETS"}, "headline-caps", "warning"),
        ({"date": "2026-12-15"}, "dated-future", "warning"),
        ({"dateline": "Oakland, CA"}, "dateline-style", "warning"),
        ({"subheadline": "Mayor [INSERT NAME] responds"}, "placeholder", "error"),
        ({"subheadline": "Say {{ first_name }}"}, "placeholder", "error"),
        ({"ps": "Read [the report](www.example.org/report)."}, "bad-link", "error"),
        ({"ps": "Read [the report](https://exa mple.org)."}, "bad-link", "error"),
        ({"ps": "Read [the report](htp:/x)."}, "bad-link", "error"),
        ({"draft": "true"}, "draft", "warning"),
        ({"ps": "See ![the map](/map.png)."}, "inline-image", "error"),
    ],
)
def test_rule(make_room, capsys, change, code, severity):
    lines = [line for line in CLEAN.splitlines() if line.split(":")[0] not in change]
    text = (
        "\n".join(f"{key}: {value}" for key, value in change.items())
        + "\n"
        + "\n".join(lines)
        + "\n"
    )
    root = make_room({"releases/x.yaml": text})
    result, err = codes(capsys, root)
    assert f"[{code}]" in err, err
    assert f"{severity}:" in err
    assert "releases/x.yaml:" in err
    assert result.code == (1 if severity == "error" else 0)


def test_quote_without_attribution_and_unreachable_contact(make_room, capsys):
    root = make_room(
        {
            "releases/x.yaml": CLEAN.replace("quote: dana-reyes", "quote: {name: Sam Lee}")
            + "contacts: [nobody-reachable]\n"
        },
        room="org: {name: Example}\npeople:\n  nobody-reachable: {name: Pat Doe}\n",
    )
    result, err = codes(capsys, root)
    assert "[quote-attribution]" in err and "Sam Lee" in err
    assert "[contact-unreachable]" in err and "Pat Doe has neither email nor phone" in err
    assert "[no-address]" in err and "pressroom.yaml" in err
    assert result.code == 1


def test_strict_turns_warnings_into_errors(make_room, capsys):
    root = make_room({"releases/x.yaml": "draft: true\n" + CLEAN})
    assert run(capsys, root, "check").code == 0
    result = run(capsys, root, "check", "--strict")
    assert result.code == 1
    assert "1 error" in result.err


def test_body_far_beyond_a_release(make_room, capsys):
    long_body = CLEAN.replace("distribution:", "  - " + "word " * 1600 + "\ndistribution:")
    root = make_room({"releases/x.yaml": long_body})
    assert "[body-long]" in codes(capsys, root)[1]


def test_the_example_room_has_no_errors(capsys):
    from tests.conftest import REPO

    result = run(capsys, REPO, "check")
    assert result.code == 0, result.err
    assert "7 releases checked: 0 errors" in result.out


def test_checking_one_release_by_short_name(make_room, capsys):
    root = make_room(
        {"releases/2026-11-23-fund.yaml": CLEAN, "releases/other.yaml": "headline: B\nbody: []\n"}
    )
    assert run(capsys, root, "check", "fund").code == 0
    result = run(capsys, root, "check", "fnd")
    assert result.code == 1 and "no such release" in result.err

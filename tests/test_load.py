"""Bad input gets one clear message naming file, line and key; never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import run

GOOD = """\
headline: City Council Votes on Oversight
dateline: OAKLAND, Calif.
body:
  - The council voted today.
"""


def check(capsys, root: Path, *names: str):
    return run(capsys, root, "check", *names)


def assert_clean_failure(result, *fragments: str) -> None:
    assert result.code == 1, result
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err, f"{fragment!r} not in:\n{result.err}"


@pytest.mark.parametrize(
    "text, fragments",
    [
        ("headline: X\nbody:\n\t- tab\n", ["releases/x.yaml:3:1", "tab", "spaces"]),
        ('headline: "unclosed\nbody: [a]\n', ["releases/x.yaml:1:", "never closed"]),
        (
            "headline: A\nheadline: B\nbody: [a]\n",
            ["releases/x.yaml:2:1", "duplicate key", "line 1"],
        ),
        ("", ["releases/x.yaml", "the file is empty"]),
        ("- headline: A\n", ["releases/x.yaml:1:1", "a list, not a mapping"]),
        (
            "headline: A\ndate: 2026-02-30\nbody: [a]\n",
            ["releases/x.yaml:2:1", "date", "not a valid date", "YYYY-MM-DD"],
        ),
        (
            "headline: A\nstatus: embargoed\nbody: [a]\n",
            ["releases/x.yaml:2:1", "status", "embargoed", "embargoed"],
        ),
        ("headline: A\ntype: letter\nbody: [a]\n", ["releases/x.yaml:2:1", "type", "open-letter"]),
        (
            "headline: A\nstatus: embargoed\nbody: [a]\n",
            ["releases/x.yaml:2:1", "status", "needs an embargo time"],
        ),
        (
            "headline: A\nstatus: embargoed\nembargo: 2026-12-01 09:00 America/New_Yrok\nbody: [a]\n",
            ["releases/x.yaml:3:1", "embargo", "unknown time zone", "America/New_York"],
        ),
        (
            "headline: A\nbody:\n  - p\n  - quote: dana-reye\n    text: Hi\n",
            [
                "releases/x.yaml:4:5",
                "body[1].quote",
                "no person 'dana-reye'",
                "did you mean 'dana-reyes'",
            ],
        ),
        (
            "headline: A\nsignatories: missing.csv\nbody: [a]\n",
            ["releases/x.yaml:2:1", "signatories", "missing.csv"],
        ),
        ("headlin: A\nbody: [a]\n", ["releases/x.yaml:1:1", "headlin", "unknown key", "headline"]),
        ("body: [a]\n", ["releases/x.yaml:1:1", "headline", "required"]),
        ("headline: A\nbody: []\n", ["releases/x.yaml:2:1", "body", "must not be empty"]),
        (
            "headline: A\nbody:\n  - {foo: 1}\n",
            ["releases/x.yaml:3:5", "body[0]", "a body block is"],
        ),
        (
            "headline: A\nimages:\n  - {file: nope.jpg}\nbody: [a]\n",
            ["releases/x.yaml:3:", "images[0].file", "no image 'nope.jpg'"],
        ),
    ],
)
def test_bad_release_gets_one_clear_message(make_room, capsys, text, fragments):
    root = make_room({"releases/x.yaml": text})
    assert_clean_failure(check(capsys, root), *fragments)


def test_all_problems_of_a_file_are_reported_at_once(make_room, capsys):
    root = make_room(
        {
            "releases/x.yaml": "headlin: A\nstatus: later\ntype: letter\nbody:\n  - quote: nobody\n    text: x\n"
        }
    )
    result = check(capsys, root)
    assert_clean_failure(result, ":1:1", ":2:1", ":3:1", ":5:5")
    assert result.err.count("error:") >= 4


def test_non_utf8_bytes_are_located(make_room, capsys):
    root = make_room({"releases/x.yaml": b"headline: Caf\xe9 opens\nbody: [a]\n"})
    assert_clean_failure(
        check(capsys, root), "releases/x.yaml:1:14", "not UTF-8", "save the file as UTF-8"
    )


def test_a_huge_file_is_refused_quickly(make_room, capsys):
    root = make_room({"releases/x.yaml": "headline: A\nbody:\n" + "  - word word word\n" * 200_000})
    assert_clean_failure(check(capsys, root), "releases/x.yaml", "MB")


def test_alias_bomb_stops_with_a_message(make_room, capsys):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdefghij", "abcdefghi", strict=True):
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    bomb += "headline: A\nbody: [a]\n"
    root = make_room({"releases/x.yaml": bomb})
    assert_clean_failure(check(capsys, root), "releases/x.yaml", "too many values")


def test_broken_pressroom_yaml_names_its_line(make_room, capsys):
    root = make_room(
        {"releases/x.yaml": GOOD},
        room="org:\n  name: X\n  website: example.org\ntimezone: Mars/Olympus\ncontacts: [nobody]\n",
    )
    assert_clean_failure(
        check(capsys, root),
        "pressroom.yaml:3:3: error: org.website",
        "https://example.org",
        "pressroom.yaml:4:1: error: timezone",
        "pressroom.yaml:5:",
        "contacts[0]",
    )


def test_person_org_defaults_to_org_name_unless_empty(make_room):
    from pressroom.load.room import load_room

    root = make_room(
        room="org: {name: Example Network}\npeople:\n  a: {name: A}\n  b: {name: B, org: ''}\n"
        "  c: {name: C, org: Other}\n"
    )
    people = load_room(root).config.people
    assert (people["a"].org, people["b"].org, people["c"].org) == ("Example Network", None, "Other")


def test_room_is_found_from_a_subfolder_or_with_root(make_room, capsys, tmp_path):
    root = make_room({"releases/x.yaml": GOOD})
    assert "1 release checked" in run(capsys, root / "releases", "check").err
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert "1 release checked" in run(capsys, elsewhere, "--root", str(root), "check").err
    result = run(capsys, elsewhere, "check")
    assert result.code == 1 and "no pressroom.yaml" in result.err and "Traceback" not in result.err


def test_signatories_from_csv_and_groups(make_room):
    from pressroom.load.room import load_releases, load_room

    root = make_room(
        {
            "releases/a.yaml": "type: open-letter\nheadline: A\nbody: [a]\nsignatories: people.csv\n",
            "releases/people.csv": "name,title,org\nAna Ortiz,Director,Neighbours United\nZoë Müller,,\n",
            "releases/b.yaml": "type: open-letter\nheadline: B\nbody: [b]\n"
            "signatories:\n  Organizations: [One, Two]\n  Individuals: [{name: Sam, location: Oakland}]\n",
        }
    )
    room = load_room(root)
    a, b = load_releases(room)
    assert [s.name for s in a.signatories] == ["Ana Ortiz", "Zoë Müller"]
    assert a.signatories[0].details == "Director, Neighbours United"
    assert [(label, len(people)) for label, people in b.signatory_groups] == [
        ("Organizations", 2),
        ("Individuals", 1),
    ]
    assert b.signatory_count == 3


def test_times_without_zone_use_the_room_timezone(make_room):
    from pressroom.load.room import load_releases, load_room

    root = make_room(
        {
            "releases/2026-12-01-a.yaml": "status: embargoed\nembargo: 2026-12-01 09:00\n"
            "headline: A\nbody: [a]\n",
            "releases/b.yaml": "status: embargoed\nembargo: 2026-12-01T09:00:00+01:00\n"
            "headline: B\ndate: 2026-12-01\nbody: [b]\n",
        }
    )
    a, b = load_releases(load_room(root))
    assert a.embargo.at.isoformat() == "2026-12-01T09:00:00-05:00" and not a.embargo.zone_given
    assert a.date.isoformat() == "2026-12-01" and a.date_from_name
    assert b.embargo.at.utcoffset().total_seconds() == 3600 and b.embargo.zone_given


def test_yes_and_no_stay_text(make_room):
    from pressroom.load.room import load_releases, load_room

    root = make_room({"releases/a.yaml": "headline: No\nsubheadline: yes\nbody: [on]\n"})
    [release] = load_releases(load_room(root))
    assert (release.headline, release.subheadline, release.body) == ("No", "yes", ["on"])


def test_an_unknown_key_is_answered_with_the_keys_of_its_own_mapping(make_room, capsys):
    from tests.conftest import MINIMAL_ROOM

    room = MINIMAL_ROOM.replace("  name: Example Justice Press Office\n",
                                "  name: Example Justice Press Office\n  x: 1\n")  # fmt: skip
    root = make_room(room=room)
    result = run(capsys, root, "check")
    assert result.code == 1 and "sender.x" in result.err and "unknown key" in result.err
    assert "known keys here: email, name, reply_to" in result.err


def test_an_unknown_key_in_a_quote_is_answered_with_a_quote_s_keys(make_room, capsys):
    root = make_room(
        {
            "releases/2026-11-20-keys.yaml": "headline: A Test Release For Keys\nbody:\n"
            "  - quote: dana-reyes\n    txt: Hello there\n"
        }  # fmt: skip
    )
    result = run(capsys, root, "check")
    assert "body[0].quote.txt: unknown key; did you mean 'text'?" in result.err

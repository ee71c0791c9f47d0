"""Atom entries never share an ``updated`` stamp by accident (issue 19, item 13): a
release dated by day and another's update banner dated the same day both count from
midnight; the feeds break the tie by a second, the same way on every build."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from tests.cli_runner import run

ATOM = "{http://www.w3.org/2005/Atom}"
AFTER_EVERY_EMBARGO = "2026-12-20T12:00:00+00:00"
SAME_DAY = """\
headline: {headline}
date: 2026-11-23
body:
  - The board met on Monday.
"""


def build(room: Path, capsys) -> Path:  # type: ignore[no-untyped-def]
    built = run(capsys, room, "site", "--use-pressroom-now")
    assert built.code == 0, built.err
    return room / "site"


def atom_stamps(site: Path) -> dict[str, str]:
    feed = ET.parse(site / "feed.xml").getroot()
    return {
        entry.findtext(f"{ATOM}id", ""): entry.findtext(f"{ATOM}updated", "")
        for entry in feed.findall(f"{ATOM}entry")
    }


def test_no_two_entries_of_the_example_share_an_updated_stamp(room, capsys, monkeypatch):
    monkeypatch.setenv("PRESSROOM_NOW", AFTER_EVERY_EMBARGO)
    site = build(room, capsys)
    stamps = atom_stamps(site)
    assert len(stamps) >= 5
    assert len(set(stamps.values())) == len(stamps), stamps
    # the letter's update banner and the suspension both fall on Nov 23 (midnight)
    letter = next(v for k, v in stamps.items() if "open-letter-streetsight" in k)
    suspended = next(v for k, v in stamps.items() if k.endswith("streetsight-suspended/"))
    same_day = sorted(v for v in stamps.values() if v.startswith("2026-11-23T00:00:"))
    assert {letter, suspended} <= set(same_day)
    assert same_day == [f"2026-11-23T00:00:{s:02d}-05:00" for s in range(len(same_day))]
    items = json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]
    modified = [item["date_modified"] for item in items]
    assert len(set(modified)) == len(modified)
    assert {datetime.fromisoformat(v) for v in stamps.values()} == {
        datetime.fromisoformat(v) for v in modified
    }

    again = build(room, capsys)  # the same stamps on every build
    assert atom_stamps(again) == stamps


def test_three_releases_of_one_day_get_three_stamps(make_room, capsys, monkeypatch):
    room = make_room(
        {
            f"releases/2026-11-23-{name}.yaml": SAME_DAY.format(headline=f"Board {name}")
            for name in ("one", "two", "three")
        }
    )
    monkeypatch.setenv("PRESSROOM_NOW", AFTER_EVERY_EMBARGO)
    result = run(capsys, room, "site", "--use-pressroom-now", "--base-url", "https://n.example")
    assert result.code == 0, result.err
    stamps = sorted(atom_stamps(room / "site").values())
    assert stamps == [
        "2026-11-23T00:00:00-05:00",
        "2026-11-23T00:00:01-05:00",
        "2026-11-23T00:00:02-05:00",
    ]

"""The newsroom's JSON-LD (issue 19, item 13): a release page's NewsArticle carries an
``image`` when the room has a logo (its photos first), and a media advisory's page
describes its event as a schema.org Event (startDate, endDate, location)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.cli_runner import run

AFTER_EVERY_EMBARGO = "2038-01-05T12:00:00+00:00"
BASE = "https://www.sidewalkcommons.example/"
ADVISORY = "2026-12-02-advisory-petition-delivery"


@pytest.fixture
def site(room: Path, capsys, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PRESSROOM_NOW", AFTER_EVERY_EMBARGO)
    built = run(capsys, room, "site", "--use-pressroom-now")
    assert built.code == 0, built.err
    return room / "site"


def json_ld(site: Path, name: str) -> Any:
    html = (site / name / "index.html").read_text(encoding="utf-8")
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script)


def test_an_article_without_photos_carries_the_logo_as_its_image(site: Path) -> None:
    article = json_ld(site, "2026-11-19-statement-police-drone-pilot")
    assert article["@type"] == "NewsArticle"
    assert article["image"] == [f"{BASE}assets/logo.png"]
    assert (site / "assets" / "logo.png").is_file()  # the address is the site's own copy


def test_an_article_with_photos_carries_the_photos(site: Path) -> None:
    name = "2037-12-01-unseen-terms-audit"
    assert json_ld(site, name)["image"] == [f"{BASE}{name}/camera-mast-dusk.jpg"]


def test_without_a_logo_or_photos_no_image_is_claimed(room: Path, capsys, monkeypatch) -> None:
    config = room / "pressroom.yaml"
    config.write_text(re.sub(r"\n  logo: .*", "", config.read_text(encoding="utf-8")))
    monkeypatch.setenv("PRESSROOM_NOW", AFTER_EVERY_EMBARGO)
    assert run(capsys, room, "site", "--use-pressroom-now").code == 0
    assert "image" not in json_ld(room / "site", "2026-11-19-statement-police-drone-pilot")


def test_a_media_advisory_describes_its_event(site: Path) -> None:
    article, event = json_ld(site, ADVISORY)
    assert article["@type"] == "NewsArticle"
    assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
    assert event["startDate"] == "2026-12-04T10:00:00-05:00"
    assert event["endDate"] == "2026-12-04T11:00:00-05:00"
    assert event["location"] == {
        "@type": "Place",
        "name": "Baltimore City Hall, west steps (Holliday Street side)",
        "address": "100 N. Holliday Street, Baltimore, MD 21202",
    }
    assert event["name"] and "\n" not in event["description"]
    assert event["organizer"]["name"] == "Sidewalk Commons"
    assert event["url"] == f"{BASE}{ADVISORY}/"
    # a press release has no event
    assert isinstance(json_ld(site, "2026-11-23-streetsight-suspended"), dict)

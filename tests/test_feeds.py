"""The newsroom's feeds, read back as feed readers read them.

Atom is checked against RFC 4287 (an author for every entry), RSS 2.0 and
JSON Feed 1.1 for their required fields; every feed carries the release's
text as HTML, escaped once, with only safe links.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import feedparser
from lxml import etree, html

from tests.cli_runner import run

BASE = "https://press.example.org/"
NAME = "2026-11-20-lights"
RELEASE = """\
date: 2026-11-20
dateline: OAKLAND, Calif.
headline: Streetlights & Cameras Audit Published
subheadline: The first count of every camera on a streetlight
body:
  - >-
    The audit counted 412 cameras on streetlights. Read
    [the full report](/reports/lights) and write to
    [the office](mailto:audit@example.org).
  - Residents typed <script>alert(1)</script> and "quotes" & ampersands into the form.
  - A [bad link](javascript:alert(1)) is never a link.
  - quote: dana-reyes
    text: Every camera should be counted.
"""
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def build(make_room, capsys, files: dict[str, str]) -> Path:
    root = make_room(files)
    result = run(capsys, root, "site", "--use-pressroom-now", "--base-url", BASE)
    assert result.code == 0, result.err
    return root / "site"


def check_release_html(text: str) -> None:
    """The HTML a feed carries: the whole text, no script, only safe links."""
    doc = html.fromstring(f"<div>{text}</div>")
    words = doc.text_content()
    assert "The audit counted 412 cameras" in words
    assert "Every camera should be counted." in words and "Dana Reyes" in words
    assert "<script>alert(1)</script>" in words  # shown as text, never run
    assert "“quotes” & ampersands" in words
    assert doc.xpath("//script") == []
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert "https://example.org/reports/lights" in hrefs  # relative links made absolute
    assert "mailto:audit@example.org" in hrefs
    assert all(h.startswith(("https://", "http://", "mailto:", "tel:")) for h in hrefs), hrefs


def test_every_feed_carries_the_release_text_and_its_author(make_room, capsys):
    out = build(make_room, capsys, {f"releases/{NAME}.yaml": RELEASE})
    page = BASE + NAME + "/"

    # Atom: strict XML, an author on every entry, the text as escaped HTML
    feed = etree.parse(str(out / "feed.xml")).getroot()
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Example Justice Network"
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    check_release_html(content.text or "")
    assert entry.findtext(f"{ATOM}summary") == "The first count of every camera on a streetlight"
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries[0].author == "Example Justice Network"
    assert parsed.entries[0].link == page

    # RSS 2.0: the channel links to the home page; content:encoded holds the text
    channel = etree.parse(str(out / "rss.xml")).getroot().find("channel")
    assert channel is not None
    assert channel.findtext("link") == BASE
    assert channel.findtext("title") and channel.findtext("description")
    [item] = channel.findall("item")
    check_release_html(item.findtext(CONTENT) or "")
    assert item.findtext("link") == page
    rss = feedparser.parse((out / "rss.xml").read_bytes())
    assert not rss.bozo and rss.feed.link == BASE

    # JSON Feed 1.1: its required fields, and content_html
    data = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1" and data["title"]
    assert data["home_page_url"] == BASE and data["feed_url"] == BASE + "feed.json"
    assert data["authors"] == [{"name": "Example Justice Network", "url": "https://example.org"}]
    [one] = data["items"]
    assert one["id"] == page and one["url"] == page
    check_release_html(one["content_html"])


def test_a_correction_updates_the_entry(make_room, capsys):
    out = build(make_room, capsys, {f"releases/{NAME}.yaml": RELEASE})

    def atom_updated() -> datetime:
        [entry] = etree.parse(str(out / "feed.xml")).getroot().findall(f"{ATOM}entry")
        return datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "")

    def json_item() -> dict[str, str]:
        [item] = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
        return item

    published = atom_updated()
    assert published == datetime.fromisoformat("2026-11-20T00:00:00-05:00")

    # corrected on the day it was published: the time of the correction counts
    path = out.parent / "releases" / f"{NAME}.yaml"
    path.write_text(
        RELEASE.replace(
            "\nheadline:",
            "\nupdates:\n  - label: CORRECTION\n    date: 2026-11-20 15:30\n"
            "    text: The first version counted 421 cameras.\nheadline:",
        ),
        encoding="utf-8",
    )
    result = run(capsys, out.parent, "site", "--use-pressroom-now", "--base-url", BASE)
    assert result.code == 0, result.err
    corrected = datetime.fromisoformat("2026-11-20T15:30:00-05:00")
    assert atom_updated() == corrected
    assert datetime.fromisoformat(json_item()["date_modified"]) == corrected
    assert "The first version counted 421 cameras." in json_item()["content_html"]
    # the banner says when, as written: the time is never dropped
    assert "CORRECTION (November 20, 2026, 3:30 PM EST):" in json_item()["content_html"]
    rss = feedparser.parse((out / "feed.xml").read_bytes())
    assert "421 cameras" in rss.entries[0].content[0].value

"""The newsroom in several languages: the example room's German translation of
streetsight-suspended on a page of its own, linked both ways, in the feeds and the
sitemap; read back with lxml and feedparser, and clicked through in Chromium."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree, html

from pressroom.load.room import load_releases, load_room
from pressroom.site.newsroom import build_site
from tests.conftest import REPO

BASE = "https://www.sidewalkcommons.example/"
NAME = "2026-11-23-streetsight-suspended"
ENGLISH, GERMAN = BASE + NAME + "/", BASE + NAME + ".de/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("room")
    shutil.copy(REPO / "pressroom.yaml", root / "pressroom.yaml")
    for folder in ("releases", "assets", "contacts"):
        shutil.copytree(REPO / folder, root / folder)
    room = load_room(root)
    out = root / "site"
    build_site(room, load_releases(room), out, datetime.fromisoformat("2026-12-05T12:00:00+00:00"))
    return out


def page(out: Path, folder: str) -> html.HtmlElement:
    return html.fromstring((out / folder / "index.html").read_bytes())


def test_each_language_has_its_page_and_each_page_links_to_every_other(site):
    english, german = page(site, NAME), page(site, NAME + ".de")
    assert german.get("lang") == "de" and english.get("lang") == "en-US"
    assert "Gesichtserkennungsvertrag StreetSight" in german.find(".//h1").text_content()
    for tree in (english, german):
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in tree.iter("link")
            if link.get("rel") == "alternate" and link.get("hreflang")
        }
        assert alternates == {"en-US": ENGLISH, "de": GERMAN, "x-default": ENGLISH}
    switch = german.find(".//nav[@class='language-switch']")
    assert switch is not None
    assert [(a.text, a.get("href"), a.get("lang")) for a in switch.iter("a")] == [
        ("English", ENGLISH, "en-US")
    ]
    [current] = switch.xpath(".//*[@aria-current='page']")
    assert (current.text, current.get("lang")) == ("Deutsch", "de")
    back = english.find(".//nav[@class='language-switch']")
    assert [(a.text, a.get("href")) for a in back.iter("a")] == [("Deutsch", GERMAN)]

    def json_ld(tree: html.HtmlElement) -> dict:
        [script] = tree.xpath("//script[@type='application/ld+json']")
        return json.loads(script.text)

    assert json_ld(german)["inLanguage"] == "de"
    assert json_ld(german)["translationOfWork"] == {"@id": ENGLISH}
    assert json_ld(english)["inLanguage"] == "en-US"
    assert json_ld(english)["workTranslation"] == [{"@id": GERMAN}]
    assert (site / f"{NAME}.de" / f"{NAME}.de.pdf").is_file()
    # the index lists the release once, in the room's language
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="{NAME}/index.html"' in index and f"{NAME}.de/" not in index


def test_the_feeds_give_each_entrys_language_and_the_sitemap_the_alternates(site):
    atom = feedparser.parse(site / "feed.xml")
    assert not atom.bozo
    languages = {e.id: e.title_detail.language for e in atom.entries}
    assert languages[GERMAN] == "de" and languages[ENGLISH] == "en-US"
    rss = feedparser.parse(site / "rss.xml")
    assert not rss.bozo
    assert {e.id: e.language for e in rss.entries}[GERMAN] == "de"
    items = json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]
    assert {i["id"]: i["language"] for i in items}[GERMAN] == "de"

    sitemap = etree.parse(str(site / "sitemap.xml")).getroot()
    spaces = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    for url in (ENGLISH, GERMAN):
        [node] = sitemap.xpath(f"s:url[s:loc='{url}']", namespaces=spaces)
        links = {a.get("hreflang"): a.get("href") for a in node.xpath("x:link", namespaces=spaces)}
        assert links == {"en-US": ENGLISH, "de": GERMAN}


def test_a_reader_switches_language_in_chromium(site, browser):
    """The switch, clicked as a reader would: German to English and back."""
    context = browser.new_context()
    try:
        tab = context.new_page()

        def serve(route):  # the site's own address, answered from the built folder
            path = route.request.url.removeprefix(BASE) or "index.html"
            file = site / (path + "index.html" if path.endswith("/") else path)
            route.fulfill(path=str(file)) if file.is_file() else route.abort()

        tab.route(BASE + "**", serve)
        tab.goto(GERMAN)
        assert tab.evaluate("document.documentElement.lang") == "de"
        tab.get_by_role("link", name="English").click()
        tab.wait_for_url(ENGLISH)
        assert tab.evaluate("document.documentElement.lang") == "en-US"
        assert "Demands City Permanently Cancel" in tab.locator("h1").inner_text()
        tab.get_by_role("link", name="Deutsch").click()
        tab.wait_for_url(GERMAN)
        assert "fordert endgültiges Aus" in tab.locator("h1").inner_text()
        tab.screenshot(path=str(site.parent / "german.png"))
    finally:
        context.close()

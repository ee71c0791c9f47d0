"""The preview's markup passes the W3C checker's rules it broke (issue 19, item 13):
the favicon's data: address has no raw spaces (illegal in a URL), and the release
page's tabs are a complete ARIA tab set (each tab in a tablist, naming the panel it
controls with aria-controls, aria-selected true on one; each tabpanel labelled by its
tab; ids unique). Checked on the pages a real ``pressroom serve`` answers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import lxml.html
import pytest

from tests.browser import Server, start_server

RELEASE = "2026-11-23-streetsight-suspended"
# what the URL standard (and so the W3C checker) refuses in an attribute's URL
NOT_IN_A_URL = re.compile(r'[\s"<>\\^`{|}]')


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    import shutil

    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("markup") / "room"
    root.mkdir()
    shutil.copy(REPO / "pressroom.yaml", root)
    for folder in ("releases", "contacts", "assets", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    server = start_server(Path(root))
    yield server
    server.stop()


def page(served: Server, path: str) -> lxml.html.HtmlElement:
    answer = httpx.get(served.url + path, timeout=60)
    assert answer.status_code == 200, path
    return lxml.html.fromstring(answer.text)


@pytest.mark.parametrize("path", ["", f"release/{RELEASE}", f"release/{RELEASE}/report"])
def test_every_address_in_the_pages_is_a_valid_url(served: Server, path: str) -> None:
    tree = page(served, path)
    [icon] = tree.xpath('//link[@rel="icon"]')
    assert icon.get("href").startswith("data:image/svg+xml,")
    for element in tree.xpath("//*[@href or @src]"):
        for name in ("href", "src"):
            value = element.get(name)
            if value is not None:
                assert not NOT_IN_A_URL.search(value), (path, element.tag, name, value[:80])


@pytest.mark.parametrize("path", [f"release/{RELEASE}"])
def test_the_tabs_are_a_complete_aria_tab_set(served: Server, path: str) -> None:
    tree = page(served, path)
    ids = Counter(tree.xpath("//@id"))
    assert [i for i, n in ids.items() if n > 1] == []
    tabs = tree.xpath('//*[@role="tab"]')
    assert len(tabs) == 4
    by_id = {e.get("id"): e for e in tree.xpath("//*[@id]")}
    for tab in tabs:
        assert tab.xpath('ancestor::*[@role="tablist"]'), "a tab outside a tablist"
        assert tab.get("aria-selected") in ("true", "false")
        controlled = by_id.get(tab.get("aria-controls") or "")
        assert controlled is not None and controlled.get("role") == "tabpanel"
        assert controlled.get("aria-labelledby") == tab.get("id")
        # the roving tabindex: only the selected tab is in the tab order
        assert (tab.get("tabindex") == "-1") == (tab.get("aria-selected") == "false")
    assert sum(tab.get("aria-selected") == "true" for tab in tabs) == 1
    panels = tree.xpath('//*[@role="tabpanel"]')
    assert len(panels) == len(tabs)
    for panel in panels:
        assert by_id.get(panel.get("aria-labelledby") or "") is not None
    [tablist] = tree.xpath('//*[@role="tablist"]')
    assert tablist.get("aria-label") or tablist.get("aria-labelledby")

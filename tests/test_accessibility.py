"""What readers open in a browser passes axe-core's WCAG 2.1 A and AA rules.

axe-core (bundled by the axe-playwright-python package) runs inside Debian's
Chromium on every page of the example room's newsroom and on the preview's
index and release pages: contrast, alt text, labels, landmarks, headings,
language, link names. Any violation fails the test with what and where.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import Server, start_server
from tests.cli_runner import run

pytestmark = pytest.mark.needs("chromium")

RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}
AFTER_EVERY_EMBARGO = "2026-12-20T12:00:00+00:00"


def violations(page, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url)
    found = Axe().run(page, options=RULES).response["violations"]
    return [
        f"{url}: {v['id']} ({v['impact']}): {v['help']}: {node['html'][:120]}"
        for v in found
        for node in v["nodes"]
    ]


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(bypass_csp=True)  # axe is injected into the page
    yield context.new_page()
    context.close()


def test_every_newsroom_page_is_accessible(room: Path, page, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PRESSROOM_NOW", AFTER_EVERY_EMBARGO)
    built = run(capsys, room, "site", "--use-pressroom-now")
    assert built.code == 0, built.err
    pages = sorted((room / "site").glob("**/index.html"))
    assert len(pages) >= 6  # the index and each published release
    problems = [p for path in pages for p in violations(page, path.as_uri())]
    assert problems == []


@pytest.fixture
def served(room: Path) -> Iterator[Server]:
    server = start_server(room)
    yield server
    server.stop()


def test_the_preview_is_accessible(served: Server, page) -> None:
    problems = violations(page, served.url)
    for name in ("2037-12-01-unseen-terms-audit", "2026-12-08-transit-letter"):
        problems += violations(page, f"{served.url}release/{name}")
    assert problems == []

"""The preview's report page of a sent release: numbers, charts drawn on the server,
readable without colour, and passing axe-core in Chromium.

The send log is a real SQLite file filled the way a send and SendGrid's
events fill it (the log's own methods); the preview runs as ``pressroom serve``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from pressroom.events.parse import Event
from pressroom.model.contacts import Recipient
from pressroom.sendlog import SendLog
from tests.browser import Server, start_server
from tests.test_accessibility import violations

pytestmark = pytest.mark.needs("chromium")

RELEASE = "2026-11-23-streetsight-suspended"
START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def fill_log(root: Path) -> None:
    """Eight national and two local recipients; delivered, opened, clicked and bounced."""
    people = [
        Recipient(email=f"r{i}@outlet{i % 3}.example", lists=["national-press"]) for i in range(8)
    ]
    people += [Recipient(email=f"l{i}@harbor.example", lists=["local-press"]) for i in range(2)]
    with SendLog.open(root / ".pressroom" / "pressroom.db") as log:
        log.plan(RELEASE, "v1", people)
        batch = log.start_batch(RELEASE, "v1", [p.key for p in people])
        log.accept_batch(batch, "MSG1")
        events = []
        for i, person in enumerate(people):
            kinds = (
                ["bounce"]
                if i == 3
                else ["delivered"]
                + (["open"] if i % 2 == 0 else [])
                + (["click"] if i == 0 else [])
            )
            for step, kind in enumerate(kinds):
                events.append(Event(
                    event_id=f"{i}-{step}", kind=kind, email=person.email,
                    at=START + timedelta(hours=i * 3 + step), release=RELEASE, version="v1",
                    url="https://example.org/report" if kind == "click" else None,
                    reason="550 no such user" if kind == "bounce" else None,
                ))  # fmt: skip
        log.record_events(events)


@pytest.fixture
def served(room: Path) -> Iterator[Server]:
    fill_log(room)
    server = start_server(room)
    yield server
    server.stop()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(bypass_csp=True)  # axe is injected into the page
    yield context.new_page()
    context.close()


def test_the_report_page_shows_the_numbers_and_charts_and_is_accessible(
    served: Server, page
) -> None:
    url = f"{served.url}release/{RELEASE}/report"
    assert violations(page, url) == []
    page.goto(url)
    outcomes = page.locator("table").first.inner_text()
    for row in ("recipients\t10", "delivered\t9\t90% of recipients", "bounced\t1\t10% of recipients",
                "opened\t5\t56% of delivered", "clicked\t1\t11% of delivered"):  # fmt: skip
        assert row in outcomes
    images = page.locator("figure.chart img")
    assert images.count() == 3
    for i in range(3):
        image = images.nth(i)
        assert len(image.get_attribute("alt") or "") > 40
        assert image.evaluate("img => img.complete && img.naturalWidth > 100")
    svg = httpx.get(f"{served.url}release/{RELEASE}/report/lists.svg").text
    assert svg.startswith("<?xml") and "<svg" in svg
    assert ">national-press<" in svg and ">local-press<" in svg  # text, not paths
    assert 'id="patch' in svg or "<pattern" in svg  # hatching: told apart without colour
    timeline = httpx.get(f"{served.url}release/{RELEASE}/report/timeline.svg").text
    assert "Hours after the first send" in timeline
    if os.environ.get("PRESSROOM_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['PRESSROOM_SCREENSHOTS']}/report.png", full_page=True)
    release = httpx.get(f"{served.url}release/{RELEASE}").text
    assert f'href="/release/{RELEASE}/report"' in release
    assert violations(page, f"{served.url}release/{RELEASE}") == []  # with its report link


def test_a_release_not_sent_says_so_and_bad_names_are_refused(served: Server, page) -> None:
    url = f"{served.url}release/2026-12-08-transit-letter/report"
    assert violations(page, url) == []
    assert "Not sent for real yet" in httpx.get(url).text
    assert httpx.get(f"{served.url}release/nothing-here/report").status_code == 404
    assert httpx.get(f"{served.url}release/{RELEASE}/report/secrets.svg").status_code == 404
    assert re.search(
        r"404", str(httpx.get(f"{served.url}release/..%2Fpressroom/report").status_code)
    )


def test_the_report_is_titled_with_the_headline_and_its_charts_fill_the_width(
    served: Server, page
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{served.url}release/{RELEASE}/report")
    headline = "Sidewalk Commons Demands City Permanently Cancel StreetSight"
    assert page.title().startswith(f"Report: {headline}")
    assert page.locator("h1").inner_text().startswith(f"Report: {headline}")
    assert RELEASE in page.locator("main").inner_text()  # the file's name is still said
    for i in range(3):
        chart = page.locator("figure.chart").nth(i)
        width = chart.evaluate("f => f.getBoundingClientRect().width")
        shown = chart.locator("img").evaluate("img => img.getBoundingClientRect().width")
        assert width > 900 and shown >= width - 1, (i, width, shown)
    if os.environ.get("PRESSROOM_SCREENSHOTS"):
        page.screenshot(
            path=f"{os.environ['PRESSROOM_SCREENSHOTS']}/report-wide.png", full_page=True
        )

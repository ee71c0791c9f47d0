"""The preview of a release with a translation: a language switch, each language's
email and PDF, and each file's check findings; the page data, then Chromium against
a real ``pressroom serve``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pressroom.serve.pages import Preview
from tests.browser import start_server
from tests.conftest import REPO

NAME = "2026-11-23-streetsight-suspended"


@pytest.fixture
def room(tmp_path: Path) -> Path:
    root = tmp_path / "room"
    root.mkdir()
    shutil.copy(REPO / "pressroom.yaml", root / "pressroom.yaml")
    for folder in ("releases", "assets", "contacts"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_the_release_page_switches_language_and_counts_each_files_findings(room):
    german = room / "releases" / f"{NAME}.de.yaml"
    german.write_text(german.read_text().replace("headline: ", "headline: TK ", 1))
    preview = Preview(room)
    assert NAME + ".de" not in [e.name for e in preview.index().entries]
    page = preview.release(NAME)
    assert [(v.label, v.tag, v.current) for v in page.languages] == [
        ("English", "en-US", True),
        ("Deutsch", "de", False),
    ]
    english, deutsch = page.languages
    assert (english.errors, deutsch.errors) == (0, 1)  # the placeholder, in the German file
    assert deutsch.href == f"/release/{NAME}?lang=de"
    assert page.email is not None and "Demands City" in page.email.subject
    shown = preview.release(NAME, "de-AT")  # any German
    assert shown.language == "de" and [v.current for v in shown.languages] == [False, True]
    assert shown.email is not None and "Gesichtserkennungsvertrag" in shown.email.subject
    assert any(p.problem.file == f"releases/{NAME}.de.yaml" for p in shown.errors)


def test_a_person_switches_language_in_the_preview(room, browser):
    server = start_server(room)
    try:
        tab = browser.new_page()
        tab.goto(f"{server.url}release/{NAME}")
        switch = tab.locator("nav.language-switch")
        assert switch.locator("a[aria-current=page]").inner_text().strip() == "English"
        switch.get_by_text("Deutsch").click()
        tab.wait_for_url(f"**/release/{NAME}?lang=de")
        assert "Gesichtserkennungsvertrag" in tab.locator("#subject").inner_text()
        frame = tab.frame_locator("iframe.mail-frame")
        assert "Seit zwei Jahren erfasst StreetSight" in frame.locator("body").inner_text()
        pdf = tab.locator("iframe.pdf-frame").get_attribute("src") or ""
        assert pdf.endswith("&lang=de")
        answer = tab.request.get(server.url.rstrip("/") + pdf)
        assert answer.ok and answer.body()[:5] == b"%PDF-"
        tab.screenshot(path=str(room / "preview-de.png"), full_page=False)
        tab.close()
    finally:
        server.stop()

"""The email ``pressroom build`` writes (.html) shows the logo as the sent one does
(issue 19, item 13): the sent email carries it inline (cid:), which a file opened in a
browser cannot show, so the built file carries the same picture as a data: address."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from tests.cli_runner import run

RELEASE = "2026-11-23-streetsight-suspended"


def built_email(room: Path, capsys) -> Path:  # type: ignore[no-untyped-def]
    result = run(capsys, room, "build", "streetsight-suspended", "--format", "html")
    assert result.code == 0, result.err
    return room / "build" / RELEASE / f"{RELEASE}.html"


def test_the_built_email_carries_the_logo_sent_inline(room: Path, capsys) -> None:
    html = built_email(room, capsys).read_text(encoding="utf-8")
    [logo] = re.findall(r'<img [^>]*alt="Sidewalk Commons"[^>]*>', html)
    src = re.search(r'src="([^"]+)"', logo)
    assert src is not None and src[1].startswith("data:image/png;base64,")
    data = base64.b64decode(src[1].partition(",")[2])
    assert data == (room / "assets" / "logo.png").read_bytes()
    assert "cid:" not in html


def test_with_a_newsroom_the_built_email_shows_its_hosted_logo(room: Path, capsys) -> None:
    config = room / "pressroom.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("org:\n", "org:\n  newsroom: https://news.sidewalkcommons.example/\n", 1)
    )
    html = built_email(room, capsys).read_text(encoding="utf-8")
    assert 'src="https://news.sidewalkcommons.example/assets/logo.png"' in html


@pytest.mark.needs("chromium")
def test_chromium_shows_the_logo_of_the_built_email(room: Path, capsys, browser) -> None:  # type: ignore[no-untyped-def]
    path = built_email(room, capsys)
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        logo = page.locator('img[alt="Sidewalk Commons"]').first
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
        page.screenshot(path=str(room / "built-email.png"))
    finally:
        page.close()

"""The newsroom's Content-Security-Policy, in Chromium: its own stylesheet and
pictures load, and a script that got into a page anyway does not run."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.site.render import POLICY, with_policy
from tests.cli_runner import run

AFTER_EVERY_EMBARGO = "2026-12-20T12:00:00+00:00"
INJECTED = "<script>document.title = 'pwned'; window.pwned = true;</script>"


def test_every_page_carries_the_policy_first_in_its_head() -> None:
    html = with_policy('<!DOCTYPE html><html><head>\n<meta charset="utf-8"><title>x</title>')
    assert html.index('<meta charset="utf-8">') < html.index("Content-Security-Policy")
    assert html.index("Content-Security-Policy") < html.index("<title>")
    assert "script-src 'none'" in POLICY and "unsafe-inline" not in POLICY


@pytest.fixture
def site(room: Path, capsys, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PRESSROOM_NOW", AFTER_EVERY_EMBARGO)
    built = run(capsys, room, "site", "--use-pressroom-now")
    assert built.code == 0, built.err
    return room / "site"


def test_the_policy_is_in_every_page_of_the_example_site(site: Path) -> None:
    pages = sorted(site.glob("**/index.html"))
    assert len(pages) >= 6
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">' in head
    feeds = [p for p in site.iterdir() if p.suffix in (".xml", ".json") and p.name[0] != "."]
    assert len(feeds) >= 3
    for feed in feeds:  # the feeds carry the release text, not a page's policy
        assert "http-equiv" not in feed.read_text(encoding="utf-8"), feed


@pytest.mark.needs("chromium")
def test_chromium_loads_the_site_under_its_policy_and_blocks_an_injected_script(
    site: Path, browser
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()  # the policy enforced (no bypass_csp)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    try:
        release = next(p for p in sorted(site.glob("*/index.html")) if "<img" in p.read_text())
        for path in (site / "index.html", release):
            page.goto(path.as_uri())
            assert violations == [], f"{path}: {violations}"
            # the stylesheet applied: the masthead is not the browser's default
            assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).display"), (
                path
            )
            loaded = page.evaluate(
                "[...document.images].every(img => img.complete && img.naturalWidth > 0)"
            )
            assert loaded, f"{path}: a picture did not load under the policy"
            sheets = page.evaluate("document.styleSheets.length")
            assert sheets >= 1, f"{path}: the stylesheet did not load under the policy"

        html = release.read_text(encoding="utf-8")
        attacked = release.with_name("attacked.html")
        attacked.write_text(html.replace("</h1>", "</h1>" + INJECTED, 1), encoding="utf-8")
        page.goto(attacked.as_uri())
        assert page.evaluate("window.pwned === undefined")
        assert page.title() != "pwned"
        assert any("script" in text for text in violations), violations
    finally:
        context.close()


def test_the_documented_header_is_the_policy_of_the_pages() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "site.md").read_text()
    assert f"Content-Security-Policy: {POLICY}; frame-ancestors 'none'" in text

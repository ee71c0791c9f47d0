"""Review and approve in the preview: the word difference, proven identity, the write guard.

The HTTP tests drive the app in-process on both log backends; the browser test
runs a real ``pressroom serve`` and Debian's Chromium: an approver signs in
with their code, sees what changed since the last approval and approves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pressroom.sendlog.identity import SECRET_ENV
from pressroom.serve.review import Piece, word_diff
from tests.browser import CHROMIUM, start_server
from tests.cli_runner import run

AUDIT = "2037-12-01-unseen-terms-audit"
OLD_WORD, NEW_WORD = "audit", "inquiry"


def test_the_difference_is_word_by_word():
    pieces = word_diff("The city  paused the pilot.\nNext", "The city ended the pilot.\nNext")
    assert [p for p in pieces if p.kind != "same"] == [
        Piece("del", "paused "),
        Piece("ins", "ended "),
    ]
    assert "".join(p.text for p in pieces if p.kind != "del") == "The city ended the pilot.\nNext"
    assert word_diff("same words", "same words") == [Piece("same", "same words")]


def test_a_long_text_with_few_changes_is_compared_fast():
    """40,000 signatory lines: lines are matched first, words only where lines changed."""
    import time

    lines = [f"Signer {n}, Member {n * 7919 % 100003}, Org {n % 300}\n" for n in range(40000)]
    changed = [*lines[:100], "A new signer\n", *lines[100:20000], "Renamed\n", *lines[20001:]]
    started = time.perf_counter()
    pieces = word_diff("".join(lines), "".join(changed))
    assert time.perf_counter() - started < 5
    assert [p for p in pieces if p.kind != "same"] == [
        Piece("ins", "A new signer\n"),
        Piece("del", "Signer 20000, Member " + str(20000 * 7919 % 100003) + ", Org 200\n"),
        Piece("ins", "Renamed\n"),
    ]


def invite(capsys, room: Path, name: str) -> str:
    result = run(capsys, room, "approvers", "invite", name)
    assert result.code == 0, result.err
    [code] = re.findall(r"^  (\S+\.\S+)$", result.out, re.M)
    return code


def prepared(room: Path, capsys, monkeypatch) -> str:
    """Theo approved; then the release and its photo changed. Marisol's code."""
    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + "\napproval: {required: 2, identity: required}\n")
    theo = invite(capsys, room, "theo-brandt")
    monkeypatch.setenv(SECRET_ENV, theo)
    assert run(capsys, room, "approve", AUDIT, "--as", "theo-brandt").code == 0
    monkeypatch.delenv(SECRET_ENV)
    source = room / "releases" / f"{AUDIT}.yaml"
    text = source.read_text()
    assert f" {OLD_WORD} " in text
    source.write_text(text.replace(f" {OLD_WORD} ", f" {NEW_WORD} ", 1))
    photo = room / "assets" / "camera-mast-dusk.jpg"
    photo.write_bytes(photo.read_bytes()[:-50] + bytes(50))
    return invite(capsys, room, "marisol-ortega")


def test_approving_over_http_needs_the_code_the_origin_and_the_version_seen(
    room, backend, capsys, monkeypatch
):
    from starlette.testclient import TestClient

    from pressroom.serve.app import create_app

    code = prepared(room, capsys, monkeypatch)
    with TestClient(create_app(room, workers=0, watch=False), base_url="http://127.0.0.1") as web:
        page = web.get(f"/release/{AUDIT}/review")
        assert page.status_code == 200
        [token] = re.findall(r'<meta name="pressroom-token" content="([^"]+)">', page.text)
        own = {"Origin": "http://127.0.0.1", "X-Pressroom-Token": token}
        assert "Your approver code" in page.text and 'id="approve"' not in page.text
        assert "What changed since Theo Brandt approved" in page.text
        assert re.search(rf"<del[^>]*>.*?{OLD_WORD}", page.text, re.S)
        assert re.search(rf"<ins[^>]*>.*?{NEW_WORD}", page.text, re.S)
        assert "assets/camera-mast-dusk.jpg (changed)" in page.text

        assert web.post("/approver", json={"code": code}).status_code == 403  # no Origin
        untokened = {"Origin": "http://127.0.0.1"}  # the write guard's token is missing
        assert web.post("/approver", json={"code": code}, headers=untokened).status_code == 403
        evil = {**own, "Origin": "https://evil.example"}
        assert web.post("/approver", json={"code": code}, headers=evil).status_code == 403
        wrong = web.post("/approver", json={"code": code[:-3] + "xyz"}, headers=own)
        assert wrong.status_code == 403 and "pressroom_approver" not in wrong.cookies
        seen = re.search(r'data-seen="(\w+)"', page.text)
        assert seen is None  # no button before signing in
        unsigned = web.post(f"/release/{AUDIT}/approve", json={"seen": "x"}, headers=own)
        assert unsigned.status_code == 403

        signed = web.post("/approver", json={"code": code}, headers=own)
        assert signed.status_code == 200
        cookie = signed.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        page = web.get(f"/release/{AUDIT}/review")
        assert "Signed in as <strong>Marisol Ortega</strong>" in page.text
        [seen_now] = re.findall(r'data-seen="(\w+)"', page.text)
        crossed = web.post(f"/release/{AUDIT}/approve", json={"seen": seen_now}, headers=evil)
        assert crossed.status_code == 403
        stale = web.post(f"/release/{AUDIT}/approve", json={"seen": "0" * 16}, headers=own)
        assert stale.status_code == 409 and "changed since this page was shown" in stale.text
        ok = web.post(f"/release/{AUDIT}/approve", json={"seen": seen_now}, headers=own)
        assert ok.status_code == 200, ok.text
        assert "Approved by Marisol Ortega; 1 more needed." in ok.json()["message"]
    listing = run(capsys, room, "approvals", AUDIT)
    assert "Marisol Ortega" in listing.out and "this version" in listing.out
    invite(capsys, room, "marisol-ortega")  # a new code ends the old session
    with TestClient(create_app(room, workers=0, watch=False), base_url="http://127.0.0.1") as web:
        web.cookies.set("pressroom_approver", cookie.split(";")[0].split("=", 1)[1])
        assert "Your approver code" in web.get(f"/release/{AUDIT}/review").text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_an_approver_sees_the_difference_and_approves_in_the_browser(
    room, browser, capsys, monkeypatch, tmp_path
):
    from axe_playwright_python.sync_playwright import Axe

    from tests.test_accessibility import RULES

    code = prepared(room, capsys, monkeypatch)
    server = start_server(room)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{server.url}release/{AUDIT}")
        page.get_by_role("link", name="Review the changes and approve").click()
        page.wait_for_url(f"**/release/{AUDIT}/review")
        removed = page.locator("del.diff-del", has_text=OLD_WORD)
        added = page.locator("ins.diff-ins", has_text=NEW_WORD)
        assert removed.count() == 1 and added.count() == 1
        assert "removed:" in (removed.text_content() or "")
        assert "added:" in (added.text_content() or "")
        assert "line-through" in removed.evaluate("e => getComputedStyle(e).textDecorationLine")
        assert "underline" in added.evaluate("e => getComputedStyle(e).textDecorationLine")
        page.screenshot(path=str(tmp_path / "review-signed-out.png"), full_page=True)

        page.get_by_label("Your approver code").fill("marisol-ortega.wrong")
        page.get_by_role("button", name="Sign in to approve").click()
        page.get_by_text("That is not an approver code of this room.").wait_for()
        page.get_by_label("Your approver code").fill(code)
        page.keyboard.press("Enter")
        page.get_by_text("Signed in as").wait_for()
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["pressroom_approver"]["httpOnly"]
        assert cookies["pressroom_approver"]["sameSite"] == "Strict"
        page.screenshot(path=str(tmp_path / "review-signed-in.png"), full_page=True)

        # axe is injected into the page: contexts without the CSP, signed in and out
        axe_context = browser.new_context(bypass_csp=True)
        axe_context.add_cookies([cookies["pressroom_approver"]])
        axe = axe_context.new_page()
        axe.goto(f"{server.url}release/{AUDIT}/review")
        found = Axe().run(axe, options=RULES).response["violations"]
        assert [f"signed in: {v['id']}: {v['help']}" for v in found] == []
        signed_out = browser.new_context(bypass_csp=True).new_page()
        signed_out.goto(f"{server.url}release/{AUDIT}/review")
        found = Axe().run(signed_out, options=RULES).response["violations"]
        assert [f"signed out: {v['id']}: {v['help']}" for v in found] == []

        page.get_by_role("button", name="Approve this version").click()
        page.get_by_text("You have approved this version.").wait_for()
        page.screenshot(path=str(tmp_path / "review-approved.png"), full_page=True)
        context.close()
        axe_context.close()
    finally:
        server.stop()
    listing = run(capsys, room, "approvals", AUDIT, "--json")
    import json

    approvals = json.loads(listing.out)["approvals"]
    assert [(a["approver"], a["current"]) for a in approvals] == [
        ("Theo Brandt", False),
        ("Marisol Ortega", True),
    ]


def test_a_change_of_files_alone_is_said_as_such(room, capsys, monkeypatch):
    from starlette.testclient import TestClient

    from pressroom.serve.app import create_app

    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + "\napproval: {required: 1}\n")
    assert run(capsys, room, "approve", AUDIT, "--as", "marisol-ortega").code == 0
    footer = room / "templates" / "email-footer.html.j2"
    footer.write_text(footer.read_text() + "\n")
    with TestClient(create_app(room, workers=0, watch=False), base_url="http://127.0.0.1") as web:
        page = web.get(f"/release/{AUDIT}/review").text
    assert "The text is as it was when Marisol Ortega approved" in page
    assert "templates/email-footer.html.j2 (changed)" in page
    assert "<ins" not in page.split("review-body")[1] and "<del" not in page.split("review-body")[1]

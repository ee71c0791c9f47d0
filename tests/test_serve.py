"""pressroom serve: a real server in a subprocess, driven by Debian's Chromium.

One server and one browser for the module (on a copy of the example room);
each test that edits a file puts it back. Set PRESSROOM_SCREENSHOTS=DIR to
keep screenshots of the pages (desktop and phone widths) for a look.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from tests.browser import Server, environment, replace_in, start_server
from tests.conftest import REPO

pytestmark = pytest.mark.needs("chromium")

AUDIT = "2037-12-01-unseen-terms-audit"
BREAKING = "2026-11-23-streetsight-suspended"
DRAFT = "2026-12-10-committee-advances-oversight-ordinance"
WAIT = 20_000  # ms: generous, the test machines are shared


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("serve") / "room"
    root.mkdir()
    shutil.copy(REPO / "pressroom.yaml", root)
    for folder in ("releases", "contacts", "assets"):
        shutil.copytree(REPO / folder, root / folder)
    server = start_server(root)
    yield server
    server.stop()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def open_live(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """Open *url* and wait until its event stream is connected."""
    page.goto(url)
    page.wait_for_selector("#live[data-state=live]")
    page.evaluate("window.__sameDocument = 'still here'")


def assert_not_reloaded(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("window.__sameDocument") == "still here", "the page was reloaded"


def pdf_text(data: bytes) -> str:
    return " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages)


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("PRESSROOM_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(Path(folder) / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_index_lists_the_releases_newest_first_with_their_badges(served: Server, page) -> None:
    open_live(page, served.url)
    names = page.locator(".release-row").evaluate_all("rows => rows.map(r => r.dataset.release)")
    originals = [p for p in (served.root / "releases").glob("*.yaml") if "." not in p.stem]
    assert names == sorted((p.stem for p in originals), reverse=True)  # translations on theirs
    row = page.locator(f'.release-row[data-release="{BREAKING}"]')
    assert row.locator(".badge-breaking").inner_text() == "BREAKING"
    assert "Sidewalk Commons Demands City Permanently Cancel" in row.inner_text()
    embargoed = page.locator(f'.release-row[data-release="{AUDIT}"]')
    assert embargoed.locator(".badge-embargo").is_visible()
    assert re.fullmatch(r"lifts in \d+ d \d+ h", embargoed.locator(".countdown").inner_text())
    draft = page.locator(f'.release-row[data-release="{DRAFT}"]')
    assert draft.locator(".badge-draft").inner_text() == "Draft"
    assert "2 warnings" in draft.inner_text()
    assert "Checks pass" in row.inner_text()
    shoot(page, "index")


def test_release_page_shows_the_email_text_pdf_check_and_recipients(served: Server, page) -> None:
    open_live(page, f"{served.url}release/{AUDIT}")
    headline = "Audit: Nearly Half of Baltimore\u2019s Public Cameras"
    assert page.locator("h1.headline").inner_text().startswith(headline)
    assert (
        page.locator("#subject")
        .inner_text()
        .startswith("EMBARGOED UNTIL 9:00 AM EST, Tuesday, December 1, 2037: Audit")
    )
    frame = page.frame_locator("iframe.mail-frame")
    assert headline in frame.locator("body").inner_text()
    sandbox = page.locator("iframe.mail-frame").get_attribute("sandbox") or ""
    assert "allow-scripts" not in sandbox

    page.get_by_role("tab", name="Plain text").click()
    text = page.locator(".textmail-body")
    assert text.is_visible() and "Nearly Half of Baltimore" in text.inner_text()
    assert not page.locator("iframe.mail-frame").is_visible()

    recipients = page.locator("#recipients").inner_text()
    assert re.search(r"national-press\s+contacts/national-press.csv\s+8", recipients)
    assert re.search(r"local-press\s+contacts/local-press.yaml\s+4", recipients)
    assert re.search(r"Unique addresses\s+11", recipients)
    assert "@" not in recipients  # counts, never addresses
    assert "Checks pass" in page.locator("#check").inner_text()

    page.get_by_role("tab", name="PDF").click()
    src = page.locator("iframe.pdf-frame").get_attribute("src") or ""
    assert re.fullmatch(rf"/release/{AUDIT}\.pdf\?v=[0-9a-f]{{16}}", src)
    response = httpx.get(served.url.rstrip("/") + src, timeout=60)
    assert response.headers["content-type"] == "application/pdf"
    assert "Nearly Half of Baltimore" in pdf_text(response.content)
    shoot(page, "release-pdf")

    page.get_by_role("tab", name="Word").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the Word document").click()
    assert download.value.suggested_filename == f"{AUDIT}.docx"
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    page.get_by_role("tab", name="Email").click()
    shoot(page, "release")


def test_check_results_show_with_their_lines(served: Server, page) -> None:
    open_live(page, f"{served.url}release/{DRAFT}")
    check = page.locator("#check")
    assert "2 warnings" in check.locator(".card-title").inner_text()
    draft = check.locator(".problem", has_text="draft")
    assert draft.locator(".where").inner_text() == "line 4, column 1"
    assert draft.locator(".where").get_attribute("title") == f"releases/{DRAFT}.yaml:4:1"
    assert "will not be sent" in draft.inner_text()


def test_editing_the_headline_updates_the_open_page_without_a_reload(served: Server, page) -> None:
    open_live(page, f"{served.url}release/{BREAKING}#pdf")
    old_src = page.locator("iframe.pdf-frame").get_attribute("src")
    release = served.root / "releases" / f"{BREAKING}.yaml"
    original = replace_in(
        release,
        "headline: Sidewalk Commons Demands City Permanently Cancel",
        "headline: Residents Win Fight to Cancel",
    )
    try:
        page.wait_for_function(
            "() => document.querySelector('h1.headline').textContent.includes('Residents Win Fight')"
        )
        assert_not_reloaded(page)
        assert page.locator(".tab[aria-selected=true]").inner_text() == "PDF"  # tab kept
        assert "BREAKING: Residents Win Fight" in page.locator("#subject").inner_text()
        frame = page.frame_locator("iframe.mail-frame").locator("body")
        assert "Residents Win Fight to Cancel" in frame.inner_text()
        new_src = page.locator("iframe.pdf-frame").get_attribute("src") or ""
        assert new_src != old_src
        pdf = httpx.get(served.url.rstrip("/") + new_src, timeout=60).content
        assert "Residents Win Fight to Cancel" in pdf_text(pdf)
    finally:
        release.write_text(original, encoding="utf-8")
    page.wait_for_function(
        "() => document.querySelector('h1.headline').textContent.includes('Demands City')"
    )


def test_a_broken_release_shows_its_error_and_recovers(served: Server, page) -> None:
    open_live(page, f"{served.url}release/{BREAKING}")
    release = served.root / "releases" / f"{BREAKING}.yaml"
    original = replace_in(release, "status: breaking", "status: breaking\n  oops: [")
    try:
        broken = page.locator("#broken")
        broken.wait_for()
        assert_not_reloaded(page)
        assert "This release cannot be read" in broken.inner_text()
        where = broken.locator(".where").first.inner_text()
        assert re.fullmatch(rf"releases/{BREAKING}\.yaml:\d+:\d+", where)
        assert broken.locator(".excerpt .marked").count() == 1
        assert page.locator(".badge-broken").inner_text() == "Cannot be read"
        shoot(page, "release-broken")
    finally:
        release.write_text(original, encoding="utf-8")
    page.locator("iframe.mail-frame").wait_for()
    assert_not_reloaded(page)
    assert page.locator("#broken").count() == 0


def test_pressroom_yaml_lists_and_templates_update_the_page(served: Server, page) -> None:
    open_live(page, f"{served.url}release/{BREAKING}#text")
    page.evaluate("window.scrollTo(0, 700)")
    room_file = served.root / "pressroom.yaml"
    original = replace_in(room_file, "name: Sidewalk Commons Press Office", "name: The Press Desk")
    try:
        page.wait_for_function(
            "() => document.querySelector('.mail-head').textContent.includes('The Press Desk')"
        )
        assert page.evaluate("window.scrollY") == 700  # the reader stays where they were
    finally:
        room_file.write_text(original, encoding="utf-8")

    national = served.root / "contacts" / "national-press.csv"
    rows = national.read_text(encoding="utf-8")
    national.write_text(rows + "new.desk@wire.example,,,,,,,\n", encoding="utf-8")
    try:
        page.wait_for_function(
            "() => /Unique addresses\\s+9/.test(document.querySelector('#recipients').innerText)"
        )
    finally:
        national.write_text(rows, encoding="utf-8")

    override = served.root / "templates" / "email.txt.j2"
    override.parent.mkdir(exist_ok=True)
    bundled = (REPO / "pressroom" / "templates" / "email.txt.j2").read_text(encoding="utf-8")
    override.write_text("FROM OUR OWN TEMPLATE\n" + bundled, encoding="utf-8")
    try:
        page.wait_for_function(
            "() => document.querySelector('.textmail-body').textContent.includes('FROM OUR OWN')"
        )
        assert page.locator(".textmail-body").is_visible()  # still on the text tab
    finally:
        shutil.rmtree(override.parent)
    page.wait_for_function(
        "() => !document.querySelector('.textmail-body').textContent.includes('FROM OUR OWN')"
    )
    assert_not_reloaded(page)


def test_a_broken_pressroom_yaml_shows_its_problem(served: Server, page) -> None:
    open_live(page, served.url)
    room_file = served.root / "pressroom.yaml"
    original = replace_in(room_file, "timezone: America/New_York", "timezone: America/Baltimor")
    try:
        page.locator("#broken").wait_for()
        text = page.locator("#broken").inner_text()
        assert "The press room cannot be read" in text
        assert re.search(r"pressroom\.yaml:\d+:\d+", text)
        assert "unknown time zone 'America/Baltimor'" in text
        response = httpx.get(f"{served.url}release/{AUDIT}", timeout=30)
        assert response.status_code == 200 and "cannot be read" in response.text
    finally:
        room_file.write_text(original, encoding="utf-8")
    page.locator(".release-row").first.wait_for()
    assert_not_reloaded(page)


def test_the_send_log_shows_after_an_outbox_send(served: Server, page) -> None:
    open_live(page, served.url)
    row = page.locator(f'.release-row[data-release="{BREAKING}"]')
    assert row.locator(".sent").count() == 0
    done = subprocess.run(
        [sys.executable, "-m", "pressroom", "--root", str(served.root), "send", BREAKING, "--yes"],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # the page may first show the send as it was planned (0 in the outbox), then its end
    chip = row.locator(".sent-outbox", has_text="In the outbox for 8 recipients")
    chip.wait_for(timeout=15_000)
    assert chip.inner_text() == "In the outbox for 8 recipients"
    assert_not_reloaded(page)
    # reading the send log must not look like a change to it (or pages refresh forever)
    updates = page.evaluate("document.documentElement.dataset.updates")
    page.wait_for_timeout(1500)
    assert page.evaluate("document.documentElement.dataset.updates") == updates
    page.goto(f"{served.url}release/{BREAKING}")
    assert "In the outbox for 8 recipients" in page.locator("#sent").inner_text()


def test_unknown_release_is_a_page_not_an_error(served: Server) -> None:
    foreign = httpx.get(served.url, headers={"Host": "attacker.example"}, timeout=30)
    assert foreign.status_code == 400  # DNS rebinding cannot read embargoed releases
    response = httpx.get(f"{served.url}release/no-such-thing", timeout=30)
    assert response.status_code == 404
    assert "No release &#39;no-such-thing&#39;" in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]


def test_the_preview_cannot_send(tmp_path: Path) -> None:
    """No route but the editor's API (which saves files) and approving (which writes an
    approval to the send log) takes anything but GET, and the app never imports a
    transport."""
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from pressroom.serve.app import create_app
        from pressroom.serve.pages import Preview
        app = create_app(Path({str(REPO)!r}), workers=0, watch=False)
        approving = {{"/release/{{name}}/approve", "/approver"}}
        methods = {{m for route in app.routes for m in route.methods
                   if not route.path.startswith("/api/") and route.path not in approving}}
        assert methods <= {{"GET", "HEAD"}}, methods
        preview = Preview(Path({str(REPO)!r}))
        preview.index()
        preview.release({BREAKING!r})
        loaded = sorted(m for m in sys.modules
                        if m.startswith(("pressroom.deliver.", "sendgrid", "smtplib")))
        print(loaded)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment()
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['pressroom.deliver.recipients']"


def test_a_port_in_use_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "pressroom", "--root", str(REPO), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env=environment(),
            timeout=60,
        )
    assert done.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr
    assert "Traceback" not in done.stderr


def test_ctrl_c_stops_the_server_and_its_event_streams(served: Server) -> None:
    """Last: stops the module's server, with an event stream open."""
    with httpx.stream("GET", served.url + "events", timeout=30) as events:
        assert next(events.iter_lines()).startswith("retry:")
        assert served.stop(signal.SIGINT, timeout=15) == 0
    out, err = served.output()
    assert "Stopped." in out
    assert "Traceback" not in err and "leaked" not in err

"""The editor in a real browser: Debian's Chromium driven by Playwright, against a real
``pressroom serve``. A release typed from nothing reads back word for word; comments
survive a save; a conflicting save and a cross-origin write are refused; the pages
pass axe-core, work from the keyboard alone and at phone width.

Set PRESSROOM_SCREENSHOTS=DIR to keep screenshots of the editor for a look.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as Docx
from playwright.sync_api import expect
from pypdf import PdfReader

from pressroom.load import yamlfile
from tests.browser import Server, start_server
from tests.cli_runner import run
from tests.conftest import REPO
from tests.test_accessibility import RULES

pytestmark = pytest.mark.needs("chromium")

LETTER = "2026-11-17-open-letter-streetsight"
WAIT = 20_000


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("editor") / "room"
    root.mkdir()
    shutil.copy(REPO / "pressroom.yaml", root)
    for folder in ("releases", "contacts", "assets", "templates"):
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
    assert errors == []


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("PRESSROOM_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def open_editor(page, served: Server, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{served.url}release/{name}/edit")
    page.wait_for_selector("#form .section")
    expect(page.locator("#save-state")).to_have_text("Saved")


def saved(page) -> None:  # type: ignore[no-untyped-def]
    expect(page.locator("#save-state")).to_have_text(re.compile("^Saved at"))


HEADLINE = "Riverside Tenants Win: Council Freezes Rents #KeysForAll"
SUBHEADLINE = "Vote 7–2 After a Year of Hearings; “Yes” Means No Increase Until 2028"
PARAGRAPHS = [
    "The city council voted on Tuesday to freeze rents in the Riverside district: "
    "no increase until 2028, a first for the region.",
    "- Rents frozen\n- Evictions paused\n- A public registry of landlords",
]
HEADING = "What Comes Next"
QUOTE = "We knocked on four thousand doors. Tonight: every one of them counted."


def test_a_release_typed_from_nothing_saves_reloads_and_builds_word_for_word(
    served: Server, page, capsys
) -> None:
    page.goto(served.url)
    page.get_by_role("link", name="New release").click()
    page.get_by_label("Type").select_option("press-release")
    page.get_by_label("Headline").fill("Tenants Win")
    page.get_by_label("Date").fill("2030-03-04")
    page.get_by_role("button", name="Create and edit").click()
    page.wait_for_url(re.compile(r"/release/2030-03-04-tenants-win/edit$"))
    page.wait_for_selector("#form .section")
    name = "2030-03-04-tenants-win"

    page.get_by_label("Headline", exact=True).fill(HEADLINE)
    page.get_by_label("Subheadline").fill(SUBHEADLINE)
    page.get_by_label("Dateline").fill("RIVERSIDE, Calif.")
    page.get_by_label("Draft").uncheck()
    paragraphs = page.locator(".block-paragraph textarea")
    paragraphs.nth(0).fill(PARAGRAPHS[0])
    page.get_by_role("button", name="Add a paragraph").click()
    page.locator(".block-paragraph textarea").last.fill(PARAGRAPHS[1])
    page.get_by_role("button", name="Add a heading").click()
    page.locator(".block-heading input").last.fill(HEADING)
    page.get_by_role("button", name="Add a quote").click()
    quote = page.locator(".block-quote").last
    quote.get_by_label("Who says it").select_option("marisol-ortega")
    quote.locator("textarea").fill(QUOTE)
    shot(page, "editor-new")
    page.keyboard.press("Control+s")
    saved(page)

    page.reload()
    page.wait_for_selector("#form .section")
    assert page.get_by_label("Headline", exact=True).input_value() == HEADLINE
    assert page.get_by_label("Subheadline").input_value() == SUBHEADLINE

    path = served.root / "releases" / f"{name}.yaml"
    data = yamlfile.load(path, path.name).data
    assert data["headline"] == HEADLINE
    assert data["subheadline"] == SUBHEADLINE
    texts = [b for b in data["body"] if isinstance(b, str)]
    assert texts[-2:] == PARAGRAPHS
    assert {"heading": HEADING} in data["body"]
    assert {"quote": "marisol-ortega", "text": QUOTE} in data["body"]
    assert path.read_text().startswith("# A new press release")  # the template's comments

    built = run(capsys, served.root, "build", name, "--out", "out")
    assert built.code == 0, built.err + built.out
    out = served.root / "out" / name
    pdf = " ".join(p.extract_text() for p in PdfReader(out / f"{name}.pdf").pages)
    docx = " ".join(p.text for p in Docx(str(out / f"{name}.docx")).paragraphs)
    email = (out / f"{name}.txt").read_text()
    words = re.findall(r"[\w’']+", " ".join([HEADLINE, SUBHEADLINE, *PARAGRAPHS, HEADING, QUOTE]))
    for rendered, label in ((pdf, "pdf"), (docx, "docx"), (email, "txt")):
        flat = " ".join(rendered.split()).lower()
        missing = [word for word in words if word.lower() not in flat]
        assert missing == [], (label, missing)


def test_a_file_with_comments_keeps_them(served: Server, page) -> None:
    path = served.root / "releases" / f"{LETTER}.yaml"
    before = path.read_text()
    open_editor(page, served, LETTER)
    page.get_by_label("Subheadline").fill("A New Subheadline: Written in the Editor")
    page.get_by_role("button", name=re.compile("^Save")).click()
    saved(page)
    after = path.read_text()
    comments = [line for line in before.splitlines() if line.lstrip().startswith("# ")]
    assert comments and all(line in after.splitlines() for line in comments)
    changed = [a for a, b in zip(before.splitlines(), after.splitlines(), strict=False) if a != b]
    assert len(changed) == 1 and changed[0].startswith("subheadline:")
    assert 'subheadline: "A New Subheadline: Written in the Editor"' in after
    path.write_text(before)


def test_a_conflicting_save_is_refused_with_its_difference(served: Server, page) -> None:
    path = served.root / "releases" / f"{LETTER}.yaml"
    before = path.read_text()
    open_editor(page, served, LETTER)
    page.get_by_label("Subheadline").fill("Mine")
    path.write_text(before.replace("closing: Sincerely,", "closing: With thanks,"))
    on_disk = path.read_bytes()
    expect(page.locator("#disk-changed")).to_be_visible()  # told as soon as it is seen
    page.keyboard.press("Control+s")
    conflict = page.locator("#conflict")
    conflict.wait_for(state="visible")
    difference = page.locator("#conflict-diff").text_content() or ""
    assert "-closing: With thanks," in difference and "+subheadline: Mine" in difference
    assert path.read_bytes() == on_disk
    shot(page, "editor-conflict")
    page.get_by_role("button", name="Discard mine and load the file").click()
    expect(page.locator("#save-state")).to_have_text("Saved")
    assert page.get_by_label("Closing").input_value() == "With thanks,"
    path.write_text(before)


def test_a_cross_origin_write_is_refused(served: Server, page) -> None:
    path = served.root / "releases" / f"{LETTER}.yaml"
    before = path.read_bytes()
    token = (served.root / ".pressroom" / "serve.token").read_text().strip()
    evil = "http://evil.example/"
    page.route(
        evil,
        lambda route: route.fulfill(body="<html><body>hi</body></html>", content_type="text/html"),
    )
    page.goto(evil)
    outcome = page.evaluate(
        """async ([url, token, name]) => {
            const results = [];
            const tries = [
              [url + "api/releases/" + name, {method: "PUT", headers: {"Content-Type": "application/json",
                "X-Pressroom-Token": token}, body: JSON.stringify({version: null, release: {headline: "x"}})}],
              [url + "api/releases", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"},
                body: JSON.stringify({type: "statement", headline: "Made Elsewhere"})}],
            ];
            for (const [target, init] of tries) {
              try { const r = await fetch(target, init); results.push(r.type + ":" + r.status); }
              catch (e) { results.push("blocked"); }
            }
            return results;
        }""",
        [served.url, token, LETTER],
    )
    assert outcome[0] == "blocked"  # the browser asks first (CORS), and is told nothing
    assert path.read_bytes() == before
    assert not list((served.root / "releases").glob("*made-elsewhere*"))


def test_the_editor_works_from_the_keyboard_at_phone_width_and_follows_typing(
    served: Server, browser
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    try:
        open_editor(page, served, LETTER)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        page.get_by_label("Headline", exact=True).focus()
        for _ in range(60):  # reach the headline from the type field with Tab alone
            if page.evaluate("document.activeElement.id") == page.get_by_label(
                "Headline", exact=True
            ).get_attribute("id"):
                break
            page.keyboard.press("Tab")
        page.keyboard.press("Control+a")
        page.keyboard.type("Typed With the Keyboard Alone")
        # the preview follows the typing (how fast is measured in docs/editing.md, not here:
        # a busy machine must not fail the suite)
        expect(page.locator("#preview-subject")).to_contain_text("Keyboard Alone", timeout=15000)
        shot(page, "editor-phone")
        page.keyboard.press("Control+s")
        saved(page)
        path = served.root / "releases" / f"{LETTER}.yaml"
        assert yamlfile.load(path, path.name).data["headline"] == "Typed With the Keyboard Alone"
    finally:
        context.close()
    shutil.copy(REPO / "releases" / f"{LETTER}.yaml", served.root / "releases")


def test_findings_appear_next_to_their_field(served: Server, page) -> None:
    open_editor(page, served, LETTER)
    page.get_by_label("Status").select_option("embargoed")
    finding = page.locator('[data-key="status"] .finding').first
    finding.wait_for()
    assert "embargo_missing" in (finding.text_content() or "")
    page.get_by_label("Embargo date").fill("2030-01-02")
    page.get_by_label("Embargo time", exact=True).fill("09:30")
    expect(page.locator('[data-key="status"] .finding')).to_have_count(0)
    shot(page, "editor-finding")


def test_the_editor_pages_pass_axe(served: Server, browser) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    problems = []
    for url in (f"{served.url}release/{LETTER}/edit", f"{served.url}new", "findings"):
        if url == "findings":  # the editor again, with findings beside their fields
            page.get_by_label("Status").select_option("embargoed")
            page.locator('[data-key="status"] .finding').first.wait_for()
        else:
            page.goto(url)
        if url.endswith("/edit"):
            page.wait_for_selector("#form .section")
            expect(page.locator("#preview-subject")).not_to_be_empty()
        found = Axe().run(page, options=RULES).response["violations"]
        problems += [f"{url}: {v['id']}: {n['html'][:120]}" for v in found for n in v["nodes"]]
        if url.endswith("/new"):
            page.goto(f"{served.url}release/{LETTER}/edit")
            page.wait_for_selector("#form .section")
    context.close()
    assert problems == []


def test_the_pdf_beside_the_form_is_the_unsaved_release(served: Server, page) -> None:
    import io

    import httpx

    path = served.root / "releases" / f"{LETTER}.yaml"
    on_disk = path.read_bytes()
    open_editor(page, served, LETTER)
    page.get_by_label("Subheadline").fill("An Unsaved Subheadline for the PDF")
    page.get_by_role("tab", name="PDF").click()
    link = page.locator("#preview-pdf-link")
    expect(link).to_have_attribute("href", re.compile(r"\.pdf\?v="))
    pdf = httpx.get(served.url.rstrip("/") + (link.get_attribute("href") or ""), timeout=90)
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "An Unsaved Subheadline for the PDF" in " ".join(text.split())
    assert path.read_bytes() == on_disk  # previewing writes nothing


def test_a_file_saved_elsewhere_shows_up_when_nothing_is_typed(served: Server, page) -> None:
    path = served.root / "releases" / f"{LETTER}.yaml"
    before = path.read_text()
    open_editor(page, served, LETTER)
    path.write_text(before.replace("closing: Sincerely,", "closing: Yours,"))
    expect(page.get_by_label("Closing")).to_have_value("Yours,")
    path.write_text(before)


def test_a_quote_by_someone_new_adds_them_to_pressroom_yaml(served: Server, page) -> None:
    room_file = served.root / "pressroom.yaml"
    before = room_file.read_text()
    open_editor(page, served, "2026-11-23-streetsight-suspended")
    quote = page.locator(".block-quote").first
    quote.get_by_label("Who says it").select_option("__someone")
    quote = page.locator(".block-quote").first
    quote.get_by_label("Name").fill("Ana Quiroga")
    quote.get_by_label("Title").fill("Tenant Organizer")
    quote.get_by_role("button", name="Add this person to pressroom.yaml").click()
    expect(page.locator(".block-quote").first.get_by_label("Who says it")).to_have_value(
        "ana-quiroga"
    )
    people = yamlfile.load(room_file, "pressroom.yaml").data["people"]
    assert people["ana-quiroga"] == {"name": "Ana Quiroga", "title": "Tenant Organizer"}
    room_file.write_text(before)


def test_an_advisory_with_short_forms_keeps_them_untouched(served: Server, page) -> None:
    name = "2030-06-01-short-advisory"
    path = served.root / "releases" / f"{name}.yaml"
    path.write_text(
        "type: media-advisory\nheadline: Rally at City Hall\nevent:\n"
        "  what: A rally  # short forms below\n  when: 2030-06-01 10:00\n  where: City Hall steps\n"
        "body:\n  - Join us.\n"
    )
    open_editor(page, served, name)
    page.get_by_label("What", exact=True).fill("A rally for the ordinance")
    page.get_by_label("Address").fill("1 Civic Plaza")
    page.keyboard.press("Control+s")
    saved(page)
    text = path.read_text()
    assert "  when: 2030-06-01 10:00\n" in text  # untouched: still the short form
    event = yamlfile.load(path, path.name).data["event"]
    assert event["where"] == {"venue": "City Hall steps", "address": "1 Civic Plaza"}
    assert event["what"] == "A rally for the ordinance"
    path.unlink()


def test_a_photo_uploaded_in_the_form_lands_in_assets(served: Server, page, tmp_path) -> None:
    from PIL import Image

    photo = tmp_path / "Council Vote (1).JPG"
    Image.new("RGB", (64, 48), (200, 40, 40)).save(photo, "JPEG")
    open_editor(page, served, "2026-11-23-streetsight-suspended")
    page.get_by_role("button", name="Add a photo").click()
    page.locator('[data-key="images"] .item').last.get_by_label(
        "Or upload a JPEG or PNG"
    ).set_input_files(str(photo))
    file_field = page.locator('[data-key="images"] .item').last.get_by_label("File", exact=True)
    expect(file_field).to_have_value("assets/council-vote-1.jpg")
    assert (served.root / "assets" / "council-vote-1.jpg").read_bytes() == photo.read_bytes()
    (served.root / "assets" / "council-vote-1.jpg").unlink()


def test_signatories_take_a_pasted_spreadsheet_selection(served: Server, page) -> None:
    path = served.root / "releases" / f"{LETTER}.yaml"
    before = path.read_text()
    open_editor(page, served, LETTER)
    groups = page.locator('[data-key="signatories"] .group')
    group_count = groups.count()
    page.get_by_role("button", name="Add a group").click()
    group = page.locator('[data-key="signatories"] .group').nth(group_count)
    group.get_by_label("Group").fill("Neighbours")
    group.get_by_label("Group").press("Tab")
    group = page.locator('[data-key="signatories.Neighbours"]')
    cell = group.get_by_label("Name, signatory 1")
    cell.focus()
    pasted = "Rosa Imani\tTeacher\tEastside School\nKwame Osei\tPastor\n\u00c9lodie Brun\n"
    page.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            document.activeElement.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        pasted,
    )
    expect(group.get_by_label("Name, signatory 3")).to_have_value("\u00c9lodie Brun")
    shot(page, "editor-signatories")
    page.keyboard.press("Control+s")
    saved(page)
    data = yamlfile.load(path, path.name).data["signatories"]
    assert list(data)[-1] == "Neighbours"
    assert data["Neighbours"] == [
        {"name": "Rosa Imani", "title": "Teacher", "org": "Eastside School"},
        {"name": "Kwame Osei", "title": "Pastor"},
        "\u00c9lodie Brun",
    ]
    path.write_text(before)

"""pressroom site: the static newsroom keeps embargoes, drafts and contacts out."""

from __future__ import annotations

import builtins
import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pressroom.clock import now
from pressroom.load.room import load_releases, load_room
from pressroom.site import build_site
from pressroom.site.pages import plan
from pressroom.site.render import POLICY
from tests.cli_runner import run
from tests.conftest import REPO

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BEFORE = "2026-12-01T13:59:59Z"  # one second before 9:00 EST on December 1
AFTER = "2026-12-01T14:00:00Z"

PUBLIC = """\
date: 2026-11-20
dateline: OAKLAND, Calif.
headline: Parks Board Approves Night Lighting Plan
body:
  - The parks board approved a plan on Monday to light twelve park paths.
"""

EMBARGOED = """\
status: embargoed
embargo: 2026-12-01 09:00 America/New_York
date: 2026-12-01
dateline: OAKLAND, Calif.
headline: Quokka Audit Finds Hidden Cameras
body:
  - The quokka audit counted every camera in the city.
"""

DRAFT = """\
draft: true
date: 2026-11-21
headline: Unfinished Wombat Statement
body:
  - Not ready.
"""


def tree_bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def mentions(out: Path, *needles: str) -> list[str]:
    """Every file of *out* (binary files too) that contains one of *needles*."""
    found = []
    for name, data in tree_bytes(out).items():
        if any(needle.encode() in data or needle in name for needle in needles):
            found.append(name)
    return found


def atom_entries(out: Path) -> list[ET.Element]:
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") and feed.findtext(f"{ATOM}updated")
    return feed.findall(f"{ATOM}entry")


def sitemap_urls(out: Path) -> list[str]:
    root = ET.parse(out / "sitemap.xml").getroot()
    return [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]


def test_an_embargo_is_kept_until_its_moment_and_a_draft_disappears(make_room, capsys, monkeypatch):
    root = make_room(
        {
            "releases/2026-11-20-lights.yaml": PUBLIC,
            "releases/2026-12-01-quokka.yaml": EMBARGOED,
            "releases/2026-11-21-wombat.yaml": DRAFT,
        }
    )
    out = root / "site"
    hidden = ("Quokka", "quokka", "Wombat", "wombat")

    monkeypatch.setenv("PRESSROOM_NOW", BEFORE)
    before = run(capsys, root, "site", "--use-pressroom-now")
    assert before.code == 0, before.err
    assert "1 published, 1 held, 1 draft" in before.out
    assert "held  2026-12-01-quokka  until 2026-12-01 09:00 EST" in before.out
    assert (out / "2026-11-20-lights" / "index.html").is_file()
    assert (out / "2026-11-20-lights" / "2026-11-20-lights.pdf").read_bytes().startswith(b"%PDF")
    assert not (out / "2026-12-01-quokka").exists()
    assert mentions(out, *hidden) == []
    assert not (root / ".pressroom" / "cache" / "site" / "2026-12-01-quokka").exists()
    assert [e.findtext(f"{ATOM}title") for e in atom_entries(out)] == [
        "Parks Board Approves Night Lighting Plan"
    ]

    # nothing changed: nothing rendered or written, every file untouched
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    again = run(capsys, root, "site", "--use-pressroom-now")
    assert "0 PDF/Word rendered; 0 files written, 0 removed" in again.out
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps

    # the embargo lifts: page, PDF, Word, feed entry, sitemap URL and index mention appear
    monkeypatch.setenv("PRESSROOM_NOW", AFTER)
    after = run(capsys, root, "site", "--use-pressroom-now")
    assert after.code == 0, after.err
    assert "2 published, 0 held, 1 draft" in after.out
    page = out / "2026-12-01-quokka" / "index.html"
    assert "Quokka Audit Finds Hidden Cameras" in page.read_text(encoding="utf-8")
    assert (out / "2026-12-01-quokka" / "2026-12-01-quokka.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "2026-12-01-quokka" / "2026-12-01-quokka.docx").is_file()
    entries = atom_entries(out)
    assert entries[0].findtext(f"{ATOM}title") == "Quokka Audit Finds Hidden Cameras"
    assert "https://example.org/2026-12-01-quokka/" in sitemap_urls(out)
    assert 'href="2026-12-01-quokka/index.html"' in (out / "index.html").read_text("utf-8")
    assert "Quokka" in (out / "feed.json").read_text("utf-8")
    assert mentions(out, "Wombat", "wombat") == []

    # back to a draft: gone again from the same output folder, and from the cache
    path = root / "releases" / "2026-12-01-quokka.yaml"
    path.write_text("draft: true\n" + EMBARGOED, encoding="utf-8")
    third = run(capsys, root, "site", "--use-pressroom-now")
    assert third.code == 0, third.err
    assert "draft  2026-12-01-quokka" in third.out
    assert not (out / "2026-12-01-quokka").exists()
    assert mentions(out, *hidden) == []
    assert not (root / ".pressroom" / "cache" / "site" / "2026-12-01-quokka").exists()


def test_a_release_dated_in_the_future_waits_for_its_day(make_room):
    root = make_room(
        {
            "releases/2026-11-20-lights.yaml": PUBLIC,
            "releases/later.yaml": PUBLIC.replace("2026-11-20", "2026-11-24"),
            "releases/undated.yaml": PUBLIC.replace("date: 2026-11-20\n", ""),
            "releases/leftover-embargo.yaml": "embargo: 2026-12-01 09:00 America/New_York\n"
            + PUBLIC,
        }
    )
    room = load_room(root)
    releases = load_releases(room)

    def published(at: str) -> list[str]:
        return [r.name for r, _ in plan(room, releases, datetime.fromisoformat(at)).published]

    # midnight of November 24 in New York is 05:00 UTC
    # (an undated release is public at once, listed by its file's last change, here "now")
    assert published("2026-11-24T04:59:59+00:00") == ["undated", "2026-11-20-lights"]
    assert set(published("2026-11-24T05:00:00+00:00")) == {"later", "2026-11-20-lights", "undated"}
    assert "leftover-embargo" in published(AFTER)  # any embargo is honoured, whatever status


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> tuple[Path, Path]:
    """The example room with planted media lists, its site built after every embargo in it."""
    root = tmp_path_factory.mktemp("example")
    for name in ("pressroom.yaml",):
        shutil.copy(REPO / name, root / name)
    for folder in ("releases", "assets", "contacts"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "contacts" / "planted.csv").write_text(
        "email,name,outlet\nzelda.quill@planted-desk.example,Zelda Quill,Planted Daily\n",
        encoding="utf-8",
    )
    (root / "contacts" / "planted-too.yaml").write_text(
        "- email: ignatius@hidden-newsroom.example\n  name: Ignatius Hidden\n", encoding="utf-8"
    )
    room = load_room(root)
    opened: list[str] = []
    real_open = builtins.open

    def spy_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    out = root / "site"
    builtins.open = spy_open
    try:
        real_path_open = Path.open

        def spy_path_open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            opened.append(str(self))
            return real_path_open(self, *args, **kwargs)

        Path.open = spy_path_open  # type: ignore[method-assign]
        try:
            build_site(
                room,
                load_releases(room),
                out,
                datetime.fromisoformat("2037-12-05T12:00:00+00:00"),
                workers=1,
            )
        finally:
            Path.open = real_path_open  # type: ignore[method-assign]
    finally:
        builtins.open = real_open
    assert any("/releases/" in name for name in opened)  # the spy saw the reading
    assert not [name for name in opened if "/contacts/" in name or name.endswith("contacts")]
    return root, out


def test_no_journalist_address_and_nothing_from_contacts_in_the_site(example_site):
    root, out = example_site
    addresses = ["zelda.quill@planted-desk.example", "ignatius@hidden-newsroom.example"]
    for media_list in (root / "contacts").glob("*.*"):
        addresses += re.findall(r"[\w.+-]+@[\w-]+\.[\w.-]+", media_list.read_text("utf-8"))
    assert len(addresses) > 3
    assert mentions(out, *addresses) == []
    assert mentions(out, "Zelda", "Planted Daily", "Ignatius") == []
    # the press office is meant to be reachable
    assert "marisol@sidewalkcommons.example" in (out / "index.html").read_text("utf-8")


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, dict(attrs)))


def tags(path: Path) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def test_release_pages_carry_json_ld_open_graph_and_alt_text(example_site):
    _, out = example_site
    name = "2037-12-01-unseen-terms-audit"
    page = out / name / "index.html"
    html = page.read_text(encoding="utf-8")
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    article = json.loads(script)
    assert article["@type"] == "NewsArticle"
    assert article["headline"].startswith("Audit: Nearly Half of Baltimore")
    assert article["datePublished"] == "2037-12-01T09:00:00-05:00"
    assert article["url"] == f"https://www.sidewalkcommons.example/{name}/"
    assert article["image"] == [f"https://www.sidewalkcommons.example/{name}/camera-mast-dusk.jpg"]
    meta = {a.get("property"): a.get("content") for t, a in tags(page) if t == "meta"}
    assert meta["og:type"] == "article"
    assert meta["og:title"] == article["headline"]
    assert meta["og:url"] == article["url"]
    assert meta["og:image"] == article["image"][0]
    links = {a.get("rel"): a.get("href") for t, a in tags(page) if t == "link"}
    assert links["canonical"] == article["url"]
    # the page shows the body, the contact block and the downloads beside it
    assert "Nearly half of the cameras" in html and "Marisol Ortega" in html
    assert f'href="{name}.pdf"' in html and f'href="{name}.docx"' in html
    assert (out / name / "camera-mast-dusk.jpg").is_file()
    # relative links resolve against org.website
    assert 'href="https://www.sidewalkcommons.example/' in html
    for html_file in out.rglob("*.html"):
        images = [a for t, a in tags(html_file) if t == "img"]
        assert all(a.get("alt") for a in images), html_file
        german = html_file.parent.name.endswith(".de")  # the German translation's page
        assert tags(html_file)[0] == ("html", {"lang": "de" if german else "en-US"})


def test_feeds_and_sitemap_parse_and_list_releases_newest_first(example_site):
    _, out = example_site
    base = "https://www.sidewalkcommons.example/"
    entries = atom_entries(out)
    # the draft is held; streetsight-suspended's German translation is an entry of its
    # own (tests/test_site_languages.py)
    assert len(entries) == 7
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert ids[0] == base + "2037-12-01-unseen-terms-audit/"
    assert ids[1] == base + "2026-12-08-transit-letter/"
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "")
        assert entry.find(f"{ATOM}link").get("href") == entry.findtext(f"{ATOM}id")  # type: ignore[union-attr]
    channel = ET.parse(out / "rss.xml").getroot().find("channel")
    assert channel is not None
    items = channel.findall("item")
    assert [i.findtext("guid") for i in items] == ids
    assert all(i.findtext("pubDate") for i in items)
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in feed["items"]] == ids
    assert sitemap_urls(out) == [base, *ids]
    for held in ("2026-12-10-committee-advances-oversight-ordinance",):
        assert mentions(out, held) == []
        assert not (out / held).exists()


def test_templates_are_overridden_by_name_and_an_empty_room_has_valid_feeds(make_room, capsys):
    root = make_room(
        {
            "templates/site/index.html.j2": "<!DOCTYPE html><title>Ours</title>"
            "{{ entries|length }} releases\n"
        }
    )
    result = run(
        capsys, root, "site", "--use-pressroom-now", "--base-url", "https://press.example.org/news"
    )
    assert result.code == 0, result.err
    out = root / "site"
    policy = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
    assert (out / "index.html").read_text(
        "utf-8"
    ) == f"<!DOCTYPE html>\n{policy}<title>Ours</title>0 releases\n"
    assert atom_entries(out) == []
    assert sitemap_urls(out) == ["https://press.example.org/news/"]


def test_bad_output_folders_and_addresses_are_reported_clearly(make_room, capsys, tmp_path):
    root = make_room({"releases/2026-11-20-lights.yaml": PUBLIC})
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    result = run(capsys, root, "site", "--use-pressroom-now", "--out", str(a_file))
    assert result.code == 2 and "is a file, not a folder" in result.err
    assert "Traceback" not in result.err

    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    result = run(capsys, root, "site", "--use-pressroom-now", "--out", str(foreign))
    assert result.code == 2 and "not written by 'pressroom site'" in result.err
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"

    result = run(capsys, root, "site", "--use-pressroom-now", "--out", str(root))
    assert result.code == 2 and "is the press room" in result.err

    result = run(capsys, root, "site", "--use-pressroom-now", "--base-url", "press.example.org")
    assert result.code == 2 and "is not a web address" in result.err
    assert not (root / "site").exists()


def test_files_added_by_hand_stay_and_stale_files_go(make_room, capsys, monkeypatch):
    root = make_room({"releases/2026-11-20-lights.yaml": PUBLIC})
    monkeypatch.setenv("PRESSROOM_NOW", BEFORE)
    assert run(capsys, root, "site", "--use-pressroom-now").code == 0
    out = root / "site"
    (out / "CNAME").write_text("press.example.org\n", encoding="utf-8")
    (root / "releases" / "2026-11-20-lights.yaml").unlink()
    result = run(capsys, root, "site", "--use-pressroom-now")
    assert result.code == 0, result.err
    assert not (out / "2026-11-20-lights").exists()
    assert (out / "CNAME").is_file()
    assert "0 published" in result.out and "3 removed" in result.out


def test_no_website_and_no_base_url_is_a_clear_error(make_room, capsys):
    room = "org:\n  name: Example Justice Network\n"
    root = make_room({"releases/a.yaml": PUBLIC}, room=room)
    result = run(capsys, root, "site", "--use-pressroom-now")
    assert result.code == 2 and "pass --base-url" in result.err


def test_now_is_the_clock(monkeypatch):
    monkeypatch.setenv("PRESSROOM_NOW", AFTER)
    assert now().isoformat() == "2026-12-01T14:00:00+00:00"


def test_changing_the_newsroom_templates_renders_no_pdf(make_room, capsys):
    root = make_room({"releases/2026-11-20-lights.yaml": PUBLIC})
    assert "1 PDF/Word rendered" in run(capsys, root, "site", "--use-pressroom-now").out
    (root / "templates" / "site").mkdir(parents=True)
    (root / "templates" / "site" / "style.css").write_text("body { color: red; }\n", "utf-8")
    (root / "templates" / "site" / "macros.html.j2").write_text(
        "{% macro contact_card(contacts) %}CONTACTS{% endmacro %}\n"
        "{% macro meta_line(entry) %}META {{ entry.type_label }}{% endmacro %}\n",
        "utf-8",
    )
    result = run(capsys, root, "site", "--use-pressroom-now")
    assert result.code == 0, result.err
    assert "0 PDF/Word rendered" in result.out
    out = root / "site"
    assert (out / "style.css").read_text("utf-8") == "body { color: red; }\n"
    assert "META Press release" in (out / "2026-11-20-lights" / "index.html").read_text("utf-8")


def test_a_set_pressroom_now_is_refused_unless_asked_for(make_room, capsys, monkeypatch):
    """A time left set from a rehearsal must not publish an embargoed release early."""
    root = make_room({"releases/2026-12-01-quokka.yaml": EMBARGOED})
    monkeypatch.setenv("PRESSROOM_NOW", "2026-12-01T10:00:00-05:00")  # after the embargo
    refused = run(capsys, root, "site")
    assert refused.code == 2, refused
    assert "PRESSROOM_NOW is set (2026-12-01T10:00:00-05:00)" in refused.err
    assert "--use-pressroom-now" in refused.err and "Traceback" not in refused.err
    assert not (root / "site").exists()

    rehearsal = run(capsys, root, "site", "--use-pressroom-now")
    assert rehearsal.code == 0, rehearsal
    assert "PRESSROOM_NOW is set: building the newsroom as of 2026-12-01T10:00:00-05:00" in (
        rehearsal.err
    )
    assert (root / "site" / "2026-12-01-quokka" / "index.html").is_file()

    monkeypatch.delenv("PRESSROOM_NOW")
    assert "PRESSROOM_NOW" not in run(capsys, root, "site").err

"""Shared fixtures: temporary press rooms made from a dict of files, and the example room."""

from __future__ import annotations

import os
import shutil
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pressroom.load.room import load_release, load_room, release_files
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.context import Document, document
from tests.sendgrid_server import SendGridServer

REPO = Path(__file__).resolve().parent.parent

PARTS: dict[str, Callable[[], bool]] = {
    "chromium": lambda: Path("/usr/bin/chromium").exists(),
    "spamassassin": lambda: shutil.which("spamassassin") is not None,
    "chattr": lambda: shutil.which("chattr") is not None,
}
"""The real parts some tests need, and how to tell they are here (script/setup installs them)."""


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def missing(message: str) -> None:
    """A part a test needs is missing: skipped on a developer's machine, failed under CI.

    One rule for every part (PostgreSQL, Chromium, SpamAssassin, chattr), so that
    a CI that lost a part goes red instead of green with fewer tests.
    """
    if under_ci():
        pytest.fail(f"{message} (CI=true: a missing part fails the test)")
    pytest.skip(message)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"needs(part): the test needs one of {sorted(PARTS)}")


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("needs"):
        part = mark.args[0]
        if not PARTS[part]():
            missing(f"needs {part} (script/setup installs it)")


NOW = "2026-11-23T12:00:00+00:00"

MINIMAL_ROOM = """\
org:
  name: Example Justice Network
  website: https://example.org
  address: 100 Main St, Oakland, CA 94612
  boilerplate: Example Justice Network works for [fair streets](/about) & safe parks.
sender:
  email: press@example.org
  name: Example Justice Press Office
people:
  dana-reyes:
    name: Dana Reyes
    title: Communications Director
    pronouns: she/her
    email: dana@example.org
    phone: "+1 202 555 0143"
contacts: [dana-reyes]
timezone: America/New_York
locale: en_US
"""


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSROOM_NOW", NOW)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    monkeypatch.delenv("SENDGRID_API_KEY", raising=False)


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled templates go to the test session's cache folder, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    # and each test its own PDFs printed: a test that sends prints, whatever ran before
    monkeypatch.setenv("PRESSROOM_PDF_CACHE", str(tmp_path_factory.mktemp("pdf-cache")))


MakeRoom = Callable[..., Path]


@pytest.fixture
def make_room(tmp_path: Path) -> MakeRoom:
    """A press room in a temporary folder: ``make_room({"releases/x.yaml": "..."})``.

    pressroom.yaml defaults to a small valid room unless given. Text is dedented.
    """

    def make(files: dict[str, str | bytes] | None = None, room: str | None = MINIMAL_ROOM) -> Path:
        root = tmp_path / "room"
        root.mkdir(exist_ok=True)
        all_files: dict[str, str | bytes] = {}
        if room is not None:
            all_files["pressroom.yaml"] = room
        all_files.update(files or {})
        for name, content in all_files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return root

    return make


@pytest.fixture
def room(tmp_path: Path) -> Path:
    """A copy of the example press room, to change and send from."""
    root = tmp_path / "room"
    root.mkdir()
    shutil.copy(REPO / "pressroom.yaml", root)
    for folder in ("releases", "contacts", "assets", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (see tests/browser.py)."""
    from tests.browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def example_room() -> Room:
    """The bundled example press room at the repository's root."""
    return load_room(REPO)


def example_release_names() -> list[str]:
    """The example releases (their translations, releases/NAME.LANG.yaml, come with them)."""
    return [p.stem for p in sorted((REPO / "releases").glob("*.yaml")) if "." not in p.stem]


def load_example(room: Room, name: str) -> Release:
    [path] = release_files(room, [name])
    return load_release(room, path)


def example_document(room: Room, name: str) -> Document:
    return document(room, load_example(room, name))


@pytest.fixture
def sendgrid_server() -> Iterator[SendGridServer]:
    """A SendGrid-compatible server on 127.0.0.1 (tests/sendgrid_server.py), for one test."""
    with SendGridServer() as server:
        yield server


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SendGridServer]:
    """The SendGrid-compatible server, with the room's sends pointed at it (the API key
    and PRESSROOM_SENDGRID_URL set for the test)."""
    with SendGridServer() as server:
        monkeypatch.setenv("SENDGRID_API_KEY", server.api_key)
        monkeypatch.setenv("PRESSROOM_SENDGRID_URL", server.url)
        yield server


POSTGRES = os.environ.get("PRESSROOM_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/")
"""The PostgreSQL server the tests use (trust authentication; script/setup starts one)."""


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The room's send log on each backend: SQLite in .pressroom/, or a new PostgreSQL
    database named by PRESSROOM_DATABASE_URL (see :func:`postgres_url`)."""
    if request.param == "postgresql":
        monkeypatch.setenv("PRESSROOM_DATABASE_URL", request.getfixturevalue("postgres_url"))
    return str(request.param)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, uniquely named PostgreSQL database for one test, dropped after it.

    Without a server on 127.0.0.1:5432 the test is skipped, except under CI
    (``CI=true``), where it fails: the PostgreSQL tests never go silently unrun.
    """
    import psycopg

    try:
        admin = psycopg.connect(POSTGRES + "postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        missing(f"no PostgreSQL at {POSTGRES} (run script/setup): {error}")
    name = f"pressroom_test_{uuid.uuid4().hex[:16]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def wait_for_sessions_to_end(url: str, timeout: float = 10) -> None:
    """Wait until no other session is connected to *url*'s database (a killed sender's
    server process ends a moment after its client died)."""
    import time

    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            others = conn.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname=current_database() AND pid<>pg_backend_pid()"
            ).fetchone()
            if others is not None and others[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError(f"sessions still connected to {url} after {timeout} s")

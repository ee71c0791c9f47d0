"""Hostile files: each is refused with a message, or handled, at a bounded cost.

The corpus is generated here (each file is a line of Python): bodies that
made a regular expression go quadratic, YAML nested thousands deep, Markdown
that makes WeasyPrint's line breaking crawl, pictures whose header promises
billions of pixels. The tests prove each bound with small inputs and the
limit logic, never by waiting for a runaway.
"""

from __future__ import annotations

import random
import re
import signal
import struct
import time
import zlib

import pytest

from pressroom.check.links import spaced_hrefs as _spaced_hrefs
from pressroom.errors import RenderError
from pressroom.load import bounds
from pressroom.load.room import load_room
from pressroom.load.yamlfile import MAX_DEPTH
from pressroom.render.deadline import RenderTimeout, time_limit
from pressroom.render.environment import make_environment
from pressroom.render.pdf import render_pdf
from tests.cli_runner import run
from tests.conftest import REPO, example_document

RELEASE = "type: statement\ndate: 2026-12-20\nheadline: Test\nbody:\n"


def release_with(*paragraphs: str) -> str:
    return RELEASE + "".join(f'  - "{text}"\n' for text in paragraphs)


def check(capsys, root, *names: str):
    return run(capsys, root, "check", *names)


def assert_refused(result, *fragments: str) -> None:
    assert result.code == 1, result
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in result.err, f"{fragment!r} not in:\n{result.err}"


# -- YAML nesting --------------------------------------------------------------

NESTED = {
    # a line of 5,000 dashes: libyaml refuses it, PyYAML's composer recursed
    "dashes": RELEASE + "  - " + "- " * 5000 + "x\n",
    # 5,000 brackets: the same through flow style
    "brackets": RELEASE + "  - " + "[" * 5000 + "]" * 5000 + "\n",
    # 100 levels: libyaml composes it; pressroom stops at its own limit
    "hundred": RELEASE + "  - " + "[" * 100 + "]" * 100 + "\n",
}


@pytest.mark.parametrize("name", NESTED)
def test_deep_nesting_is_a_load_error_at_its_line(make_room, capsys, name):
    root = make_room({"releases/2026-12-20-deep.yaml": NESTED[name]})
    result = check(capsys, root, "2026-12-20-deep")
    assert_refused(
        result, "releases/2026-12-20-deep.yaml:5:", f"nested more than {MAX_DEPTH} levels deep"
    )


# -- links: the quadratic regular expression ----------------------------------


def _old_spaced_hrefs(text: str) -> list[str]:
    return [match[1] for match in re.finditer(r"\]\(([^)]*\s[^)]*)\)", text)]


def test_spaced_links_are_found_as_before():
    rng = random.Random(8)
    for _ in range(5000):
        text = "".join(rng.choice("]() a\n[x") for _ in range(rng.randint(0, 40)))
        assert list(_spaced_hrefs(text)) == _old_spaced_hrefs(text), text


@pytest.mark.parametrize("unit", ["[a](", "[a]( ", "](x", "]( )"])
def test_spaced_links_take_linear_time(unit):
    """256 KB of a pattern that made the old expression go quadratic (some five minutes)."""
    text = unit * (256 * 1024 // len(unit))
    started = time.perf_counter()
    list(_spaced_hrefs(text))
    assert time.perf_counter() - started < 10  # under 0.5 s on a quiet machine


# -- text and markup -----------------------------------------------------------


def test_a_huge_paragraph_is_refused_before_any_parsing(make_room, capsys):
    """120 KB of ``[a](``: 15 s in check before (a quadratic regex), refused at once now."""
    root = make_room({"releases/2026-12-20-links.yaml": release_with("[a](" * 30_000)})
    started = time.perf_counter()
    result = check(capsys, root, "2026-12-20-links")
    assert time.perf_counter() - started < 10
    assert_refused(
        result,
        "releases/2026-12-20-links.yaml:5:5: error: body[0]: 120,000 characters",
        "[text-too-long]",
    )


def test_emphasis_that_stalls_weasyprint_is_refused(make_room, capsys):
    """``*a`` 20,000 times took WeasyPrint 217 s; 250 of them in one paragraph are too many."""
    root = make_room(
        {
            "releases/2026-12-20-em.yaml": release_with("*a" * 250),
            "releases/2026-12-21-spread.yaml": release_with(*["**a** " * 45] * 12),
        }
    )
    assert_refused(
        check(capsys, root),
        "releases/2026-12-20-em.yaml:5:5: error: body[0]: 250 Markdown marks",
        "releases/2026-12-21-spread.yaml:1:1: error: 2,160 Markdown marks",
        "[markup-too-complex]",
    )


def test_a_release_of_plain_words_is_bounded_too(make_room, capsys):
    root = make_room({"releases/2026-12-20-words.yaml": release_with(*["word " * 3000] * 8)})
    assert_refused(check(capsys, root), "120,023 characters of text", "[text-too-long]")


def test_pressroom_yaml_is_bounded_too(make_room, capsys):
    room = f'org:\n  name: X\n  website: https://example.org\n  boilerplate: "{"_a_ " * 110}"\n'
    root = make_room(room=room)
    assert_refused(check(capsys, root), "pressroom.yaml:4:3", "org.boilerplate", "220 Markdown")


def test_press_copy_is_far_below_the_limits():
    """Every limit leaves ample room for a long, heavily linked release."""
    paragraph = ("A sentence with **bold words** and [a link](https://example.org/a_b). " * 6)[:-1]
    assert len(paragraph) < bounds.TEXT_MAX / 20
    assert sum(paragraph.count(m) for m in bounds.MARKS) * 5 < bounds.MARKS_MAX


# -- pictures ------------------------------------------------------------------


def png_header(width: int, height: int) -> bytes:
    """A PNG that promises *width* x *height* pixels: its header, without the pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


WITH_PICTURE = RELEASE + '  - "A park."\nimages:\n  - {file: assets/%s, alt: A park, credit: Us}\n'


@pytest.mark.parametrize(
    "size, shown",
    [
        ((12_000, 12_000), "12,000 x 12,000 pixels"),  # cost 1.2 GB in the PDF render
        ((20_000, 20_000), "400,000,000 pixels"),  # past Pillow's own limit: silently dropped
    ],
)
def test_a_picture_too_large_to_render_is_refused_from_its_header(make_room, capsys, size, shown):
    root = make_room(
        {
            "releases/2026-12-20-park.yaml": WITH_PICTURE % "park.png",
            "assets/park.png": png_header(*size),
        }
    )
    result = check(capsys, root)
    assert_refused(
        result,
        "releases/2026-12-20-park.yaml:7:",
        f"images[0].file: 'assets/park.png' is {shown}, more than the 50 megapixels",
        "[image-too-large]",
    )
    build = run(capsys, root, "build")
    assert build.code == 1 and "image-too-large" in build.err
    assert not (root / "build").exists() or not list((root / "build").rglob("*.pdf"))


def test_a_logo_too_large_is_refused(make_room, capsys):
    room = "org:\n  name: X\n  website: https://example.org\n  logo: assets/logo.png\n"
    root = make_room({"assets/logo.png": png_header(10_000, 10_000)}, room=room)
    assert_refused(check(capsys, root), "pressroom.yaml:4:", "org.logo", "[image-too-large]")


def test_pictures_of_a_camera_pass(make_room, capsys):
    root = make_room(
        {
            "releases/2026-12-20-park.yaml": WITH_PICTURE % "park.png"
            + "distribution: {lists: [reporters]}\n",
            "assets/park.png": png_header(8_192, 5_464),  # a 45-megapixel camera
            "contacts/reporters.csv": "email\nana@daily.example\n",
        }
    )
    result = check(capsys, root)
    assert "image-too-large" not in result.err, result
    # the room otherwise passes check: the picture is the only thing looked at
    assert result.code == 0 and "0 errors" in result.out + result.err, result
    assert "Traceback" not in result.err


# -- the time limit on a render ------------------------------------------------

LETTER = "2026-11-17-open-letter-streetsight"


def test_a_render_over_its_time_limit_is_stopped_with_the_release_named():
    room = load_room(REPO)
    doc = example_document(room, LETTER)
    env = make_environment(room.templates_dir)
    render_pdf(doc, env)  # WeasyPrint imported and warm: what follows is the layout alone
    before = signal.getsignal(signal.SIGALRM)
    started = time.perf_counter()
    with pytest.raises(RenderTimeout) as stopped:
        render_pdf(doc, env, seconds=0.05)
    assert time.perf_counter() - started < 1.5  # the whole render takes several times that
    assert str(stopped.value).startswith(f"{doc.name}: the PDF took more than 0.05 seconds")
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert render_pdf(doc, env)[:5] == b"%PDF-"  # and the next render is not disturbed


def test_the_time_limit_lets_a_block_that_ends_in_time_go():
    with time_limit(5, "x"):
        total = sum(range(1000))
    assert total == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_limit_landing_in_a_finaliser_is_neither_reported_nor_lost(monkeypatch):
    """A firing that lands in a ``__del__`` is swallowed by Python and handed to
    sys.unraisablehook: the limit keeps it quiet (no "Exception ignored", no reporter
    of the test runner interrupted by the next firing), fires again, and stops the
    block; any other unraisable exception is still reported."""
    import gc
    import sys

    reported: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda report: reported.append(report.exc_type))
    hook = sys.unraisablehook

    class Slow:
        def __del__(self) -> None:
            time.sleep(0.2)  # the first firing lands here

    class Broken:
        def __del__(self) -> None:
            raise ValueError("a finaliser's own error")

    with pytest.raises(RenderTimeout, match="finaliser took more than 0.05 seconds"):
        with time_limit(0.05, "finaliser"):
            Slow()
            gc.collect()
            Broken()
            while True:
                time.sleep(0.01)
    assert reported == [ValueError]
    assert sys.unraisablehook is hook and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_time_limit_stops_code_that_swallows_exceptions():
    """WeasyPrint catches Exception in places: the limit is not an Exception."""
    with pytest.raises(RenderTimeout, match="loop took more than 0.05 seconds"):
        with time_limit(0.05, "loop"):
            while True:
                try:
                    time.sleep(0.01)
                except Exception:  # what a library might do
                    pass


def test_build_reports_a_render_over_its_limit(capsys, room, monkeypatch):
    monkeypatch.setattr("pressroom.render.pdf.RENDER_SECONDS", 0.05)
    result = run(capsys, room, "build", LETTER, "--format", "pdf")
    assert result.code == 1, result
    assert "Traceback" not in result.err
    assert f"{LETTER}: the PDF took more than 0.05 seconds and was stopped" in result.err


def test_the_preview_worker_reports_a_render_over_its_limit(monkeypatch, tmp_path):
    """What a preview worker process runs: the page then shows the message."""
    from pressroom.serve.renders import _render

    monkeypatch.setattr("pressroom.render.pdf.RENDER_SECONDS", 0.05)
    room = load_room(REPO)
    doc = example_document(room, LETTER)
    with pytest.raises(RenderError, match=f"{LETTER}: the PDF took more than 0.05 seconds"):
        _render("pdf", doc, room.templates_dir, "test-signature", tmp_path / "cache")


# -- the preview ----------------------------------------------------------------

PREVIEWED = {
    "deep": ({"releases/2026-12-20-x.yaml": NESTED["dashes"]}, "nested more than"),
    "links": (
        {"releases/2026-12-20-x.yaml": release_with("[a](" * 30_000)},
        "120,000 characters",
    ),
    "emphasis": ({"releases/2026-12-20-x.yaml": release_with("*a" * 250)}, "250 Markdown marks"),
    "picture": (
        {
            "releases/2026-12-20-x.yaml": WITH_PICTURE % "park.png",
            "assets/park.png": png_header(12_000, 12_000),
        },
        "12,000 x 12,000 pixels",
    ),
}


@pytest.mark.parametrize("name", PREVIEWED)
def test_the_preview_shows_a_hostile_file_as_its_problems(make_room, name):
    """A page with the problems, at once: never a 500, never a hang, never a render."""
    from starlette.testclient import TestClient

    from pressroom.serve.app import create_app

    files, message = PREVIEWED[name]
    root = make_room(files)
    app = create_app(root, workers=0, watch=False)
    started = time.perf_counter()
    with TestClient(app, base_url="http://127.0.0.1") as client:
        index = client.get("/")
        page = client.get("/release/2026-12-20-x")
        pdf = client.get("/release/2026-12-20-x.pdf")
    assert time.perf_counter() - started < 10
    assert (index.status_code, page.status_code, pdf.status_code) == (200, 200, 422)
    assert message in page.text and message in pdf.text


def test_a_letter_may_list_thousands_of_signatories_inline(make_room, capsys):
    names = "".join(f"  - {{name: Person Number {i}, org: Group {i}}}\n" for i in range(3000))
    letter = RELEASE.replace("statement", "open-letter") + "  - We ask.\nsignatories:\n" + names
    root = make_room({"releases/2026-12-20-letter.yaml": letter})
    result = check(capsys, root)
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert "1 release checked" in result.err and "Traceback" not in result.err, result
    assert all(line.endswith("[no-list]") for line in errors), errors  # no list in this room

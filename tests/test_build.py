"""pressroom build: four artefacts per release, and no work when nothing changed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.cli_runner import run
from tests.conftest import REPO

RELEASE = """\
headline: Parks Board Approves Night Lighting Plan
dateline: OAKLAND, Calif.
date: 2026-11-23
body:
  - The parks board approved a plan on Monday to light twelve park paths.
"""


def test_build_writes_four_formats_then_skips_unchanged(make_room, capsys):
    root = make_room({"releases/2026-11-23-lights.yaml": RELEASE, "releases/other.yaml": RELEASE})
    result = run(capsys, root, "build")
    assert result.code == 0, result.err
    folder = root / "build" / "2026-11-23-lights"
    files = {p.name for p in folder.iterdir() if not p.name.startswith(".")}
    assert files == {f"2026-11-23-lights.{ext}" for ext in ("pdf", "docx", "html", "txt")}
    assert (folder / "2026-11-23-lights.pdf").read_bytes().startswith(b"%PDF-")
    assert zipfile.is_zipfile(folder / "2026-11-23-lights.docx")
    assert "2 releases: 2 rendered, 0 unchanged" in result.out
    stamps = {p: p.stat().st_mtime_ns for p in folder.iterdir()}

    again = run(capsys, root, "build")
    assert "2 releases: 0 rendered, 2 unchanged" in again.out
    assert {p: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps

    path = root / "releases" / "other.yaml"
    path.write_text(RELEASE.replace("twelve", "fourteen"), encoding="utf-8")
    third = run(capsys, root, "build")
    assert "2 releases: 1 rendered, 1 unchanged" in third.out
    assert "fourteen" in (root / "build" / "other" / "other.txt").read_text(encoding="utf-8")

    (root / "templates").mkdir()
    (root / "templates" / "email.txt.j2").write_text(
        "Custom {{ doc.headline }}\n", encoding="utf-8"
    )
    fourth = run(capsys, root, "build", "--format", "txt")
    assert "2 rendered" in fourth.out
    assert (
        folder / "2026-11-23-lights.txt"
    ).read_text() == "Custom Parks Board Approves Night Lighting Plan\n"


def test_build_options(make_room, capsys, tmp_path):
    root = make_room({"releases/2026-11-23-lights.yaml": RELEASE})
    out = tmp_path / "elsewhere"
    result = run(capsys, root, "build", "lights", "--out", str(out), "--format", "html,txt")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (out / "2026-11-23-lights").glob("*.*") if p.name[0] != ".") == [
        "2026-11-23-lights.html",
        "2026-11-23-lights.txt",
    ]
    bad = run(capsys, root, "build", "--format", "pdf,odt")
    assert bad.code == 2 and "unknown format 'odt'" in bad.err and "Traceback" not in bad.err


def test_a_broken_release_stops_the_build_with_its_location(make_room, capsys):
    root = make_room(
        {"releases/a.yaml": RELEASE, "releases/b.yaml": "headline: B\nbody:\n  - quote: x\n"}
    )
    result = run(capsys, root, "build")
    assert result.code == 1
    assert "releases/b.yaml:3:5" in result.err and "nothing was written" in result.err
    assert not (root / "build").exists()


def test_a_broken_template_override_is_named(make_room, capsys):
    root = make_room({"releases/a.yaml": RELEASE, "templates/email.txt.j2": "{{ doc.nope }}\n"})
    result = run(capsys, root, "build", "--format", "txt")
    assert result.code == 1 and "Traceback" not in result.err
    assert "templates/email.txt.j2:1:" in result.err and "nope" in result.err
    assert str(root) not in result.err


def test_the_wheel_ships_the_templates_and_builds_without_deprecations(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    # the build backend's own warnings (shown with -v): the licence is an SPDX string
    output = done.stdout + done.stderr
    assert "Deprecat" not in output, output[output.find("Deprecat") - 300 :][:1200]
    [wheel] = list(Path(tmp_path).glob("pressroom-*.whl"))
    archive = zipfile.ZipFile(wheel)
    names = set(archive.namelist())
    for template in ("email.html.j2", "email.txt.j2", "email.css", "print.html.j2", "print.css",
                     "email-footer.html.j2", "email-footer.txt.j2", "site/feed-item.html.j2",
                     "new/open-letter.yaml", "init/pressroom.yaml"):  # fmt: skip
        assert f"pressroom/templates/{template}" in names
    assert "pressroom/py.typed" in names
    for language in ("de", "fr", "es", "it", "nl", "pt"):  # the catalogs, compiled and not
        for kind in ("mo", "po"):
            assert f"pressroom/i18n/locale/{language}/LC_MESSAGES/pressroom.{kind}" in names
    assert "pressroom/templates/new/de/press-release.yaml" in names
    assert "pressroom/templates/new/fr/media-advisory.yaml" in names
    [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
    assert "License-Expression: MIT" in archive.read(metadata).decode("utf-8").splitlines()


def test_the_command_is_installed():
    done = subprocess.run(
        [str(Path(sys.executable).parent / "pressroom"), "--root", str(REPO), "check", "--help"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "--strict" in done.stdout

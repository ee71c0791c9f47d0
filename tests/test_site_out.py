"""``pressroom site --out``: never writes or deletes through a symbolic link, and
deletes only files its own manifest wrote (and that still hold what it wrote)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import run
from tests.conftest import MakeRoom

SLUG = "2026-11-20-lights"
PUBLIC = """\
date: 2026-11-20
dateline: OAKLAND, Calif.
headline: Parks Board Approves Night Lighting Plan
body:
  - The parks board approved a plan on Monday to light twelve park paths.
"""


@pytest.fixture
def built(make_room: MakeRoom, capsys: pytest.CaptureFixture[str]) -> Path:
    root = make_room({f"releases/{SLUG}.yaml": PUBLIC})
    result = run(capsys, root, "site", "--use-pressroom-now")
    assert result.code == 0, result.err
    return root


def _victims(folder: Path) -> dict[str, str]:
    folder.mkdir(exist_ok=True)
    files = {"index.html": "my own page", f"{SLUG}.pdf": "my own pdf", "notes.txt": "mine"}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return files


def test_a_folder_of_the_site_replaced_by_a_link_is_never_deleted_through(
    built: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    victims = _victims(elsewhere)
    folder = built / "site" / SLUG
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.symlink_to(elsewhere, target_is_directory=True)
    (built / "releases" / f"{SLUG}.yaml").unlink()  # its files are now stale: to be removed
    result = run(capsys, built, "site", "--use-pressroom-now")
    assert result.code == 2, result.out
    assert "is a symbolic link" in result.err and SLUG in result.err
    assert "Traceback" not in result.err
    for name, text in victims.items():
        assert (elsewhere / name).read_text(encoding="utf-8") == text


def test_an_output_folder_that_is_a_link_is_refused(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_room({f"releases/{SLUG}.yaml": PUBLIC})
    real = tmp_path / "real"
    real.mkdir()
    (root / "site").symlink_to(real, target_is_directory=True)
    result = run(capsys, root, "site", "--use-pressroom-now")
    assert result.code == 2 and "--out" in result.err and "symbolic link" in result.err
    assert list(real.iterdir()) == []
    assert run(capsys, root, "site", "--use-pressroom-now", "--out", str(real)).code == 0


def test_a_manifest_that_is_a_link_is_refused(
    built: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    manifest = built / "site" / ".pressroom-site.json"
    elsewhere = tmp_path / "manifest.json"
    elsewhere.write_bytes(manifest.read_bytes())
    manifest.unlink()
    manifest.symlink_to(elsewhere)
    result = run(capsys, built, "site", "--use-pressroom-now")
    assert result.code == 2 and "the manifest" in result.err and "symbolic link" in result.err


def test_a_planted_partial_link_does_not_redirect_a_write(
    built: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "bashrc"
    target.write_text("# mine\n", encoding="utf-8")
    (built / "site" / ".index.html.partial").symlink_to(target)
    yaml = built / "pressroom.yaml"
    yaml.write_text(yaml.read_text().replace("Example Justice", "Example Fairness"))
    result = run(capsys, built, "site", "--use-pressroom-now")
    assert result.code == 0, result.err
    assert target.read_text(encoding="utf-8") == "# mine\n"
    assert "Example Fairness" in (built / "site" / "index.html").read_text(encoding="utf-8")


def test_only_files_the_manifest_wrote_and_that_hold_what_it_wrote_are_deleted(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = built / "site"
    manifest = json.loads((out / ".pressroom-site.json").read_text())
    (out / "CNAME").write_text("press.example.org\n", encoding="utf-8")
    manifest["files"]["CNAME"] = "listed by someone else"  # a manifest is only data
    (out / ".pressroom-site.json").write_text(json.dumps(manifest))
    page = out / SLUG / "index.html"
    page.write_text(page.read_text() + "<!-- a note I added -->", encoding="utf-8")
    (built / "releases" / f"{SLUG}.yaml").unlink()
    result = run(capsys, built, "site", "--use-pressroom-now")
    assert result.code == 0, result.err
    assert (out / "CNAME").read_text(encoding="utf-8") == "press.example.org\n"
    assert page.is_file(), "a page changed by hand is kept"
    assert not (out / SLUG / f"{SLUG}.pdf").exists(), "what pressroom wrote goes"
    assert f"kept  {SLUG}/index.html: no longer part of the site" in result.out
    assert "kept  CNAME" in result.out


@pytest.mark.parametrize("bad", ["../outside.txt", "/etc/hostname", "a/../../x", "a\\..\\x"])
def test_a_manifest_naming_a_path_outside_the_folder_is_refused(
    built: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    out = built / "site"
    manifest = json.loads((out / ".pressroom-site.json").read_text())
    manifest["files"][bad] = "x"
    (out / ".pressroom-site.json").write_text(json.dumps(manifest))
    result = run(capsys, built, "site", "--use-pressroom-now")
    assert result.code == 2 and "a bad path" in result.err

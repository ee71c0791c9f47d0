"""One name, one file: a release or a list name means exactly one file, and no
name leads anywhere else (issue 8, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.errors import LoadError
from pressroom.load.room import load_release, load_releases, load_room
from pressroom.model.names import is_name
from pressroom.serve.pages import Preview
from tests.cli_runner import run
from tests.conftest import MakeRoom

RELEASE = """\
date: 2026-11-20
dateline: OAKLAND, Calif.
headline: {headline}
body:
  - The parks board approved a plan on Monday to light twelve park paths, after a
    year in which residents asked for safe places to walk in the evening.
distribution:
  lists: [reporters]
"""
REPORTERS = "email,name\nana@ledger.example,Ana\n"


def test_x_yaml_beside_x_yml_is_a_load_error_everywhere(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str]
) -> None:
    """Today the preview shows one of them and ``send`` mails the other."""
    root = make_room(
        {
            "releases/2026-11-20-lights.yaml": RELEASE.format(headline="Lights: Version A"),
            "releases/2026-11-20-lights.yml": RELEASE.format(headline="Lights: Version B"),
            "contacts/reporters.csv": REPORTERS,
        }
    )
    room = load_room(root)
    with pytest.raises(LoadError) as caught:
        load_releases(room)
    assert sorted(p.file for p in caught.value.problems) == [
        "releases/2026-11-20-lights.yaml",
        "releases/2026-11-20-lights.yml",
    ]
    assert all("is also in 2026-11-20-lights.y" in p.message for p in caught.value.problems)
    assert all(p.code == "one-name" for p in caught.value.problems)

    check = run(capsys, root, "check")
    assert check.code == 1 and "keep one file per release name" in check.err
    send = run(capsys, root, "send", "2026-11-20-lights", "--yes")
    assert send.code != 0 and "is also in" in send.err
    assert not list(root.glob("outbox/**/*.eml"))

    page = Preview(root).release("2026-11-20-lights")
    assert page.email is None
    assert any("is also in" in view.problem.message for view in page.errors)


@pytest.mark.parametrize("name", ["...yaml", "..yaml", ".yaml", "releases/ .yaml"])
def test_a_release_named_dots_or_nothing_is_refused(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """``...yaml`` is the release ``..``: its build went to build/.., the room's root."""
    file = name if name.startswith("releases/") else f"releases/{name}"
    root = make_room({file: RELEASE.format(headline="Dots"), "contacts/reporters.csv": REPORTERS})
    room = load_room(root)
    with pytest.raises(LoadError) as caught:
        load_release(room, root / file)
    [problem] = caught.value.problems
    assert "cannot be a release's name" in problem.message and problem.code == "one-name"
    result = run(capsys, root, "build")
    assert result.code != 0
    assert not (root / "build").exists() or not any(
        p.suffix == ".pdf" for p in (root / "build").rglob("*")
    )
    assert not list(root.glob("*.pdf")) and not list(root.parent.glob("*.pdf"))


def test_import_list_names_are_checked_whole(
    make_room: MakeRoom, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_room()
    export = tmp_path / "export.csv"
    export.write_text("email\nana@ledger.example\n", encoding="utf-8")
    for bad in ("evil\n", "evil\nx", "../evil", ".hidden", "a/b", ""):
        result = run(capsys, root, "contacts", "import", str(export), "--list", bad)
        assert result.code == 2, (bad, result.out)
        assert "is not a list name" in result.err
    assert not (root / "contacts").exists() or list((root / "contacts").iterdir()) == []
    assert run(capsys, root, "contacts", "import", str(export), "--list", "evil").code == 0


def test_a_list_file_whose_name_is_no_name_is_reported(make_room: MakeRoom) -> None:
    from pressroom.load.contacts import check_lists

    root = make_room({"contacts/good.csv": REPORTERS, "contacts/evil\n.csv": REPORTERS})
    [problem] = check_lists(load_room(root))
    assert "cannot be a list's name" in problem.message


def test_a_list_name_in_a_release_is_checked_whole(make_room: MakeRoom) -> None:
    release = RELEASE.format(headline="Lists").replace(
        "lists: [reporters]", 'lists: [reporters, "../secrets/reporters", "a\\\\b"]'
    )
    root = make_room({"releases/x.yaml": release, "contacts/reporters.csv": REPORTERS})
    with pytest.raises(LoadError) as caught:
        load_release(load_room(root), root / "releases" / "x.yaml")
    [problem] = caught.value.problems
    assert problem.key == "distribution.lists[1]" and "is not the name of a list" in problem.message


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2026-11-20-lights", True),
        ("national press", True),
        ("presse-québec", True),
        ("evil\n", False),
        ("", False),
        ("..", False),
        (".env", False),
        ("a/b", False),
        ("a\\b", False),
        ("tab\there", False),
        (" padded", False),
    ],
)
def test_names(text: str, ok: bool) -> None:
    assert is_name(text) is ok

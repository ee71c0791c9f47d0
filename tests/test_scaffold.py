"""pressroom init and pressroom new give a working room and releases."""

from __future__ import annotations

import pytest

from tests.cli_runner import run
from tests.test_placeholders import ANSWERS, options


def test_init_writes_a_room_that_checks_clean_and_refuses_to_overwrite(tmp_path, capsys):
    room = tmp_path / "press"
    result = run(capsys, tmp_path, "init", str(room), *options(ANSWERS))
    assert result.code == 0, result.err
    assert (room / "pressroom.yaml").is_file() and (room / "releases").is_dir()
    checked = run(capsys, room, "check")
    assert checked.code == 0
    assert "0 releases checked" in checked.out and 'pressroom new "Your headline"' in checked.out
    again = run(capsys, tmp_path, "init", str(room))
    assert again.code == 2 and "already exists" in again.err and "Traceback" not in again.err


@pytest.mark.parametrize("kind", ["press-release", "open-letter", "statement", "media-advisory"])
def test_new_release_of_each_type_is_valid(tmp_path, capsys, kind):
    run(capsys, tmp_path, "init", str(tmp_path / "r"), *options(ANSWERS))
    root = tmp_path / "r"
    headline = 'Council Votes: "Yes" to Parks & Light 🌳'
    result = run(capsys, root, "new", "--type", kind, "--date", "2026-11-23", headline)
    assert result.code == 0, result.err
    path = root / "releases" / "2026-11-23-council-votes-yes-to-parks-light.yaml"
    assert path.is_file(), result.out
    from pressroom.load.room import load_release, load_room

    release = load_release(load_room(root), path)
    assert release.headline == headline
    assert release.type == kind
    assert release.draft  # new releases start as drafts (see test_traps.py for their text)
    check = run(capsys, root, "check")
    errors = [line for line in check.err.splitlines() if " error: " in line]
    assert all("[starter-text]" in x or "[no-list]" in x for x in errors), check.err
    again = run(capsys, root, "new", "--type", kind, "--date", "2026-11-23", headline)
    assert again.code == 2 and "already exists" in again.err

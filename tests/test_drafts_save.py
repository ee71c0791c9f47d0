"""The one save path (pressroom/drafts/save.py): round trip, quoting, refusals, atomicity."""

from __future__ import annotations

import copy
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressroom.check.rules import check_release
from pressroom.drafts.save import (
    NameRefused,
    ReleaseInvalid,
    StaleVersion,
    file_version,
    save_release,
)
from pressroom.load import yamlfile
from pressroom.load.room import load_release, load_room

EXAMPLE = Path(__file__).resolve().parent.parent
RELEASES = sorted((EXAMPLE / "releases").glob("*.yaml"))
NOW = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture()
def room(tmp_path: Path) -> Path:
    root = tmp_path / "room"
    for name in ("pressroom.yaml", "releases", "assets", "templates", "contacts"):
        source = EXAMPLE / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.exists():
            root.mkdir(exist_ok=True)
            shutil.copy(source, root / name)
    return root


def data_of(path: Path):
    return yamlfile.load(path, path.name).data


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def yaml_codes(root: Path, path: Path) -> list[str]:
    from pressroom.load.translations import is_translation_file, split

    room_ = load_room(root)
    if is_translation_file(path):  # checked with its original (releases/NAME.LANG.yaml)
        path = path.with_name(f"{(split(path.stem) or ('', ''))[0]}.yaml")
    release = load_release(room_, path)
    return [p.code for p in check_release(room_, release, NOW) if p.code.startswith("yaml-")]


# Texts shaped like what press offices paste (original wording, not the seeds').
SHAPED = [
    "BREAKING: Tenants' Union Wins Rent Freeze — Council Votes 7–2",
    "UPDATE: We won on March 3. One week after we launched #KeysForAll, the board agreed.",
    "Said Dana Ruiz, Organizing Director at Harbor Tenants:",
    "“The vote is a start,” said Ruiz. “It is not the finish line.”",
    "Dear Chair Osei and Members of the Board,",
    "WHAT: Delivery of 12,000 signatures\nWHEN: 10:00 a.m.\nWHERE: City Hall, Room 4",
    "Contact: press@example.org | 555-0100",
    "- Stop the pilot\n- Publish the contract\n- Hold a public vote",
    "Riverside Neighbors for Safe Streets",
    "Harbor Tenants: Local 12",
    "yes",
    "No",
    "off",
    "2026-03-03",
    "10:30",
    "1e3",
    "0x1F",
    "~",
    "null",
    "'single' and \"double\"",
    '"Quoted headline"',
    "- not a list item",
    "? question",
    "#hashtag first",
    "ends with a colon:",
    "tab\tinside",
    "  leading and trailing spaces  ",
    "first paragraph\n\nsecond paragraph",
    "a line\n  indented line\nthird",
    "trailing newlines\n\n\n",
    "&anchor *alias !tag %directive @at `tick`",
    "{flow: map} [flow, list]",
    "multi: colon: text # and a comment",
    "Ünïcödé — “curly” ‘quotes’ … 日本語",
]

HOSTILE = st.one_of(
    st.sampled_from(SHAPED),
    st.text(
        alphabet=st.sampled_from(list("ab yes:#-'\"\t\n|>&*!%@`{}[],?~.0123456789“”—")),
        min_size=1,
        max_size=40,
    ),
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"
        ),
        min_size=1,
        max_size=30,
    ),
)


def test_an_unchanged_example_is_written_byte_for_byte(room: Path):
    for path in sorted((room / "releases").glob("*.yaml")):
        before = path.read_text()
        version = save_release(room, path.stem, data_of(path), base_version=file_version(path))
        assert path.read_text() == before
        assert version == file_version(path)


@pytest.mark.parametrize("example", RELEASES, ids=lambda p: p.stem)
def test_every_text_of_an_example_rewritten_reads_back_and_keeps_the_comments(
    room: Path, example: Path
):
    path = room / "releases" / example.name
    before = path.read_text()
    data = data_of(path)
    changed = copy.deepcopy(data)
    shaped = iter(SHAPED * 50)
    replaced = 0

    def rewrite(value, key=""):
        nonlocal replaced
        if isinstance(value, dict):
            return {k: rewrite(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [rewrite(v, key) for v in value]
        if isinstance(value, str) and key in ("headline", "subheadline", "text", "body", "ps"):
            replaced += 1
            return next(shaped).strip() if key != "body" else next(shaped)
        return value

    changed = rewrite(changed)
    try:
        save_release(room, path.stem, changed, base_version=file_version(path))
    except ReleaseInvalid as exc:  # the model refuses e.g. a line break in a headline
        assert path.read_text() == before
        assert exc.problems
        pytest.skip(f"refused: {exc.problems[0]}")
    assert replaced > 0
    assert data_of(path) == changed
    kept = comments(path.read_text())
    values = " ".join(" ".join(str(v).split()) for v in _strings(data))
    for line in comments(before):
        assert line in kept or line in values  # a comment, or a line of a value
    assert yaml_codes(room, path) == []


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(paragraph=HOSTILE, headline=HOSTILE)
def test_hostile_texts_read_back_exactly_or_nothing_is_written(
    room: Path, paragraph: str, headline: str
):
    path = room / "releases" / RELEASES[0].name
    before = path.read_bytes()
    data = data_of(path)
    data["body"] = [paragraph, *data["body"][1:]]
    data["subheadline"] = headline
    try:
        version = save_release(room, path.stem, data, base_version=file_version(path))
    except ReleaseInvalid as exc:
        assert path.read_bytes() == before
        assert exc.problems
        return
    assert version == file_version(path)
    assert data_of(path) == data
    assert yaml_codes(room, path) == []


def test_plain_words_stay_plain_and_the_misreadable_are_quoted(room: Path):
    path = room / "releases" / RELEASES[0].name
    data = data_of(path)
    for value in ("yes", "On", "2026-01-01", "12", "1e3", "- item", "a: b", "x #y", "~", "null"):
        data["subheadline"] = value
        save_release(room, path.stem, data, base_version=file_version(path))
        line = next(x for x in path.read_text().splitlines() if x.startswith("subheadline:"))
        assert line[len("subheadline: ")] in "'\"", line
        assert data_of(path)["subheadline"] == value
    data["subheadline"] = "Council Votes Today on the Ordinance"
    save_release(room, path.stem, data, base_version=file_version(path))
    assert "subheadline: Council Votes Today on the Ordinance\n" in path.read_text()


def test_multi_line_text_is_a_literal_block_when_safe(room: Path):
    path = room / "releases" / RELEASES[0].name
    data = data_of(path)
    data["body"][0] = "First line.\n\nSecond paragraph: with a colon #and-tag."
    save_release(room, path.stem, data, base_version=file_version(path))
    assert "  - |-\n    First line.\n\n    Second paragraph: with a colon #and-tag.\n" in (
        path.read_text()
    )
    data["body"][0] = "ends with spaces   \nnext"
    save_release(room, path.stem, data, base_version=file_version(path))
    assert '  - "ends with spaces   \\nnext"' in path.read_text()
    assert data_of(path) == data


def test_a_deleted_paragraph_leaves_the_others_and_their_style_alone(room: Path):
    path = room / "releases" / RELEASES[0].name
    before = path.read_text().splitlines()
    data = data_of(path)
    data["body"].pop(1)
    save_release(room, path.stem, data, base_version=file_version(path))
    after = path.read_text().splitlines()
    assert data_of(path) == data
    assert len(after) < len(before)
    assert all(line in before for line in after)  # nothing else restyled or moved


def test_a_stale_version_is_refused_with_the_difference_and_nothing_written(room: Path):
    path = room / "releases" / RELEASES[0].name
    version = file_version(path)
    data = data_of(path)
    path.write_text(path.read_text().replace("type: open-letter", "type: open-letter  # edited"))
    on_disk = path.read_bytes()
    data["subheadline"] = "Mine"
    with pytest.raises(StaleVersion) as refused:
        save_release(room, path.stem, data, base_version=version)
    assert path.read_bytes() == on_disk
    assert "-subheadline:" in refused.value.difference
    assert "+subheadline: Mine" in refused.value.difference
    assert refused.value.current == file_version(path)


def test_a_new_file_never_overwrites(room: Path):
    path = room / "releases" / RELEASES[0].name
    before = path.read_bytes()
    with pytest.raises(StaleVersion):
        save_release(room, path.stem, data_of(path), base_version=None)
    assert path.read_bytes() == before
    data = {"type": "statement", "headline": "A New One", "body": ["Text #1: yes"]}
    save_release(room, "2030-01-01-a-new-one", data, base_version=None)
    written = room / "releases" / "2030-01-01-a-new-one.yaml"
    assert data_of(written) == data
    assert not [p for p in written.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    "name", ["../pressroom", "a/b", ".hidden", "", "x\ny", "..", "sub\\dir", " spaced"]
)
def test_a_name_with_a_path_is_refused(room: Path, name: str):
    with pytest.raises(NameRefused):
        save_release(room, name, {"headline": "x", "body": ["y"]}, base_version=None)


def test_a_release_that_does_not_load_is_refused_and_nothing_written(room: Path):
    path = room / "releases" / RELEASES[0].name
    before = path.read_bytes()
    data = data_of(path)
    data["type"] = "press-relase"
    with pytest.raises(ReleaseInvalid) as refused:
        save_release(room, path.stem, data, base_version=file_version(path))
    assert any(p.key == "type" for p in refused.value.problems)
    assert path.read_bytes() == before


def test_an_untouched_hashtag_trap_is_refused_a_rewritten_one_is_mended(room: Path):
    path = room / "releases" / "2030-01-02-trap.yaml"
    path.write_text(
        "# a comment\ntype: statement\nheadline: Stand with us #Together today\n"
        "body:\n  - One paragraph.\n"
    )
    data = data_of(path)
    assert data["headline"] == "Stand with us"
    data["body"] = ["Another paragraph."]
    with pytest.raises(ReleaseInvalid) as refused:
        save_release(room, path.stem, data, base_version=file_version(path))
    assert refused.value.problems[0].code == "yaml-hashtag"
    data["headline"] = "Stand with us #Together today"
    save_release(room, path.stem, data, base_version=file_version(path))
    text = path.read_text()
    assert text.startswith("# a comment\n")
    assert 'headline: "Stand with us #Together today"\n' in text
    assert data_of(path) == data


def test_the_write_is_atomic_and_keeps_the_files_mode(room: Path):
    path = room / "releases" / RELEASES[0].name
    os.chmod(path, 0o640)
    inode = path.stat().st_ino
    data = data_of(path)
    data["subheadline"] = "New"
    save_release(room, path.stem, data, base_version=file_version(path))
    assert path.stat().st_ino != inode  # a new file moved into place, not rewritten
    assert path.stat().st_mode & 0o777 == 0o640
    assert not [p for p in path.parent.iterdir() if re.search(r"\.tmp$", p.name)]


def test_a_removed_key_leaves_the_comment_above_the_next_key(room: Path):
    path = room / "releases" / "2030-01-03-comments.yaml"
    path.write_text(
        "# top of the file\ntype: statement  # the kind\nsubheadline: Gone   # its own note\n"
        "\n# about the headline\nheadline: Kept\nbody:\n  - One.\n  # before two\n  - Two.\n"
    )
    data = data_of(path)
    del data["subheadline"]
    data["body"] = ["One.", "Two.", "Three: new"]
    save_release(room, path.stem, data, base_version=file_version(path))
    assert path.read_text() == (
        "# top of the file\ntype: statement  # the kind\n"
        "\n# about the headline\nheadline: Kept\nbody:\n  - One.\n  # before two\n  - Two.\n"
        '  - "Three: new"\n'
    )


def test_a_new_files_template_edited_keeps_its_comments_in_place(room: Path):
    from datetime import date

    from pressroom.drafts.scaffold import new_release

    path = new_release(load_room(room), "press-release", "Tenants Win", date(2030, 3, 4))
    before = path.read_text()
    data = data_of(path)
    del data["draft"]
    data["body"] = ["The city: council votes.", "- a\n- b", {"heading": "Next"}]
    save_release(room, path.stem, data, base_version=file_version(path))
    after = path.read_text()
    assert data_of(path) == data
    assert "media lists or published" not in after  # the removed line's comment went with it
    assert "\n# immediate: FOR IMMEDIATE RELEASE" in after
    assert (
        '  - "The city: council votes."\n  - |-\n    - a\n    - b\n  - heading: Next\n  # - quote:'
        in after
    )
    kept = [line for line in before.splitlines() if line.startswith("#") and "draft" not in line]
    assert all(line in after.splitlines() for line in kept)


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaf_paths(item, (*path, index))
    elif isinstance(value, str):
        yield path


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(choice=st.data(), text=HOSTILE)
def test_any_text_of_any_example_reads_back_exactly_or_nothing_is_written(
    room: Path, choice, text: str
):
    from pressroom.load.traps import is_prose

    path = room / "releases" / choice.draw(st.sampled_from(RELEASES)).name
    before = path.read_bytes()
    data = data_of(path)
    leaves = [leaf for leaf in _leaf_paths(data) if is_prose(leaf)]
    where = choice.draw(st.sampled_from(leaves))
    holder = data
    for part in where[:-1]:
        holder = holder[part]
    holder[where[-1]] = text
    try:
        save_release(room, path.stem, data, base_version=file_version(path))
    except ReleaseInvalid as exc:
        assert path.read_bytes() == before
        assert exc.problems
        return
    assert data_of(path) == data
    assert yaml_codes(room, path) == []

"""YAML that reads but loses the writer's words: check says so, send refuses, the preview shows it."""

from __future__ import annotations

import pytest

from pressroom.serve.pages import Preview
from tests.cli_runner import run

PRESS_LIST = "email,name\nann@example.com,Ann Lee\n"
BODY = """\
  - The coalition of forty community groups launched a week of action on Monday
    to press the city for a public inventory of its surveillance cameras, with
    teach-ins, a petition and a rally outside City Hall on Friday afternoon.
"""


def release(top: str = "", body: str = BODY, bottom: str = "") -> str:
    return (
        "dateline: OAKLAND, Calif.\n"
        "date: 2026-11-23\n"
        + (top or "headline: Activists Launch a Week of Action\n")
        + "body:\n"
        + body
        + "distribution:\n  lists: [press]\n"
        + bottom
    )


@pytest.fixture
def make_room(make_room):
    def make(files=None, **kw):
        return make_room({"contacts/press.csv": PRESS_LIST, **(files or {})}, **kw)

    return make


def test_a_hashtag_cutting_the_headline_is_an_error_and_send_refuses(make_room, capsys):
    root = make_room(
        {"releases/x.yaml": release("headline: Activists Launch #EyesOnAmazon Week\n")}
    )
    result = run(capsys, root, "check")
    assert result.code == 1
    assert (
        'releases/x.yaml:3:28: error: headline: "#EyesOnAmazon" was read as a YAML comment, '
        'so the text stops at "Activists Launch"; put the whole value in quotes'
    ) in result.err
    sent = run(capsys, root, "send", "x", "--yes")
    assert sent.code == 1 and '"#EyesOnAmazon" was read as a YAML comment' in sent.err
    assert sent.err.endswith("1 error; nothing was sent\n")  # not "nothing was written"
    dry = run(capsys, root, "--root", ".", "send", "x", "--dry-run")
    assert dry.code == 1 and dry.err.endswith("1 error; nothing was sent\n")
    built = run(capsys, root, "build", "x")  # a build is a proof: it renders what YAML read
    assert built.code == 0 and built.out.endswith("1 release: 1 rendered, 0 unchanged\n")
    assert not (root / ".pressroom" / "outbox").exists()

    quoted = release('headline: "Activists Launch #EyesOnAmazon Week"  # a comment\n')
    (root / "releases" / "x.yaml").write_text(quoted)
    fine = run(capsys, root, "check")
    assert fine.code == 0, fine.err


@pytest.mark.parametrize(
    "top, body, bottom, key, line",
    [
        ("headline: A Week\nsubheadline: Join us #EyesOnAmazon\n", BODY, "", "subheadline", 4),
        ("", "  - We march #EyesOnAmazon\n" + BODY, "", "body[0]", 5),
        ("", BODY + "  - quote: dana-reyes\n    text: Join us #NoSpyCity\n", "", "body[1].text", 9),
        ("", BODY, "ps: Follow along at #EyesOnAmazon\n", "ps", 10),
        ("", BODY, "updates:\n  - text: We moved #indoors\n", "updates[0].text", 11),
        (
            "",
            BODY,
            "images:\n  - file: assets/p.png\n    caption: The rally #EyesOnAmazon\n",
            "images[0].caption",
            12,
        ),
        (
            "type: media-advisory\nheadline: Rally\nevent:\n  what: A rally #EyesOnAmazon\n"
            "  when: 2026-11-28 10:00\n",
            BODY,
            "",
            "event.what",
            6,
        ),
        # a value continued on the next lines: cut where the hashtag starts a line
        ("headline: Activists Launch\n  #EyesOnAmazon Week\n", BODY, "", "headline", 4),
        ("headline: A Week\nps: #EyesOnAmazon\n", BODY, "", "ps", 4),
    ],
)
def test_a_hashtag_in_any_prose_field(make_room, capsys, top, body, bottom, key, line):
    root = make_room(
        {"releases/x.yaml": release(top, body, bottom), "assets/p.png": b"\x89PNG\r\n\x1a\n"}
    )
    result = run(capsys, root, "check")
    assert result.code == 1
    [found] = [x for x in result.err.splitlines() if "was read as a YAML comment" in x]
    assert found.startswith(f"releases/x.yaml:{line}:")
    assert f"error: {key}: " in found and "put the whole value in quotes" in found


def test_a_hashtag_inside_a_continued_value_names_its_line(make_room, capsys):
    body = (
        "  - The coalition launched a week of action on Monday, with\n"
        "    teach-ins #EyesOnAmazon and a petition\n"
        "    and a rally outside City Hall on Friday afternoon.\n"
    )
    root = make_room({"releases/x.yaml": release(body=body)})
    result = run(capsys, root, "check")
    assert result.code == 1 and "Traceback" not in result.err
    assert (
        'releases/x.yaml:6:15: error: "#EyesOnAmazon" was read as a YAML comment, so the '
        'text stops at "teach-ins"; put the whole value in quotes'
    ) in result.err


def test_comments_anchors_and_non_prose_keys_are_not_hashtags(make_room, capsys):
    text = release(
        "headline: Activists Launch a Week   # the hashtag goes in hashtags\n",
        bottom="ps: Read [the plan](https://example.org/plan#week).\n"
        "hashtags: [EyesOnAmazon] #campaign\n",
    )
    root = make_room({"releases/x.yaml": text})
    result = run(capsys, root, "check")
    assert result.code == 0, result.err
    assert "YAML comment" not in result.err


def test_a_folded_block_of_dash_lines_is_flagged_with_the_fix(make_room, capsys):
    body = (
        "  - >-\n"
        "    We ask the council to:\n"
        "    - publish the camera inventory\n"
        "    - hold a public hearing\n" + BODY
    )
    root = make_room({"releases/x.yaml": release(body=body)})
    result = run(capsys, root, "check")
    assert result.code == 1
    [found] = [x for x in result.err.splitlines() if "[yaml-folded-list]" in x]
    assert found.startswith("releases/x.yaml:7:5: error: body[0]: ")
    assert "read as one paragraph, not a list" in found
    assert "YAML list items" in found and "Markdown list inside '|'" in found


def test_a_markdown_list_in_a_literal_block_is_a_list_but_not_in_a_headline(make_room, capsys):
    body = "  - |\n    We ask the council to:\n    - publish the inventory\n" + BODY
    root = make_room({"releases/x.yaml": release(body=body)})
    assert run(capsys, root, "check").code == 0

    top = "headline: A Week\nsubheadline: |\n  - Teach-ins\n  - A rally\n"
    (root / "releases" / "x.yaml").write_text(release(top, body))
    result = run(capsys, root, "check")
    assert result.code == 1 and "error: subheadline: " in result.err
    assert "[yaml-literal-list]" in result.err


def test_the_preview_shows_the_trap(make_room):
    root = make_room(
        {"releases/x.yaml": release("headline: Activists Launch #EyesOnAmazon Week\n")}
    )
    preview = Preview(root)
    [entry] = preview.index().entries
    assert entry.errors == 1
    page = preview.release("x")
    assert any("was read as a YAML comment" in view.problem.message for view in page.errors)


def test_the_starter_texts_check_reads_are_the_templates_own():
    """check reads the starter texts from a file (finding them in the templates is slow):
    it must hold exactly what the templates of `new` write (script/starter-texts)."""
    from pressroom.drafts.scaffold import STARTER_FILE, found_starter_texts, starter_texts

    found = found_starter_texts()
    assert len(found) > 50
    kept = STARTER_FILE.read_text(encoding="utf-8")
    assert kept == "".join(f"{text}\n" for text in sorted(found)), (
        "pressroom/templates/new/starter-texts.txt is out of date: run script/starter-texts"
    )
    assert starter_texts() == found


@pytest.mark.parametrize("kind", ["press-release", "open-letter", "statement", "media-advisory"])
def test_new_makes_a_draft_whose_starter_text_cannot_be_sent(tmp_path, capsys, kind):
    from pressroom.drafts.scaffold import starter_texts
    from pressroom.load.room import load_release, load_room

    run(capsys, tmp_path, "init", str(tmp_path / "r"))
    root = tmp_path / "r"
    made = run(capsys, root, "new", "--type", kind, "--date", "2026-11-23", "Parks Stay Open")
    assert made.code == 0, made.err
    path = root / "releases" / "2026-11-23-parks-stay-open.yaml"
    release = load_release(load_room(root), path)
    assert release.draft

    result = run(capsys, root, "check")
    assert result.code == 1
    starter = [x for x in result.err.splitlines() if "[starter-text]" in x]
    assert starter and all("still holds the starter text of `pressroom new`" in x for x in starter)
    assert any(" error: body[0]: " in x for x in starter), result.err
    # every value the template left is one of the templates' own placeholder sentences
    assert all(any(s[:40] in x for s in starter_texts()) for x in starter)

    # an optional key uncommented, its example text left as it was, is starter text too
    text = path.read_text()
    if "# subheadline: A second line" in text:
        path.write_text(text.replace("# subheadline: A second line", "subheadline: A second line"))
        again = run(capsys, root, "check")
        assert any(
            " error: subheadline: still holds the starter text" in x for x in again.err.splitlines()
        ), again.err


def test_a_hashtag_cutting_the_organisation_text_in_pressroom_yaml(make_room, capsys):
    from tests.conftest import MINIMAL_ROOM

    room = MINIMAL_ROOM.replace(
        "  boilerplate: Example Justice Network works for",
        "  boilerplate: Example Justice Network runs #FreeToWalk and works for",
    ).replace("timezone: America/New_York", "timezone: America/New_York #east")
    root = make_room({"releases/x.yaml": release()}, room=room)
    result = run(capsys, root, "check")
    assert result.code == 1
    [found] = [x for x in result.err.splitlines() if "was read as a YAML comment" in x]
    assert found.startswith("pressroom.yaml:5:45: error: org.boilerplate: ")
    assert 'so the text stops at "Example Justice Network runs"' in found


def test_a_hashtag_starting_a_line_inside_a_value_names_its_line(make_room, capsys):
    top = "headline: Activists Launch\n  #EyesOnAmazon Week\n  of Action\n"
    root = make_room({"releases/x.yaml": release(top)})
    result = run(capsys, root, "check")
    assert result.code == 1 and "Traceback" not in result.err
    assert (
        'releases/x.yaml:4:3: error: "#EyesOnAmazon" was read as a YAML comment, so the value '
        "ends above it; put the whole value in quotes"
    ) in result.err

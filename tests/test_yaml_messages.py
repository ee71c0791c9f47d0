"""YAML messages point at the real cause, all at once (issue 19, item 9).

Each test is a complaint of a new user, with the file they wrote: the message
must name the line where the mistake is and say what to type instead.
"""

from __future__ import annotations

import pytest

from tests.cli_runner import run
from tests.test_check import PRESS_LIST

HEAD = "type: statement\ndate: 2026-11-23\ndateline: OAKLAND, Calif.\n"


def check(make_room, capsys, text: str, room: str | None = None):
    text += "distribution: {lists: [press]}\n"  # at the end: the lines above stay as written
    files = {"contacts/press.csv": PRESS_LIST, "releases/x.yaml": text}
    root = make_room(files) if room is None else make_room(files, room=room)
    return run(capsys, root, "check")


def errors(result) -> list[str]:
    return [line for line in result.err.splitlines() if ": error: " in line]


def test_a_colon_in_a_body_paragraph(make_room, capsys):
    text = HEAD + "headline: Council Votes\nbody:\n  - The mayor said: this is a disgrace.\n"
    result = check(make_room, capsys, text)
    assert errors(result) == [
        'releases/x.yaml:6:5: error: body[0]: the colon after "The mayor said" made YAML read '
        "this text as a key and a value; put the whole text in double quotes: "
        '- "The mayor said: this is a disgrace."'
    ]


def test_a_colon_in_a_paragraph_continued_on_a_second_line(make_room, capsys):
    text = (
        HEAD
        + "headline: Council Votes\nbody:\n  - The council voted\n    and the mayor said: no.\n"
    )
    result = check(make_room, capsys, text)
    assert errors(result) == [
        "releases/x.yaml:7:23: error: not valid YAML: a colon followed by a space inside a value "
        "starts a key; put the whole value in double quotes"
    ]


@pytest.mark.parametrize(
    ("line", "said", "fixed"),
    [
        ('headline: "Yes" to Parks, says council', '"Yes"',
         "headline: '\"Yes\" to Parks, says council'"),
        ("headline: 'Yes' to Parks", "'Yes'", "headline: \"'Yes' to Parks\""),
    ],
)  # fmt: skip
def test_a_value_opening_with_a_quote_and_going_on_after_it(make_room, capsys, line, said, fixed):
    result = check(make_room, capsys, HEAD + line + "\nbody:\n  - Text.\n")
    assert errors(result) == [
        f"releases/x.yaml:4:11: error: the value starts with a quote, so YAML reads only {said} "
        f"and cannot read what follows the closing quote; put the whole value in quotes: {fixed}"
    ]


def test_a_paragraph_opening_with_a_quote_and_going_on_after_it(make_room, capsys):
    text = HEAD + 'headline: Council Votes\nbody:\n  - "We won," she said, "for now."\n'
    result = check(make_room, capsys, text)
    assert errors(result) == [
        'releases/x.yaml:6:5: error: the value starts with a quote, so YAML reads only "We won," '
        "and cannot read what follows the closing quote; put the whole value in quotes: "
        '- \'"We won," she said, "for now."\''
    ]


LIST_CUT = (
    '"#surveillance" inside [...] was read as a YAML comment, which cuts the list there; '
    'put the item in quotes ("#surveillance"), or leave out the #'
)


def test_a_hashtag_in_a_flow_list_is_reported_at_its_own_line(make_room, capsys):
    """The parser stops two lines below (at subheadline:); the message is at the #."""
    text = (
        HEAD + "headline: Council Votes\nhashtags: [privacy, #surveillance]\n"
        "subheadline: A first step\nps: More at the hearing.\nbody:\n  - Text.\n"
    )
    result = check(make_room, capsys, text)
    assert errors(result) == [f"releases/x.yaml:5:21: error: {LIST_CUT}"]


def test_a_hashtag_in_a_list_over_several_lines_drops_items_and_is_an_error(make_room, capsys):
    """Valid YAML that silently lost "#surveillance" and "tech": now an error at its line."""
    text = (
        HEAD + "headline: Council Votes\nhashtags: [privacy,\n  #surveillance, tech,\n"
        "  oversight]\nbody:\n  - Text.\n"
    )
    result = check(make_room, capsys, text)
    assert errors(result) == [
        f"releases/x.yaml:6:3: error: hashtags: {LIST_CUT} [yaml-hashtag-list]"
    ]


def test_a_comment_in_a_list_over_several_lines_is_fine(make_room, capsys):
    text = (
        HEAD
        + "headline: Council Votes\nhashtags: [privacy,\n  # the campaign's\n  tech]\nbody:\n  - Text.\n"
    )
    assert not errors(check(make_room, capsys, text))


def test_a_headline_in_curly_quotes(make_room, capsys):
    text = HEAD + "headline: \u201cCouncil Votes: Yes\u201d\nbody:\n  - Text.\n"
    result = check(make_room, capsys, text)
    assert errors(result) == [
        "releases/x.yaml:4:11: error: not valid YAML: curly quotes (\u201c \u201d) are not YAML's "
        "quotes, so the colon inside them starts a key; use straight quotes: "
        'headline: "Council Votes: Yes"'
    ]


def test_a_pasted_block_where_a_signatories_file_is_expected(make_room, capsys):
    text = (
        "type: open-letter\ndate: 2026-11-23\nheadline: A Letter\nbody:\n  - Text.\n"
        "signatories: Ana Lee, Riders Union\n  Bo Chen, UC Berkeley\n  Cy Diaz, Oakland\n"
    )
    result = check(make_room, capsys, text)
    [error] = errors(result)
    assert error == (
        "releases/x.yaml:6:1: error: signatories: holds text ('Ana Lee, Riders Union Bo Chen, "
        "UC Ber...'), not the name of a CSV file of signatories; list the names under "
        "signatories:, one '- name: ...' a line, or put them in a CSV file with a name column "
        "and give its file name"
    )
    assert error.count("Ana Lee") == 1  # not echoed back twice


def test_a_pasted_block_where_a_picture_file_is_expected(make_room, capsys):
    text = (
        HEAD + "headline: Council Votes\nbody:\n  - Text.\nimages:\n"
        "  - file: Ana Lee took this photo at the\n      rally on Tuesday\n    alt: A rally\n"
    )
    [error] = errors(check(make_room, capsys, text))
    assert error.startswith(
        "releases/x.yaml:8:5: error: images[0].file: holds text ('Ana Lee took this photo at "
        "the rally ...'), not the name of a picture file"
    )
    assert error.count("Ana Lee") == 1


def test_a_file_name_with_spaces_is_still_a_file_name(make_room, capsys):
    text = (
        HEAD
        + "headline: Council Votes\nbody:\n  - Text.\nimages:\n  - file: our rally photo.jpg\n    alt: A rally\n"
    )
    [error] = errors(check(make_room, capsys, text))
    assert "no image 'our rally photo.jpg' in the press room" in error


def test_structural_errors_and_hashtag_traps_in_the_same_run(make_room, capsys):
    text = (
        HEAD + "headline: Council votes #oversight\nsubheadline: A first step\nbodyy:\n  - Text.\n"
    )
    assert errors(check(make_room, capsys, text)) == [
        "releases/x.yaml:1:1: error: body: is required but missing; add it",
        'releases/x.yaml:4:25: error: headline: "#oversight" was read as a YAML comment, so the '
        'text stops at "Council votes"; put the whole value in quotes [yaml-hashtag]',
        "releases/x.yaml:6:1: error: bodyy: unknown key; did you mean 'body'?",
    ]


def test_pressroom_yaml_structural_errors_and_hashtag_traps_in_the_same_run(make_room, capsys):
    room = (
        "org:\n  name: Example Justice #Network\n  website: https://example.org\n"
        "  adress: 100 Main St\n"
    )
    result = check(make_room, capsys, HEAD + "headline: X\nbody: [Text.]\n", room=room)
    lines = errors(result)
    assert lines[0].startswith('pressroom.yaml:2:25: error: org.name: "#Network" was read as')
    assert lines[1].startswith("pressroom.yaml:4:3: error: org.adress: unknown key")

"""Placeholders never reach journalists (issue 19, item 2), each test from a complaint.

"I ran init, wrote a release and check was green: the email went out from 'Your
Organisation, 1 Main Street, Springfield'." "Two real releases were refused for
'[add your name here.](https://...)'." "A quote copied from a web page said
'[email protected]'."
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time

import pytest

from pressroom.drafts.init_answers import QUESTIONS
from pressroom.drafts.scaffold import room_file_text
from pressroom.load import yamlfile
from tests.cli_runner import run
from tests.test_check import CLEAN, PRESS_LIST

ANSWERS = {
    "org-name": "Riverside Tenants Union",
    "website": "https://www.riversidetenants.example",
    "address": "5 Elm Street, Dayton, OH 45402",
    "boilerplate": "Riverside Tenants Union organises renters in Dayton. It has 4,000 members.",
    "sender-email": "press@riversidetenants.example",
    "sender-name": "Riverside Tenants Press Office",
    "contact-name": "Mara Quinn",
    "contact-email": "mara@riversidetenants.example",
    "contact-phone": "+1 937 555 0110",
}


def options(answers: dict[str, str]) -> list[str]:
    return [word for option, value in answers.items() for word in (f"--{option}", value)]


def test_the_template_writes_each_example_at_its_question(tmp_path):
    data = yamlfile.parse(room_file_text({}), "pressroom.yaml").data
    for question in QUESTIONS:
        value = data
        for part in question.path:
            value = value[part]
        assert " ".join(value.split()) == question.example, question.option


def test_init_without_answers_leaves_examples_that_check_refuses_at_their_lines(tmp_path, capsys):
    made = run(capsys, tmp_path, "init", "press")
    assert made.code == 0 and "check and send refuse them" in made.out
    checked = run(capsys, tmp_path / "press", "check")
    assert checked.code == 1
    lines = (tmp_path / "press" / "pressroom.yaml").read_text().splitlines()
    found = re.findall(
        r"pressroom\.yaml:(\d+):\d+: error: ([\w.-]+): still the example", checked.err
    )
    assert [key for _, key in found] == [".".join(q.path) for q in QUESTIONS]
    for line, key in found:  # each names the line the value is on
        assert lines[int(line) - 1].strip().startswith(key.split(".")[-1] + ":"), (line, key)
    assert checked.err.count("[init-placeholder]") == len(QUESTIONS)


def test_init_with_every_answer_as_options_checks_clean(tmp_path, capsys):
    made = run(capsys, tmp_path, "init", "press", *options(ANSWERS))
    assert made.code == 0, made.err
    assert "example values" not in made.out
    checked = run(capsys, tmp_path / "press", "check")
    assert checked.code == 0, checked.err
    text = (tmp_path / "press" / "pressroom.yaml").read_text()
    assert "Riverside Tenants Union organises renters" in text and "# required" in text


def test_init_refuses_an_answer_pressroom_yaml_cannot_take_and_writes_nothing(tmp_path, capsys):
    made = run(capsys, tmp_path, "init", "press", "--sender-email", "press at riverside")
    assert made.code == 1 and "give another --sender-email" in made.err
    assert "nothing was written" in made.err and not (tmp_path / "press").exists()


def test_init_without_a_phone_writes_no_phone(tmp_path, capsys):
    made = run(capsys, tmp_path, "init", "press", *options({**ANSWERS, "contact-phone": ""}))
    assert made.code == 0
    assert "phone:" not in (tmp_path / "press" / "pressroom.yaml").read_text()
    assert run(capsys, tmp_path / "press", "check").code == 0


def test_init_in_a_terminal_asks_for_the_real_values(tmp_path):
    """A real pseudo-terminal: init sees a tty on stdin and asks, one question a line."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pressroom", "init", "press", "--org-name", ANSWERS["org-name"]],
        stdin=slave, stdout=slave, stderr=slave, cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    os.close(slave)
    typed = [ANSWERS[q.option] for q in QUESTIONS if q.option not in ("org-name", "sender-name")]
    typed.insert(4, "")  # Enter: the offered sender name, "<org name> Press Office"
    seen = b""
    deadline = time.monotonic() + 60
    for answer in typed:
        while seen.count(b": ") < typed.index(answer) + 1 and time.monotonic() < deadline:
            if select.select([master], [], [], 1)[0]:
                seen += os.read(master, 4096)
        os.write(master, answer.encode() + b"\n")
    while process.poll() is None and time.monotonic() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            try:
                seen += os.read(master, 4096)
            except OSError:
                break
    process.wait(timeout=10)
    os.close(master)
    shown = seen.decode(errors="replace")
    assert process.returncode == 0, shown
    assert "Its postal address" in shown and "[Riverside Tenants Union Press Office]" in shown
    data = yamlfile.load(tmp_path / "press" / "pressroom.yaml", "pressroom.yaml").data
    assert data["org"]["address"] == ANSWERS["address"]
    assert data["sender"]["name"] == "Riverside Tenants Union Press Office"
    assert data["people"]["press-officer"]["phone"] == ANSWERS["contact-phone"]


def test_an_example_value_left_in_pressroom_yaml_stops_send(room, capsys):
    text = (room / "pressroom.yaml").read_text()
    text = re.sub(r"(?m)^  address: .*$", "  address: 1 Main Street, Springfield, IL 62701", text)
    (room / "pressroom.yaml").write_text(text)
    sent = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert sent.code == 1 and "nothing was sent" in sent.err
    assert "pressroom.yaml:10:3: error: org.address: still the example pressroom init" in sent.err
    assert not (room / ".pressroom" / "outbox").exists()


def release_with(**lines: str) -> str:
    kept = [line for line in CLEAN.splitlines() if line.split(":")[0] not in lines]
    quoted = "".join(f"{key}: {json.dumps(value)}\n" for key, value in lines.items())
    return quoted + "\n".join(kept) + "\n"


@pytest.mark.parametrize(
    "ps",
    [
        "Sign it: [add your name here.](https://example.org/sign)",
        "Thank you for [adding](https://example.org/letter) your voice.",
        "[Name the street](https://example.org/vote) in our vote.",
    ],
)
def test_link_text_is_not_a_placeholder(make_room, capsys, ps):
    root = make_room({"contacts/press.csv": PRESS_LIST, "releases/x.yaml": release_with(ps=ps)})
    result = run(capsys, root, "check")
    assert result.code == 0 and "[placeholder]" not in result.err, result.err


@pytest.mark.parametrize("ps", ["[ADD QUOTE]", "[add your name here]", "Call [NAME] at TK."])
def test_a_bracketed_marker_still_is(make_room, capsys, ps):
    root = make_room({"contacts/press.csv": PRESS_LIST, "releases/x.yaml": release_with(ps=ps)})
    result = run(capsys, root, "check")
    assert (
        result.code == 1 and "releases/x.yaml:1:1: error: ps: unresolved placeholder" in result.err
    )


def test_a_scraped_email_mask_is_an_error_in_a_release(make_room, capsys):
    ps = "Write to [email protected] for the report."
    root = make_room({"contacts/press.csv": PRESS_LIST, "releases/x.yaml": release_with(ps=ps)})
    result = run(capsys, root, "check")
    assert result.code == 1
    assert (
        "releases/x.yaml:1:1: error: ps: '[email protected]' in place of an email address"
        in result.err
    )
    assert "[scraped-email]" in result.err


def test_a_scraped_email_mask_is_an_error_in_pressroom_yaml(make_room, capsys):
    from tests.conftest import MINIMAL_ROOM

    room = MINIMAL_ROOM.replace(
        "  boilerplate: Example Justice Network works",
        "  boilerplate: Write to [email protected]. Example Justice Network works",
    )
    root = make_room({"contacts/press.csv": PRESS_LIST}, room=room)
    result = run(capsys, root, "check")
    assert (
        result.code == 1
        and "pressroom.yaml:5:3: error: org.boilerplate: '[email protected]'" in result.err
    )

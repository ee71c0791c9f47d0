"""The personal greeting above a sent email: an open letter is greeted once, by its own
salutation; ``greeting:`` turns the greeting off or words it, per release type and per
release (issue 19, item 6). Sent for real through the outbox and through the official
SendGrid client to the SendGrid-compatible server."""

from __future__ import annotations

import re
import shutil
from email import message_from_bytes, policy
from pathlib import Path

from tests.cli_runner import run

LETTER = "2026-12-08-transit-letter"  # salutation: Dear Administrator Penn-Yates and ...
ADVISORY = "2026-12-02-advisory-petition-delivery"


def sent(root: Path, name: str) -> dict[str, tuple[str, str]]:
    """Address -> (text part, HTML part) of every message of *name* in the outbox."""
    found = {}
    for path in sorted((root / ".pressroom" / "outbox" / name).glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        plain = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
        found[str(message["To"].addresses[0].addr_spec).lower()] = (plain, html)
    assert found, f"nothing of {name} in the outbox"
    return found


def set_room_greeting(root: Path, yaml: str) -> None:
    path = root / "pressroom.yaml"
    path.write_text(path.read_text(encoding="utf-8") + yaml, encoding="utf-8")


def test_an_open_letter_is_greeted_once_by_its_salutation(room, capsys):
    result = run(capsys, room, "send", LETTER, "--yes")
    assert result.code == 0, result.err
    for plain, html in sent(room, LETTER).values():
        first = next(line for line in plain.splitlines() if line.strip())
        assert not first.startswith(("Dear Ana", "Hello,")), first
        assert "Dear Administrator Penn-Yates and Chair Kincaid," in plain
        assert 'class="greeting-cell"' not in html
        assert "{{greeting}}" not in plain + html
        assert not re.search(r"\bHello,", plain)


def test_the_greeting_is_worded_per_release_type(room, capsys):
    set_room_greeting(room, 'greeting:\n  media-advisory: "Hi {name} –"\n  statement: false\n')
    result = run(capsys, room, "send", ADVISORY, "--yes")
    assert result.code == 0, result.err
    messages = sent(room, ADVISORY)
    plain, html = messages["ana@dailyledger.example"]
    assert plain.splitlines()[0] == "Hi Ana –"
    assert ">Hi Ana –</td>" in html
    # a journalist without a first name: the usual words, not "Hi  –"
    nameless = [p for p, _ in messages.values() if not p.startswith("Hi ")]
    assert all(p.splitlines()[0] == "Hello," for p in nameless)


def test_greeting_false_turns_it_off_and_a_release_can_ask_for_it_back(room, capsys):
    set_room_greeting(room, "greeting: false\n")
    assert run(capsys, room, "send", ADVISORY, "--yes").code == 0
    for plain, html in sent(room, ADVISORY).values():
        assert not plain.startswith(("Dear ", "Hello,")) and 'class="greeting-cell"' not in html

    letter = room / "releases" / f"{LETTER}.yaml"
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("salutation:", "greeting: true\nsalutation:", 1))
    assert run(capsys, room, "send", LETTER, "--yes").code == 0
    plain, _ = sent(room, LETTER)["ana@dailyledger.example"]
    assert plain.splitlines()[0] == "Dear Ana,"  # the release's own key wins


def test_sendgrid_sends_no_greeting_for_a_letter(room, server, capsys):
    result = run(capsys, room, "send", LETTER, "--yes")
    assert result.code == 0, result.err
    [request] = server.sent
    payload = request.payload
    assert all("{{greeting" not in c["value"] for c in payload["content"])
    for personal in payload["personalizations"]:  # no tag to fill: none is sent
        assert not any("greeting" in tag for tag in personal.get("substitutions", {}))
    assert "Dear Administrator Penn-Yates" in payload["content"][0]["value"]


def test_a_bad_greeting_is_named_at_its_line(room, capsys):
    set_room_greeting(room, 'greeting:\n  open-leter: false\n  statement: "Hi {first},"\n')
    result = run(capsys, room, "check")
    assert result.code != 0
    said = result.out + result.err
    assert (
        "pressroom.yaml" in said and "open-leter" in said and "did you mean 'open-letter'" in said
    )
    assert "Traceback" not in said

    set_room_greeting_only = (
        (room / "pressroom.yaml").read_text().replace("open-leter", "open-letter")
    )
    (room / "pressroom.yaml").write_text(set_room_greeting_only)
    result = run(capsys, room, "check")
    said = result.out + result.err
    assert result.code != 0 and "{first}" in said and "{name}" in said

    (room / "pressroom.yaml").write_text(set_room_greeting_only.replace('"Hi {first},"', "[1]"))
    result = run(capsys, room, "check")
    assert result.code != 0 and "greeting" in result.out + result.err


def test_a_greetings_text_is_given_by_language(room, capsys):
    from pressroom.i18n.labels import words_for

    set_room_greeting(
        room, 'greeting:\n  media-advisory: {en: "Hi {name},", de: "Hallo {name},"}\n'
    )
    advisory = room / "releases" / f"{ADVISORY}.yaml"
    english = advisory.read_text(encoding="utf-8")
    advisory.write_text("language: de\n" + english, encoding="utf-8")
    assert run(capsys, room, "send", ADVISORY, "--yes").code == 0
    plain, _ = sent(room, ADVISORY)["ana@dailyledger.example"]
    assert plain.splitlines()[0] == "Hallo Ana,"

    # a language the mapping does not give: the usual greeting, in the release's language
    shutil.rmtree(room / ".pressroom")  # a fresh rehearsal
    advisory.write_text("language: fr\n" + english, encoding="utf-8")
    assert run(capsys, room, "send", ADVISORY, "--yes").code == 0
    plain, _ = sent(room, ADVISORY)["ana@dailyledger.example"]
    french = words_for("fr")("Dear %(name)s,", name="Ana")
    assert french != "Dear Ana," and plain.splitlines()[0] == french

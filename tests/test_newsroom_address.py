"""The .ics an email carries links to the release's page where the newsroom really is
(issue 19, item 13): when ``pressroom site --base-url`` publishes it somewhere else than
``org.website``, the emails sent afterwards follow it; ``org.newsroom`` wins over both."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from tests.cli_runner import run
from tests.conftest import NOW

ADVISORY = "2026-12-02-advisory-petition-delivery"
PRESS = "https://press.sidewalkcommons.example/"


def ics_url(room: Path) -> str:
    [path] = sorted((room / ".pressroom" / "outbox" / ADVISORY).glob("ana*.eml"))
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    [ics] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    text = ics.get_content()  # type: ignore[attr-defined]
    unfolded = text.replace("\r\n ", "").replace("\n ", "")
    [line] = [line for line in unfolded.splitlines() if line.startswith("URL")]
    return line.partition(":")[2]


def publish(room: Path, capsys, monkeypatch, *args: str):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("PRESSROOM_NOW")  # a real build, as of now
    result = run(capsys, room, "site", "--out", str(room / "public"), *args)
    monkeypatch.setenv("PRESSROOM_NOW", NOW)
    assert result.code == 0, result.err
    return result


def test_the_ics_links_to_where_site_published_the_newsroom(room, capsys, monkeypatch):
    built = publish(room, capsys, monkeypatch, "--base-url", PRESS)
    assert "set org.newsroom: " + PRESS in built.err  # the team is told how to share it
    assert run(capsys, room, "send", "advisory-petition-delivery", "--yes").code == 0
    assert ics_url(room) == f"{PRESS}{ADVISORY}/"


def test_without_a_published_address_the_ics_links_to_the_website(room, capsys):
    assert run(capsys, room, "send", "advisory-petition-delivery", "--yes").code == 0
    assert ics_url(room) == f"https://www.sidewalkcommons.example/{ADVISORY}/"


def test_a_rehearsal_or_a_local_build_never_reaches_an_email(room, capsys, monkeypatch):
    rehearsal = run(
        capsys, room, "site", "--use-pressroom-now", "--out", str(room / "r"), "--base-url", PRESS
    )
    assert rehearsal.code == 0, rehearsal.err
    publish(room, capsys, monkeypatch, "--base-url", "http://localhost:8000")
    assert run(capsys, room, "send", "advisory-petition-delivery", "--yes").code == 0
    assert ics_url(room) == f"https://www.sidewalkcommons.example/{ADVISORY}/"


def test_org_newsroom_wins(room, capsys, monkeypatch):
    config = room / "pressroom.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "org:\n", "org:\n  newsroom: https://news.sidewalkcommons.example/\n", 1
        )
    )
    built = publish(room, capsys, monkeypatch, "--base-url", PRESS)
    assert "emails link to org.newsroom (https://news.sidewalkcommons.example/)" in built.err
    assert run(capsys, room, "send", "advisory-petition-delivery", "--yes").code == 0
    assert ics_url(room) == f"https://news.sidewalkcommons.example/{ADVISORY}/"

"""The newsroom waits for a scheduled send (issue 19, item 7): a release sent with
``send --at``, held by SendGrid or waiting in the send log for ``dispatch``, is
published by ``pressroom site`` at that time, not at its date; ``site`` says what it
holds back and until when. Both log backends; SendGrid is the compatible test server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_runner import run

LISTINGS = ("index.html", "sitemap.xml")
RELEASE = "2026-11-23-streetsight-suspended"  # dated Nov 23; the tests' NOW is Nov 23 12:00 UTC


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, room, monkeypatch) -> Iterator[str]:
    if request.param == "postgresql":
        monkeypatch.setenv("PRESSROOM_DATABASE_URL", request.getfixturevalue("postgres_url"))
    yield request.param


def site(capsys, room: Path, now: str | None = None) -> tuple[str, Path]:
    out = room / "public"
    args = ["site", "--use-pressroom-now", "--out", str(out)]
    result = run(capsys, room, *args)
    assert result.code == 0, result.err
    return result.out, out


def count(said: str, what: str) -> int:
    return int(re.findall(rf"(\d+) {what}", said)[-1])


def mentioned(out: Path) -> bool:
    """Listed on the index or in the sitemap (another release's text may link to it)."""
    return any(RELEASE in (out / name).read_text(encoding="utf-8") for name in LISTINGS)


def published(out: Path) -> bool:
    return (out / "releases" / RELEASE).exists() or any(out.rglob(f"{RELEASE}*"))


def test_a_send_held_by_sendgrid_holds_the_page_until_its_time(
    room, server, backend, capsys, monkeypatch
):
    before, out = site(capsys, room)
    assert published(out)  # dated today: public without a scheduled send

    at = "2026-11-24 08:00 America/New_York"
    sent = run(capsys, room, "send", "streetsight-suspended", "--at", at, "--yes")
    assert sent.code == 0, sent.err
    said, out = site(capsys, room)
    assert (
        f"     held  {RELEASE}  until 2026-11-24 08:00 EST, when its scheduled send "
        "(send --at) goes out"
    ) in said
    assert count(said, "published") == count(before, "published") - 1
    assert count(said, "held") == count(before, "held") + 1
    assert not published(out)  # removed again: no journalist has it yet
    assert not mentioned(out)  # not on the index nor in the sitemap either

    monkeypatch.setenv("PRESSROOM_NOW", "2026-11-24T13:00:01+00:00")  # 08:00:01 EST
    said, out = site(capsys, room)
    assert RELEASE not in said and published(out) and mentioned(out)


def test_a_send_waiting_in_the_log_for_dispatch_holds_the_page(
    room, server, backend, capsys, monkeypatch
):
    at = "2026-11-30 09:00 America/New_York"  # beyond SendGrid's 72 hours: kept in the log
    sent = run(capsys, room, "send", "streetsight-suspended", "--at", at, "--yes")
    assert sent.code == 0 and "pressroom dispatch" in sent.out
    assert server.sent == []
    said, out = site(capsys, room)
    assert f"held  {RELEASE}  until 2026-11-30 09:00 EST, when its scheduled send" in said
    assert not published(out)

    monkeypatch.setenv("PRESSROOM_NOW", "2026-11-30T14:00:00+00:00")
    said, out = site(capsys, room)
    assert published(out)


def test_a_cancelled_send_no_longer_holds_the_page(room, server, backend, capsys):
    at = "2026-11-24 08:00 America/New_York"
    assert run(capsys, room, "send", "streetsight-suspended", "--at", at, "--yes").code == 0
    assert run(capsys, room, "send", "streetsight-suspended", "--cancel").code == 0
    said, out = site(capsys, room)
    assert RELEASE not in said and published(out)


def test_a_release_already_mailed_is_not_taken_down_by_a_later_schedule(
    room, server, backend, capsys
):
    assert run(capsys, room, "send", "streetsight-suspended", "--yes").code == 0
    source = room / "releases" / f"{RELEASE}.yaml"
    corrected = (
        source.read_text()
        .replace("Demands", "Urges", 1)
        .replace(
            "dateline:",
            "updates:\n  - {label: CORRECTION, date: 2026-11-23, text: The headline said Demands.}\n"
            "dateline:",
            1,
        )
    )
    source.write_text(corrected)
    again = run(
        capsys, room, "send", "streetsight-suspended", "--at", "2026-11-24 08:00 UTC",
        "--correction", "--allow-stale", "--yes",
    )  # fmt: skip
    assert again.code == 0, again.err
    assert "--cancel" in again.out  # the correction waits with SendGrid
    said, out = site(capsys, room)
    assert RELEASE not in said and published(out)

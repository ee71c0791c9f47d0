"""``contacts suppressed`` writes since when in the room's time zone and locale, as
``log`` and ``approvals`` do, not as a UTC stamp from the log (issue 19, item 13).
Both log backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cli_runner import run


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, room, monkeypatch) -> Iterator[str]:
    if request.param == "postgresql":
        monkeypatch.setenv("PRESSROOM_DATABASE_URL", request.getfixturevalue("postgres_url"))
    yield request.param


def test_since_when_is_in_the_rooms_zone(room, backend, capsys):
    # the tests' clock: 2026-11-23 12:00 UTC, 7:00 AM in Baltimore
    assert run(capsys, room, "contacts", "suppress", "ana@dailyledger.example").code == 0
    listed = run(capsys, room, "contacts", "suppressed")
    assert listed.code == 0
    assert "ana@dailyledger.example\tunsubscribe\tNov 23, 2026, 7:00 AM EST\n" in listed.out
    assert "+00:00" not in listed.out and "2026-11-23T" not in listed.out


def test_and_in_the_rooms_locale(room, backend, capsys):
    config = room / "pressroom.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("timezone: America/New_York", "timezone: Europe/Berlin").replace(
            "locale: en_US", "locale: de_DE"
        )
    )
    assert run(capsys, room, "contacts", "suppress", "ana@dailyledger.example").code == 0
    listed = run(capsys, room, "contacts", "suppressed")
    assert "ana@dailyledger.example\tunsubscribe\t23.11.2026, 13:00 MEZ\n" in listed.out

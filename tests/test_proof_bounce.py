"""A proof's bounce (``send --test`` to the writer's own address) never suppresses that
address on the media lists (issue 19, item 13): the proof carries a marker SendGrid
hands back with each event, and such an event suppresses nobody and counts for no
release. The official client talks to the SendGrid-compatible server; the events come
back through ``events import`` as SendGrid posts them; both log backends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pressroom import clock
from tests.cli_runner import run

WRITER = "ana@dailyledger.example"  # the writer, on the national-press list too


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, room, monkeypatch) -> Iterator[str]:
    if request.param == "postgresql":
        monkeypatch.setenv("PRESSROOM_DATABASE_URL", request.getfixturevalue("postgres_url"))
    yield request.param


def bounce_of(request: Any, event_id: str) -> dict[str, Any]:
    """A bounce of *request*'s message to WRITER, as SendGrid's webhook posts it: the
    message's custom_args at the top level, its categories under ``category``."""
    payload = request.payload
    [personal] = [p for p in payload["personalizations"] if p["to"][0]["email"] == WRITER]
    return {
        "email": WRITER,
        "timestamp": int(clock.now().timestamp()),
        "event": "bounce",
        "type": "bounce",
        "reason": "550 5.1.1 mailbox full",
        "sg_event_id": event_id,
        "sg_message_id": f"{request.message_id}.filter0001",
        "category": payload.get("categories", []),
        **payload.get("custom_args", {}),
        **personal.get("custom_args", {}),
    }


def import_events(room: Path, capsys, *events: dict[str, Any]):  # type: ignore[no-untyped-def]
    (room / "events.json").write_text(json.dumps(list(events)), encoding="utf-8")
    done = run(capsys, room, "events", "import", "events.json")
    assert done.code == 0, done.err
    return done


def suppressed(room: Path, capsys) -> str:  # type: ignore[no-untyped-def]
    return run(capsys, room, "contacts", "suppressed").out


def test_a_proofs_bounce_does_not_suppress_the_writer(room, server, backend, capsys):
    sent = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert sent.code == 0, sent.err
    proof = run(capsys, room, "send", "streetsight-suspended", "--test", WRITER, "--yes")
    assert proof.code == 0, proof.err
    *real_requests, proof_request = server.sent  # a batch per language, then the proof
    real_request = next(
        r
        for r in real_requests
        if any(p["to"][0]["email"] == WRITER for p in r.payload["personalizations"])
    )
    assert proof_request.payload["custom_args"]["pressroom_test"] == "yes"
    assert "pressroom_test" not in real_request.payload["custom_args"]

    import_events(room, capsys, bounce_of(proof_request, "proof-bounce-1"))
    assert WRITER not in suppressed(room, capsys)
    # the same bounce of the real send does suppress the address
    import_events(room, capsys, bounce_of(real_request, "real-bounce-1"))
    assert f"{WRITER}\tbounce" in suppressed(room, capsys)


def test_the_category_alone_marks_a_proof(room, server, backend, capsys):
    # events SendGrid posted for a proof sent before the marker existed: the category tells
    assert run(capsys, room, "send", "streetsight-suspended", "--yes").code == 0
    assert run(capsys, room, "send", "streetsight-suspended", "--test", WRITER, "--yes").code == 0
    event = bounce_of(server.sent[-1], "proof-bounce-2")
    del event["pressroom_test"]
    assert "pressroom-test" in event["category"]
    import_events(room, capsys, event)
    assert WRITER not in suppressed(room, capsys)

"""The event receiver in the open: a real ``pressroom events serve`` process on 127.0.0.1,
attacked with unsigned, stale, slow and nested posts over raw sockets.

Every loop here is bounded (a fixed number of connections, a deadline on each
wait), and the server's memory is read from ``/proc/PID/status`` (its resident
set), as an operator's monitoring would.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from pressroom import clock
from tests.cli_runner import run
from tests.sendgrid_server import WebhookSigner
from tests.test_events import Receiver, copy_room, event, start_receiver

SIGNATURE = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP = "X-Twilio-Email-Event-Webhook-Timestamp"
MB = 1 << 20


@pytest.fixture
def started(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Receiver]:
    args = getattr(request, "param", ())
    receiver = start_receiver(copy_room(tmp_path / "room"), WebhookSigner(), *args)
    yield receiver
    receiver.stop()


def address(receiver: Receiver) -> tuple[str, int]:
    parts = urlsplit(receiver.url)
    assert parts.hostname == "127.0.0.1" and parts.port
    return parts.hostname, parts.port


def head(length: int, **headers: str) -> bytes:
    lines = [
        "POST /sendgrid/events HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"Content-Length: {length}",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def now() -> int:
    return int(clock.now().timestamp())


def answer_of(sock: socket.socket, wait: float) -> bytes:
    """What the server says within *wait* seconds (b'' if it closed without a word)."""
    sock.settimeout(wait)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    return data


def rss_mb(receiver: Receiver) -> float:
    status = Path(f"/proc/{receiver.process.pid}/status").read_text()
    [line] = [x for x in status.splitlines() if x.startswith("VmRSS:")]
    return int(line.split()[1]) / 1024


def test_unsigned_and_stale_posts_are_refused_before_their_body_arrives(started):
    """The answer comes while the body (a megabyte declared) has not been sent at all."""
    host, port = address(started)
    for headers, status in (
        ({}, b"401"),
        ({SIGNATURE: "c2lnbmVk"}, b"401"),  # a signature but no timestamp
        ({SIGNATURE: "c2lnbmVk", TIMESTAMP: str(now() - 3600)}, b"403"),  # stale
        ({SIGNATURE: "c2lnbmVk", TIMESTAMP: "yesterday"}, b"403"),
    ):
        with socket.create_connection((host, port), timeout=5) as sock:
            sock.sendall(head(MB, **headers))
            answer = answer_of(sock, 5)
        assert answer.startswith(b"HTTP/1.1 " + status), (headers, answer)
        assert b"connection: close" in answer.lower()


@pytest.mark.parametrize("started", [("--timeout", "1")], indirect=True)
def test_slow_headers_and_slow_bodies_time_out(started):
    host, port = address(started)
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"POST /sendgrid/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and no more
        began = time.monotonic()
        assert answer_of(sock, 5) == b""  # closed
        assert time.monotonic() - began < 4
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"")  # a connection that says nothing at all
        assert answer_of(sock, 5) == b""
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(head(1000, **{SIGNATURE: "c2lnbmVk", TIMESTAMP: str(now())}) + b"[{")
        began = time.monotonic()
        answer = answer_of(sock, 5)
        assert answer.startswith(b"HTTP/1.1 408"), answer
        assert time.monotonic() - began < 4
    batch = [event("delivered", "ana@dailyledger.example", "slow-1")]
    assert started.post(batch).status_code == 200  # still answering


@pytest.mark.parametrize("started", [("--max-connections", "20")], indirect=True)
def test_connections_past_the_cap_are_closed_as_they_open(started):
    host, port = address(started)
    held = [socket.create_connection((host, port), timeout=5) for _ in range(30)]
    try:
        time.sleep(0.5)
        closed = []
        for sock in held:
            sock.setblocking(False)
            try:
                closed.append(sock.recv(1) == b"")
            except BlockingIOError:
                closed.append(False)  # open, waiting for a request
            except ConnectionResetError:
                closed.append(True)
        assert sum(closed) == 10 and not any(closed[:20])
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)
    batch = [event("delivered", "ana@dailyledger.example", "cap-1")]
    assert started.post(batch).status_code == 200


async def _attack(host: str, port: int, data: bytes, send: int) -> asyncio.StreamWriter | None:
    """Open a connection, send *data*'s head and its first *send* bytes, then stall."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
        for start in range(0, send, 1 << 16):
            writer.write(data[start : min(send, start + (1 << 16))])
            await asyncio.wait_for(writer.drain(), 5)
    except (OSError, TimeoutError):
        return None
    return writer


def test_hundreds_of_unsigned_and_slow_posts_leave_memory_bounded_and_signed_posts_answered(
    started,
):
    host, port = address(started)
    baseline = rss_mb(started)
    peak = baseline

    async def flood() -> tuple[list[int], float]:
        nonlocal peak
        declared = 4 * MB
        fake = {SIGNATURE: "c2lnbmVk", TIMESTAMP: str(now())}  # fresh, but not SendGrid's
        slow = head(declared, **fake) + b"[" + b" " * declared
        unsigned = head(declared) + b"[" + b" " * MB
        writers = []
        gate = asyncio.Semaphore(100)

        async def one(data: bytes, send: int) -> None:
            async with gate:
                writer = await _attack(host, port, data, send)
            if writer is not None:
                writers.append(writer)

        attacks = [one(slow, MB // 2) for _ in range(300)] + [
            one(unsigned, 64 * 1024) for _ in range(200)
        ]
        done = asyncio.gather(*attacks)
        while not done.done():
            peak = max(peak, rss_mb(started))
            await asyncio.sleep(0.05)
        await done
        peak = max(peak, rss_mb(started))
        statuses = []
        async with httpx.AsyncClient(timeout=30) as client:
            for number in range(5):  # SendGrid's posts, while the slow ones still hang
                body = json.dumps(
                    [event("delivered", "ana@dailyledger.example", f"flood-{number}")]
                )
                signed = started.signer.headers(body.encode(), now())
                answer = await client.post(started.url, content=body, headers=signed)
                statuses.append(answer.status_code)
                peak = max(peak, rss_mb(started))
        held = rss_mb(started)
        for writer in writers:
            writer.close()
        return statuses, held

    statuses, held = asyncio.run(flood())
    print(f"receiver RSS: {baseline:.0f} MB idle, {peak:.0f} MB at most under the flood")
    assert peak < 150, f"{peak:.0f} MB"
    assert statuses == [200] * 5, statuses
    assert held < 150
    stopping = time.monotonic()
    started.stop()  # with the slow posts still open: no traceback for each, and promptly
    assert time.monotonic() - stopping < 10
    assert "Traceback" not in started.process.stderr.read()  # type: ignore[union-attr]


def test_nested_or_malformed_json_is_a_400_in_the_receiver(started):
    for body in (b"[" * 200_000, b'"a string"', b"{not json", b"[{}]]"):
        answer = started.post(None, body=body)
        assert answer.status_code == 400, (body[:20], answer.status_code, answer.text)
        assert "Traceback" not in answer.text
    assert started.post(None, body=b"\xff\xfe").status_code == 403  # SendGrid signs text
    deep = {"email": "ana@dailyledger.example", "event": "weird", "timestamp": now(),
            "sg_event_id": "deep-1", "data": json.loads("[" * 500 + "]" * 500)}  # fmt: skip
    answer = started.post([deep, event("delivered", "ana@dailyledger.example", "deep-2")])
    assert answer.json() == {"stored": 1, "duplicates": 0, "suppressed": 0, "set_aside": 1}
    started.stop()
    assert "Traceback" not in started.process.stderr.read()  # type: ignore[union-attr]


def test_nested_json_is_a_clear_message_in_events_import(room: Path, capsys) -> None:
    (room / "deep.json").write_text("[" * 200_000)
    done = run(capsys, room, "events", "import", "deep.json")
    assert done.code == 0 and "Traceback" not in done.err
    assert "deep.json: line 1: not JSON (nested deeper than 16 levels): set aside" in done.err
    nested = {"email": "a@outlet.example", "event": "x", "timestamp": 1795000000,
              "more": json.loads("[" * 800 + "]" * 800)}  # fmt: skip
    (room / "nested.json").write_text(json.dumps([nested]))
    done = run(capsys, room, "events", "import", "nested.json")
    assert done.code == 0 and "nested.json: event 1: nested deeper than 16 levels" in done.err

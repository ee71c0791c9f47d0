"""SendGrid's Event Webhook: a real receiver (``pressroom events serve`` in a subprocess),
real signed posts over HTTP, the real SQLite send log.

The tests sign events with a P-256 key pair they make (tests/sendgrid_server.py's
:class:`WebhookSigner`), as SendGrid signs them; forged, unsigned, stale and
oversized posts must be refused and change nothing.
"""

from __future__ import annotations

import json
import queue
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from pressroom import clock
from pressroom.events.parse import parse_body
from pressroom.events.signature import SIGNATURE_HEADER
from pressroom.model.contacts import Recipient
from pressroom.sendlog import Location, SendLog, open_log
from tests.browser import environment
from tests.cli_runner import run
from tests.conftest import REPO
from tests.sendgrid_server import WebhookSigner

SEND_LOG = Path(".pressroom") / "pressroom.db"


@dataclass
class Receiver:
    root: Path
    url: str
    signer: WebhookSigner
    process: subprocess.Popen[str]
    lines: queue.Queue[str] | None = None
    """What the receiver prints after it started."""

    def post(
        self,
        events: object,
        *,
        signer: WebhookSigner | None = None,
        at: int | None = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        data = body if body is not None else json.dumps(events).encode()
        stamp = int(clock.now().timestamp()) if at is None else at
        signed = (signer or self.signer).headers(data, stamp)
        return httpx.post(
            self.url,
            content=data,
            timeout=30,
            headers={"Content-Type": "application/json", **signed, **(headers or {})},
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_receiver(root: Path, signer: WebhookSigner, *args: str) -> Receiver:
    """``pressroom events serve --port 0`` for *root*, trusting *signer*'s key."""
    env = environment(SENDGRID_WEBHOOK_PUBLIC_KEY=signer.public_key)
    process = subprocess.Popen(
        [sys.executable, "-m", "pressroom", "--root", str(root), "events", "serve", "--port", "0",
         *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in iter(process.stdout.readline, "")],  # type: ignore[union-attr]
        daemon=True,
    ).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        if " at POST http://" in line:
            url = line.split(" at POST ", 1)[1].split()[0]
            return Receiver(root, url, signer, process, lines)
    process.kill()
    raise RuntimeError(
        "pressroom events serve did not start: " + (process.stderr.read() if process.stderr else "")
    )  # type: ignore[union-attr]


def copy_room(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy(REPO / "pressroom.yaml", target)
    for folder in ("releases", "contacts", "assets"):
        shutil.copytree(REPO / folder, target / folder)
    return target


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Receiver]:
    root = copy_room(tmp_path_factory.mktemp("events") / "room")
    started = start_receiver(root, WebhookSigner())
    yield started
    started.stop()


def event(kind: str, email: str, event_id: str, **more: object) -> dict[str, object]:
    return {"email": email, "timestamp": int(clock.now().timestamp()), "event": kind,
            "sg_event_id": event_id, "sg_message_id": "abc123.filter0001", **more}  # fmt: skip


def mailed(where: Path | Location, *emails: str) -> None:
    """Record in the log at *where* that pressroom sent an earlier release to *emails*."""
    people = [Recipient(email=email, lists=["press"]) for email in emails]
    with open_log(where) as log:
        log.plan("an-earlier-release", "v1", people)
        log.accept_batch(log.start_batch("an-earlier-release", "v1", [p.key for p in people]), "M0")


def stored_events(root: Path) -> list[tuple[str, str, str]]:
    path = root / SEND_LOG
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name='events'").fetchone():
            return []
        return db.execute("SELECT event_id, kind, email FROM events ORDER BY event_id").fetchall()


def test_unsigned_forged_stale_and_oversized_posts_are_refused_and_change_nothing(receiver):
    before = stored_events(receiver.root)
    batch = [event("bounce", "forged@outlet.example", "forged-1", type="bounce")]
    body = json.dumps(batch).encode()
    now = int(clock.now().timestamp())

    unsigned = httpx.post(receiver.url, content=body, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401
    assert receiver.post(batch, signer=WebhookSigner()).status_code == 403  # another key
    tampered = receiver.signer.headers(body, now)
    changed = body.replace(b"forged@", b"victim@")
    assert httpx.post(receiver.url, content=changed, headers=tampered).status_code == 403
    bad_signature = {**tampered, "X-Twilio-Email-Event-Webhook-Signature": "bm90IGEgc2lnbmF0dXJl"}
    assert httpx.post(receiver.url, content=body, headers=bad_signature).status_code == 403
    assert receiver.post(batch, at=now - 11 * 60).status_code == 403  # stale, correctly signed
    assert receiver.post(batch, at=now + 11 * 60).status_code == 403  # from the future
    # a signature for another timestamp than the one sent
    moved = {**tampered, "X-Twilio-Email-Event-Webhook-Timestamp": str(now - 1)}
    assert httpx.post(receiver.url, content=body, headers=moved).status_code == 403

    huge = json.dumps([event("bounce", f"r{i}@outlet.example", f"huge-{i}") for i in range(40_000)])
    assert len(huge) > 5_000_000
    assert receiver.post(None, body=huge.encode()).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        data = huge.encode()
        for start in range(0, len(data), 1 << 16):
            yield data[start : start + (1 << 16)]

    streamed = httpx.post(
        receiver.url, content=chunks(), headers=receiver.signer.headers(huge.encode(), now)
    )
    assert streamed.status_code == 413
    assert stored_events(receiver.root) == before
    with SendLog.open(receiver.root / SEND_LOG, read_only=True) as log:
        assert not log.is_suppressed("forged@outlet.example")


def test_the_receiver_has_one_route_and_shows_nothing(receiver):
    receiver.post([event("delivered", "ana@dailyledger.example", "route-1")])
    assert httpx.get(receiver.url).status_code == 405
    for path in ("/", "/events", "/sendgrid", "/.pressroom/pressroom.db", "/contacts/national-press.csv",
                 "/pressroom.yaml", "/sendgrid/events/../../pressroom.yaml", "/docs", "/openapi.json"):  # fmt: skip
        answer = httpx.get(receiver.url.replace("/sendgrid/events", path))
        assert answer.status_code in (404, 405), path
        assert "@" not in answer.text and "dailyledger" not in answer.text


def test_a_signed_batch_is_stored_once_however_often_it_comes(receiver):
    batch = [
        event("delivered", "Ana@DailyLedger.example", "once-1"),
        event("open", "ana@dailyledger.example", "once-2", sg_machine_open=True, ip="203.0.113.77"),
        event("open", "ana@dailyledger.example", "once-2", sg_machine_open=True),  # twice in a post
        event(
            "a_kind_from_the_future",
            "ana@dailyledger.example",
            "once-3",
            detail="kept",
            ip="203.0.113.77",
            useragent="Mozilla/5.0 (Secret Browser)",
        ),
    ]
    first = receiver.post(batch)
    assert first.status_code == 200, first.text
    assert first.json() == {"stored": 3, "duplicates": 1, "suppressed": 0, "set_aside": 0}
    again = receiver.post(list(reversed(batch)))
    assert again.json()["stored"] == 0 and again.json()["duplicates"] == 4
    mine = [row for row in stored_events(receiver.root) if row[0].startswith("once-")]
    assert mine == [("once-1", "delivered", "Ana@DailyLedger.example"),
                    ("once-2", "open", "ana@dailyledger.example"),
                    ("once-3", "a_kind_from_the_future", "ana@dailyledger.example")]  # fmt: skip
    with SendLog.open(receiver.root / SEND_LOG, read_only=True) as log:
        [kept] = [e for e in log.events_to("ana@dailyledger.example") if e.event_id == "once-3"]
    assert json.loads(kept.raw)["detail"] == "kept"
    # the reader's IP address and browser are personal data pressroom never keeps
    with sqlite3.connect(receiver.root / SEND_LOG) as db:
        dump = "\n".join(db.iterdump())
    assert "203.0.113.77" not in dump and "Secret Browser" not in dump


def test_bad_addresses_are_suppressed_at_once_with_reason_and_time(receiver):
    mailed(receiver.root / SEND_LOG, *(f"{name}@outlet.example" for name in
           ("gone", "full", "old", "spammy", "angry", "bye", "bye2", "slow")))  # fmt: skip
    stamp = int(clock.now().timestamp()) - 300
    batch = [
        event(
            "bounce",
            "gone@outlet.example",
            "sup-1",
            type="bounce",
            reason="550 5.1.1 no such user",
            timestamp=stamp,
        ),
        event("bounce", "full@outlet.example", "sup-2", type="blocked", reason="452 mailbox full"),
        event("dropped", "old@outlet.example", "sup-3", reason="Bounced Address"),
        event("dropped", "spammy@outlet.example", "sup-4", reason="Spam Content"),
        event("spamreport", "angry@outlet.example", "sup-5"),
        event("unsubscribe", "bye@outlet.example", "sup-6"),
        event("group_unsubscribe", "bye2@outlet.example", "sup-7", asm_group_id=1),
        event("deferred", "slow@outlet.example", "sup-8", response="451 later"),
    ]
    assert receiver.post(batch).json()["suppressed"] == 5
    with SendLog.open(receiver.root / SEND_LOG, read_only=True) as log:
        found = log.suppression_details()
    assert found["gone@outlet.example"] == (
        "bounce",
        "2026-11-23T11:55:00+00:00",
        "hard bounce: 550 5.1.1 no such user",
    )
    assert found["old@outlet.example"][0] == "bounce"
    assert found["angry@outlet.example"][0] == "spamreport"
    assert found["bye@outlet.example"][0] == found["bye2@outlet.example"][0] == "unsubscribe"
    for soft in ("full@outlet.example", "spammy@outlet.example", "slow@outlet.example"):
        assert soft not in found  # a soft bounce or a content drop says nothing of the address


def test_an_old_event_replayed_does_not_suppress_again_someone_put_back(receiver, capsys):
    mailed(receiver.root / SEND_LOG, "back@outlet.example")
    batch = [event("bounce", "back@outlet.example", "back-1", type="bounce")]
    assert receiver.post(batch).json()["suppressed"] == 1
    result = run(capsys, receiver.root, "contacts", "suppress", "--remove", "back@outlet.example")
    assert result.code == 0, result.err
    assert receiver.post(batch).json() == {
        "stored": 0,
        "duplicates": 1,
        "suppressed": 0,
        "set_aside": 0,
    }
    with SendLog.open(receiver.root / SEND_LOG, read_only=True) as log:
        assert not log.is_suppressed("back@outlet.example")


def test_events_about_addresses_never_mailed_are_counted_and_suppress_nobody(receiver):
    mailed(receiver.root / SEND_LOG, "known@outlet.example")
    assert receiver.lines is not None
    before = 0
    while not receiver.lines.empty():  # what the earlier tests' posts made it say
        line = receiver.lines.get()
        if "since start)" in line:
            before = int(line.rsplit("(", 1)[1].split()[0])
    newsletter = [
        event("bounce", "reader@home.example", "news-1", type="bounce", reason="550 gone"),
        event("unsubscribe", "fan@home.example", "news-2", asm_group_id=7),
        event("open", "fan@home.example", "news-3"),
        event("spamreport", "known@outlet.example", "news-4"),  # pressroom mailed this one
    ]
    assert receiver.post(newsletter).json()["suppressed"] == 1
    said = receiver.lines.get(timeout=10)
    assert said.startswith("3 events about addresses pressroom never mailed: recorded, "
                           "suppressing nobody"), said  # fmt: skip
    assert said.rstrip().endswith(f"({before + 3} since start)")
    with SendLog.open(receiver.root / SEND_LOG, read_only=True) as log:
        assert not log.is_suppressed("reader@home.example")
        assert not log.is_suppressed("fan@home.example")
        assert log.is_suppressed("known@outlet.example")
        assert log.outside_events() == before + 3


def test_a_room_can_let_other_mail_suppress_too(make_room, capsys) -> None:
    from tests.conftest import MINIMAL_ROOM

    room = make_room(room=MINIMAL_ROOM + "delivery:\n  suppress_from_other_mail: true\n")
    (room / "events.json").write_text(json.dumps([
        event("bounce", "reader@home.example", "opt-1", type="bounce"),
        event("delivered", "fan@home.example", "opt-2"),
    ]))  # fmt: skip
    done = run(capsys, room, "events", "import", "events.json")
    assert done.code == 0, done.err
    assert "1 address newly suppressed" in done.out
    assert "2 events about addresses pressroom never mailed: recorded, suppressing as " in done.out
    report = run(capsys, room, "report")
    assert report.code == 0, report.err
    assert "2 events about addresses pressroom never mailed arrived" in report.out
    with SendLog.open(room / SEND_LOG, read_only=True) as log:
        assert log.is_suppressed("reader@home.example")


def test_objects_that_are_not_events_are_set_aside_not_crashed_on(receiver):
    batch = [event("delivered", "ok@outlet.example", "aside-1"), "a string", {"event": "open"},
             {"email": "x@outlet.example", "event": "open", "timestamp": "soon"}]  # fmt: skip
    answer = receiver.post(batch)
    assert answer.status_code == 200
    assert answer.json() == {"stored": 1, "duplicates": 0, "suppressed": 0, "set_aside": 3}


def test_the_receiver_refuses_to_start_without_a_key(tmp_path: Path) -> None:
    root = copy_room(tmp_path / "room")
    env = {k: v for k, v in environment().items() if k != "SENDGRID_WEBHOOK_PUBLIC_KEY"}
    for extra in ({}, {"SENDGRID_WEBHOOK_PUBLIC_KEY": "not-a-key"}):
        done = subprocess.run(
            [sys.executable, "-m", "pressroom", "--root", str(root), "events", "serve", "--port", "0"],
            capture_output=True, text=True, env={**env, **extra}, timeout=60,
        )  # fmt: skip
        assert done.returncode == 1
        assert "SENDGRID_WEBHOOK_PUBLIC_KEY" in done.stderr and "Traceback" not in done.stderr


def test_a_stale_limit_can_be_set(tmp_path: Path) -> None:
    signer = WebhookSigner()
    started = start_receiver(copy_room(tmp_path / "room"), signer, "--max-age", "30")
    try:
        batch = [event("delivered", "a@outlet.example", "age-1")]
        now = int(clock.now().timestamp())
        assert started.post(batch, at=now - 60).status_code == 403
        assert started.post(batch, at=now - 20).status_code == 200
    finally:
        started.stop()


# -- parsing -------------------------------------------------------------------


def test_every_kind_is_read_and_unknown_kinds_are_kept() -> None:
    body = "\n".join(json.dumps(e) for e in [
        {"email": "a@x.example", "timestamp": 1795000000, "event": "processed", "sg_event_id": "1",
         "sg_message_id": "MSG1.filterdrecv-1", "pressroom_release": "r", "pressroom_version": "v", "rcpt": "id"},
        {"email": "a@x.example", "timestamp": 1795000060, "event": "bounce", "type": "blocked", "sg_event_id": "2"},
        {"email": "a@x.example", "timestamp": 1795000060, "event": "bounce", "type": "bounce", "sg_event_id": "3"},
        {"email": "a@x.example", "timestamp": 1795000120, "event": "open", "sg_machine_open": True, "sg_event_id": "4"},
        {"email": "a@x.example", "timestamp": 1795000180, "event": "click", "url": "https://example.org/a", "sg_event_id": "5"},
        {"email": "a@x.example", "timestamp": 1795000180, "event": "Account_Status_Change", "sg_event_id": "6"},
    ]) + "\n{not json\n"  # fmt: skip
    events, aside = parse_body(body)
    assert [e.kind for e in events] == [
        "processed",
        "blocked",
        "bounce",
        "open",
        "click",
        "account_status_change",
    ]
    first = events[0]
    assert (first.release, first.version, first.recipient_id, first.message_id) == (
        "r",
        "v",
        "id",
        "MSG1",
    )
    assert [e.suppression for e in events] == [None, None, "bounce", None, None, None]
    assert events[3].machine_open and events[4].url == "https://example.org/a"
    assert [str(a).split(":")[0] for a in aside] == ["line 7"]


def test_events_import_reads_a_file_once(room: Path, capsys) -> None:
    events = [event("delivered", f"r{i}@outlet.example", f"imp-{i}") for i in range(5)]
    events.append(event("spamreport", "r0@outlet.example", "imp-spam"))
    (room / "events.json").write_text(json.dumps(events))
    first = run(capsys, room, "events", "import", "events.json")
    assert first.code == 0, first.err
    assert first.out.strip().splitlines() == [
        "6 new events, 0 already recorded (6 for no delivery in the log), 0 set aside; "
        "0 addresses newly suppressed",
        "6 events about addresses pressroom never mailed: recorded, suppressing nobody "
        "(another sender on this SendGrid account? delivery: suppress_from_other_mail decides)",
    ]
    (room / "events.ndjson").write_text("\n".join(json.dumps(e) for e in events) + "\nnot json\n")
    again = run(capsys, room, "events", "import", "events.ndjson")
    assert again.code == 0
    assert "0 new events, 6 already recorded" in again.out
    assert "events.ndjson: line 7: not JSON" in again.err
    missing = run(capsys, room, "events", "import", "nowhere.json")
    assert missing.code == 1 and "nowhere.json: cannot read it" in missing.err


def test_the_receiver_stores_into_postgresql(tmp_path: Path, postgres_url: str) -> None:
    mailed(Location(url=postgres_url), "ana@dailyledger.example")
    signer = WebhookSigner()
    root = copy_room(tmp_path / "room")
    env = environment(
        SENDGRID_WEBHOOK_PUBLIC_KEY=signer.public_key, PRESSROOM_DATABASE_URL=postgres_url
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "pressroom", "--root", str(root), "events", "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        started = Receiver(root, line.split(" at POST ", 1)[1].split()[0], signer, process)
        batch = [event("delivered", "ana@dailyledger.example", "pg-1"),
                 event("spamreport", "ana@dailyledger.example", "pg-2")]  # fmt: skip
        assert started.post(batch).json()["stored"] == 2
        assert started.post(batch).json()["duplicates"] == 2
    finally:
        process.terminate()
        process.wait(20)
    assert not (root / SEND_LOG).exists()  # nothing went to the SQLite file
    with open_log(Location(url=postgres_url), read_only=True) as log:
        assert [e.event_id for e in log.events_to("ana@dailyledger.example")] == ["pg-1", "pg-2"]
        assert log.suppressions() == {"ana@dailyledger.example": "spamreport"}


def test_a_log_that_cannot_be_written_answers_503_so_sendgrid_retries(tmp_path: Path) -> None:
    root = copy_room(tmp_path / "room")
    (root / SEND_LOG).mkdir(parents=True)  # a folder where the log should be: cannot open it
    started = start_receiver(root, WebhookSigner())
    try:
        batch = [event("bounce", "gone@outlet.example", "retry-1", type="bounce")]
        refused = started.post(batch)
        assert refused.status_code == 503 and "Traceback" not in refused.text
        (root / SEND_LOG).rmdir()
        assert started.post(batch).json()["stored"] == 1  # SendGrid's retry
    finally:
        started.stop()
    stderr = started.process.stderr.read()  # type: ignore[union-attr]
    assert "Traceback" not in stderr


def test_each_post_is_logged_in_one_line_of_counts_without_addresses(tmp_path: Path) -> None:
    root = copy_room(tmp_path / "room")
    mailed(root / SEND_LOG, "ana@dailyledger.example")
    started = start_receiver(root, WebhookSigner())
    try:
        assert started.lines is not None
        batch = [
            event("delivered", "ana@dailyledger.example", "line-1"),
            event("bounce", "ana@dailyledger.example", "line-2", type="bounce", reason="550"),
        ]
        assert started.post(batch).status_code == 200
        assert started.post(batch).status_code == 200  # SendGrid posts again
        assert started.post(batch, headers={SIGNATURE_HEADER: "forged"}).status_code >= 400
        said = [started.lines.get(timeout=10) for _ in range(3)]
    finally:
        started.stop()
    assert said[0] == ("post: 2 events: 2 stored, 0 already had, 1 newly suppressed, 0 set aside\n")
    assert said[1] == "post: 2 events: 0 stored, 2 already had, 0 newly suppressed, 0 set aside\n"
    assert said[2].startswith("post refused (40")
    assert not any("@" in line or "dailyledger" in line for line in said)

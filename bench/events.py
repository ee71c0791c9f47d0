"""Benchmark: how many SendGrid events a second ``pressroom events serve`` takes in.

Run by hand from the repository root (results go in docs/performance.md)::

    .venv/bin/python bench/events.py [--recipients 20000] [--batch 1000] [--repeat 3]

In one run, for a room whose SQLite send log holds one release sent to
--recipients addresses:

1. the receiver end to end: ``pressroom events serve`` in a subprocess, and
   this script posting the events of that send (processed, delivered and an
   open for everyone, a tenth of them twice, shuffled) over HTTP in signed
   posts of --batch events, as SendGrid does; each post is verified
   (ECDSA P-256), parsed, matched and stored before its 200. Events per second
   = events posted / wall time of all posts;
2. the store alone, in this process: ``record_events`` with the same batches;
3. the store alone with the indexes of schema step 3 to 6 (by address, and by
   release, version and address), put back for the comparison: each batch
   rewrote pages all over them, so the store slowed as the log grew;
4. the naive store, for comparison: the same events one transaction each, on
   the first 2,000 events, extrapolated per event (labelled so).

Each figure is the median of --repeat runs, each on a fresh room.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # tests.sendgrid_server

RELEASE = "2026-11-23-streetsight-suspended"
VERSION = "bench-v1"
MESSAGE_ID = "BENCHMSG"
TARGET_PER_SECOND = 5000
NAIVE_EVENTS = 2000


def make_room(base: Path, recipients: int) -> Path:
    from pressroom.model.contacts import Recipient
    from pressroom.sendlog import SendLog

    root = base / "room"
    root.mkdir()
    shutil.copy(REPO / "pressroom.yaml", root)
    shutil.copytree(REPO / "assets", root / "assets")
    people = [Recipient(email=f"reporter{i}@outlet{i % 97}.example") for i in range(recipients)]
    with SendLog.open(root / ".pressroom" / "pressroom.db") as log:
        log.plan(RELEASE, VERSION, people)
        for start in range(0, recipients, 1000):
            chunk = people[start : start + 1000]
            batch = log.start_batch(RELEASE, VERSION, [p.key for p in chunk])
            log.accept_batch(batch, f"{MESSAGE_ID}{start}")
    return root


def make_events(recipients: int, seed: int = 1) -> list[dict[str, object]]:
    rng = random.Random(seed)
    events: list[dict[str, object]] = []
    for i in range(recipients):
        for step, kind in enumerate(("processed", "delivered", "open")):
            events.append(
                {
                    "email": f"reporter{i}@outlet{i % 97}.example",
                    "timestamp": 1795000000 + step * 60,
                    "event": kind,
                    "sg_event_id": f"ev-{i}-{step}",
                    "sg_message_id": f"{MESSAGE_ID}{i // 1000 * 1000}.filter0{i % 7}",
                    "pressroom_release": RELEASE,
                    "pressroom_version": VERSION,
                    "rcpt": f"r{i}",
                    "category": ["pressroom", RELEASE],
                    **({"sg_machine_open": i % 3 == 0} if kind == "open" else {}),
                }
            )
    events += rng.sample(events, len(events) // 10)
    rng.shuffle(events)
    return events


def batches(events: list[dict[str, object]], size: int) -> list[bytes]:
    return [json.dumps(events[i : i + size]).encode() for i in range(0, len(events), size)]


def start_receiver(root: Path, public_key: str) -> tuple[subprocess.Popen[str], str]:
    import os

    env = {**os.environ, "SENDGRID_WEBHOOK_PUBLIC_KEY": public_key, "PRESSROOM_NOW": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "pressroom", "--root", str(root), "events", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if " at POST " not in line:
        process.kill()
        raise SystemExit(
            "the receiver did not start: "
            + line
            + (process.stderr.read() if process.stderr else "")
        )
    return process, line.split(" at POST ", 1)[1].split()[0]


def receiver_run(recipients: int, size: int) -> tuple[float, int]:
    import httpx

    from tests.sendgrid_server import WebhookSigner

    signer = WebhookSigner()
    events = make_events(recipients)
    bodies = batches(events, size)
    with tempfile.TemporaryDirectory() as base:
        root = make_room(Path(base), recipients)
        process, url = start_receiver(root, signer.public_key)
        try:
            with httpx.Client(timeout=120) as client:
                started = time.perf_counter()
                for body in bodies:
                    headers = {
                        "Content-Type": "application/json",
                        **signer.headers(body, int(time.time())),
                    }
                    answer = client.post(url, content=body, headers=headers)
                    assert answer.status_code == 200, answer.text
                elapsed = time.perf_counter() - started
        finally:
            process.terminate()
            process.wait(20)
    return elapsed, len(events)


OLD_INDEXES = (
    "DROP INDEX events_release",
    "CREATE INDEX events_release ON events (release, version, email_key)",
    "CREATE INDEX events_email ON events (email_key)",
)


def store_run(
    recipients: int, size: int, naive: bool, old_indexes: bool = False
) -> tuple[float, int]:
    import sqlite3

    from pressroom.events.parse import parse_body
    from pressroom.sendlog import SendLog

    events = make_events(recipients)
    if naive:
        events = events[:NAIVE_EVENTS]
    parsed = [parse_body(body)[0] for body in batches(events, 1 if naive else size)]
    with tempfile.TemporaryDirectory() as base:
        root = make_room(Path(base), recipients)
        if old_indexes:
            with sqlite3.connect(root / ".pressroom" / "pressroom.db") as raw:
                for statement in OLD_INDEXES:
                    raw.execute(statement)
        with SendLog.open(root / ".pressroom" / "pressroom.db", events=True) as log:
            started = time.perf_counter()
            for batch in parsed:
                log.record_events(batch)
            elapsed = time.perf_counter() - started
    return elapsed, len(events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for label, run in (
        (
            "receiver, end to end (HTTP, signature, parse, store)",
            lambda: receiver_run(args.recipients, args.batch),
        ),
        (
            "store alone (record_events per post)",
            lambda: store_run(args.recipients, args.batch, False),
        ),
        (
            "store alone, before: indexes of schema steps 3 to 6",
            lambda: store_run(args.recipients, args.batch, False, old_indexes=True),
        ),
        (
            f"naive store: one transaction per event (first {NAIVE_EVENTS}, extrapolated)",
            lambda: store_run(args.recipients, args.batch, True),
        ),
    ):
        rates = []
        for _ in range(args.repeat):
            elapsed, count = run()
            rates.append(count / elapsed)
        rows.append((label, count, statistics.median(rates)))
    print(f"{args.recipients} recipients, posts of {args.batch} events, median of {args.repeat}")
    print(f"{'':<78} {'events':>8} {'events/s':>10}")
    for label, count, rate in rows:
        print(f"{label:<78} {count:>8} {rate:>10,.0f}")
    end_to_end = rows[0][2]
    verdict = "meets" if end_to_end >= TARGET_PER_SECOND else "MISSES"
    print(f"target: >= {TARGET_PER_SECOND:,} events/s end to end: {verdict} ({end_to_end:,.0f})")


if __name__ == "__main__":
    main()

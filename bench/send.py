"""Benchmark: sending one release with a 200 KB PDF to many recipients, beside the naive ways.

Run by hand from the repository root (results go in docs/performance.md)::

    .venv/bin/python bench/send.py [--recipients 10000,100000] [--repeat 3]
        [--naive-limit 1000] [--sample 200] [--no-smtp] [--quick]

In one run, against servers on 127.0.0.1 that this script starts (the
SendGrid-compatible server of tests/sendgrid_server.py and an aiosmtpd SMTP
server), each sender in a fresh process of its own so that its peak memory is
its own (the servers run in this process):

1. pressroom's SendGrid transport, batches of 1,000: requests, wall time, peak
   memory (RSS), and the bytes on the wire (the request bodies the server
   received) beside the estimate requests x attachment-in-base64 + recipients
   x 150 B;
2. the naive loop: one Mail Send request per recipient with the same official
   ``sendgrid`` client and the same server, on the first --naive-limit
   recipients, extrapolated per message to the full list (labelled so);
3. awdeorio's mailmerge (``pip install mailmerge``) sending the same release
   and attachment over SMTP, on --sample recipients, extrapolated;
4. pressroom's SMTP transport on the same SMTP server, on --sample
   recipients, extrapolated.

Each figure is the median of --repeat runs. Wall time is the sending itself:
interpreter start, imports and making the recipient list are left out.

With ``--cli`` it measures instead the whole command a user runs, ``pressroom
send RELEASE --list big --yes`` (loading the list, rendering, planning,
logging, batching, sending) in a fresh process, from start to exit, with the
send log in SQLite and in PostgreSQL (a database of its own on
127.0.0.1:5432, dropped after), beside bench/minimal_sender.py (the least a
sender must do: read the CSV, skip duplicates, post batches of 1,000 with the
attachment, keep no log), all against bench/standin_sendgrid.py, a server in
a process of its own that reads each request and answers 202 without
checking it, so that the senders' own work is what is compared. Rounds are
interleaved; each figure is the median: wall time, CPU time (user + system,
steadier on a shared machine), their ratios to the minimal sender, peak
memory (RSS). Each send follows a ``pressroom build`` of the release in its
room, outside the time, as in the README (the minimal sender's files are
made by ``pressroom build`` too): the send attaches the PDFs the build
printed. ``--cold`` adds a send with no build before it, which prints them.
``--before REF`` runs the pressroom of a git commit (exported to a temporary
folder) in the same rounds; ``--split`` adds where a batch's time goes (the
send log's claim and accept beside the request)::

    .venv/bin/python bench/send.py --cli [--recipients 100000] [--repeat 3]
        [--before REF] [--cold] [--quick] [--split [--split-before REF]]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import pickle
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # tests.sendgrid_server
sys.path.insert(0, str(REPO / "bench"))  # standin_sendgrid

RELEASE = "2026-11-23-streetsight-suspended"
PDF_BYTES = 200_000
BATCH = 1000
PER_RECIPIENT = 150  # bytes per recipient in the estimate the targets use
FIRST_NAMES = ["Ana", "Michael", "Priya", "Tomás", "Grace", "Wei", "Amara", "Jonas"]

TARGET_REQUESTS_PER_100K = 100
TARGET_BYTES_WITHIN = 0.10
TARGET_PEAK_MIB = 300
TARGET_SPEEDUP = 50


# -- what is sent ---------------------------------------------------------------


def make_content(path: Path) -> int:
    """The example breaking release's email with a 200 KB PDF, pickled to *path*; its size."""
    from pressroom.deliver.contents import content_for
    from pressroom.deliver.message import Attachment
    from pressroom.load.room import load_releases, load_room
    from pressroom.render.context import document
    from pressroom.render.environment import make_environment

    room = load_room(REPO)
    [release] = load_releases(room, [RELEASE])
    pdf = b"%PDF-1.7\n" + random.Random(0).randbytes(PDF_BYTES - 9)  # incompressible
    content = content_for(room, release, document(room, release), make_environment(), {"pdf": pdf})
    attachment = Attachment(f"{RELEASE}.pdf", "application/pdf", pdf)
    content = dataclasses.replace(content, attachments=(attachment,))
    path.write_bytes(pickle.dumps(content))
    return len(pdf)


def recipient(index: int) -> tuple[str, str, str]:
    """(address, name, first name) of the *index*-th made-up reporter."""
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    return f"reporter{index:06d}@outlet{index % 997}.example", f"{first} Reporter{index}", first


def base64_size(size: int) -> int:
    return 4 * ((size + 2) // 3)


# -- the senders, each run in a child process -------------------------------------


def child_pressroom_sendgrid(content: Any, count: int, url: str) -> dict[str, Any]:
    from pressroom.deliver.message import Delivery
    from pressroom.deliver.sendgrid import SendGrid
    from tests.sendgrid_server import API_KEY

    deliveries = [Delivery(a, n, f"Dear {f},") for a, n, f in map(recipient, range(count))]
    start = time.perf_counter()
    transport = SendGrid(API_KEY, url)
    for first in range(0, count, transport.batch_size):
        transport.send(content, deliveries[first : first + transport.batch_size])
    return {"seconds": time.perf_counter() - start, "sent": count}


def child_naive_sendgrid(content: Any, count: int, url: str) -> dict[str, Any]:
    """What a script written from SendGrid's quick start does: one request per recipient."""
    import base64

    from sendgrid import SendGridAPIClient
    from sendgrid.helpers.mail import (
        Attachment,
        Disposition,
        FileContent,
        FileName,
        FileType,
        From,
        Mail,
        To,
    )

    from pressroom.deliver.message import GREETING
    from tests.sendgrid_server import API_KEY

    people = [recipient(i) for i in range(count)]
    start = time.perf_counter()
    client = SendGridAPIClient(api_key=API_KEY, host=url)
    [pdf] = content.attachments
    encoded = base64.b64encode(pdf.data).decode("ascii")  # once: the naive loop is not silly
    for address, name, first in people:
        greeting = f"Dear {first},"
        mail = Mail(
            from_email=From(content.sender, content.sender_name),
            to_emails=To(address, name),
            subject=content.subject,
            plain_text_content=content.text.replace(GREETING, greeting),
            html_content=content.html.replace(GREETING, greeting),
        )
        mail.attachment = Attachment(
            FileContent(encoded),
            FileName(pdf.filename),
            FileType(pdf.content_type),
            Disposition("attachment"),
        )
        response = client.send(mail)
        assert response.status_code == 202, response.status_code
    return {"seconds": time.perf_counter() - start, "sent": count}


def child_pressroom_smtp(content: Any, count: int, port: int) -> dict[str, Any]:
    from pressroom.deliver.message import Delivery
    from pressroom.deliver.smtp import Smtp

    deliveries = [Delivery(a, n, f"Dear {f},") for a, n, f in map(recipient, range(count))]
    start = time.perf_counter()
    with Smtp("127.0.0.1", port, security="none") as transport:
        for delivery in deliveries:
            transport.send(content, [delivery])
    return {"seconds": time.perf_counter() - start, "sent": count}


MAILMERGE_TEMPLATE = """\
TO: "{{{{name}}}}" <{{{{email}}}}>
FROM: {sender}
SUBJECT: {subject}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-boundary"
ATTACHMENT: {attachment}

--mixed-boundary
Content-Type: multipart/alternative; boundary="alternative-boundary"

--alternative-boundary
Content-Type: text/plain; charset=utf-8

{text}
--alternative-boundary
Content-Type: text/html; charset=utf-8

{html}
--alternative-boundary--

--mixed-boundary--
"""


def child_mailmerge(content: Any, count: int, port: int) -> dict[str, Any]:
    """mailmerge as its README shows it: a template, a CSV database, a server config."""
    with tempfile.TemporaryDirectory(prefix="bench-mailmerge-") as tmp:
        return _mailmerge(content, count, port, Path(tmp))


def _mailmerge(content: Any, count: int, port: int, folder: Path) -> dict[str, Any]:
    import csv

    from mailmerge.__main__ import main as mailmerge

    from pressroom.deliver.message import GREETING

    [pdf] = content.attachments
    (folder / pdf.filename).write_bytes(pdf.data)
    sender = f"{content.sender_name} <{content.sender}>"

    def jinja_safe(part: str) -> str:  # the release's own text, raw, around the greeting
        before, _, after = part.partition(GREETING)
        raw = "{{% raw %}}{}{{% endraw %}}"
        return raw.format(before) + "Dear {{first_name}}," + raw.format(after)

    (folder / "template.txt").write_text(
        MAILMERGE_TEMPLATE.format(
            sender=sender,
            subject=content.subject,
            attachment=pdf.filename,
            text=jinja_safe(content.text),
            html=jinja_safe(content.html),
        ),
        encoding="utf-8",
    )
    with (folder / "database.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["email", "name", "first_name"])
        writer.writerows(recipient(i) for i in range(count))
    (folder / "server.conf").write_text(
        f"[smtp_server]\nhost = 127.0.0.1\nport = {port}\n", encoding="utf-8"
    )
    args = ["--template", str(folder / "template.txt"), "--database", str(folder / "database.csv")]
    args += ["--config", str(folder / "server.conf"), "--no-dry-run", "--no-limit"]
    args += ["--output-format", "text"]
    start = time.perf_counter()
    mailmerge.main(args, standalone_mode=False)
    return {"seconds": time.perf_counter() - start, "sent": count}


CHILDREN = {
    "pressroom-sendgrid": child_pressroom_sendgrid,
    "naive-sendgrid": child_naive_sendgrid,
    "pressroom-smtp": child_pressroom_smtp,
    "mailmerge": child_mailmerge,
}


def run_child(kind: str, content_path: Path, count: int, target: str | int) -> dict[str, Any]:
    """Run sender *kind* in a fresh interpreter; its result with ``peak_mib`` added."""
    with tempfile.NamedTemporaryFile(suffix=".json") as result:
        subprocess.run(
            [sys.executable, __file__, "--child", kind, str(content_path), str(count)]
            + [str(target), result.name],
            check=True,
            cwd=REPO,
            stdout=subprocess.DEVNULL,  # mailmerge prints every message
        )
        return dict(json.loads(Path(result.name).read_text()))


def child_main(argv: Sequence[str]) -> None:
    kind, content_path, count, target, result_path = argv
    content = pickle.loads(Path(content_path).read_bytes())
    where: str | int = target if kind.endswith("sendgrid") else int(target)
    result = CHILDREN[kind](content, int(count), where)  # type: ignore[operator]
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(result_path).write_text(json.dumps(result))


# -- the SMTP server ----------------------------------------------------------------


class Counting:
    """An aiosmtpd handler that counts messages, bytes and connections, and keeps nothing."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.messages = 0
            self.bytes = 0
            self.peers: set[str] = set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages += 1
            self.bytes += len(envelope.original_content or envelope.content)
            self.peers.add(str(session.peer))
        return "250 OK"


# -- measuring ------------------------------------------------------------------------


@dataclasses.dataclass
class Row:
    sender: str
    recipients: int
    measured_on: int  # recipients actually sent to in each run
    requests: float  # requests or SMTP connections, for the full list
    seconds: float  # for the full list (extrapolated when measured_on < recipients)
    peak_mib: float  # of the measured run
    wire_bytes: float  # for the full list

    @property
    def extrapolated(self) -> bool:
        return self.measured_on != self.recipients


def median_runs(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def measure_sendgrid(
    kind: str, content_path: Path, count: int, sample: int, repeat: int
) -> dict[str, float]:
    from tests.sendgrid_server import SendGridServer

    runs = []
    for _ in range(repeat):
        with SendGridServer(keep_payloads=False) as server:
            result = run_child(kind, content_path, sample, server.url)
            mail = server.mail
            assert all(r.status == 202 for r in mail), {r.status for r in mail}
            assert sum(r.recipients for r in mail) == sample
            runs.append(
                {
                    "seconds": result["seconds"],
                    "peak_mib": result["peak_mib"],
                    "requests": len(mail),
                    "wire_bytes": sum(r.size for r in mail),
                }
            )
    return median_runs(runs)


def measure_smtp(
    kind: str, content_path: Path, sample: int, repeat: int, port: int, counter: Counting
) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        counter.reset()
        result = run_child(kind, content_path, sample, port)
        assert counter.messages == sample, (counter.messages, sample)
        runs.append(
            {
                "seconds": result["seconds"],
                "peak_mib": result["peak_mib"],
                "requests": len(counter.peers),
                "wire_bytes": counter.bytes,
            }
        )
    return median_runs(runs)


def scaled(
    name: str, count: int, measured: int, m: dict[str, float], per_message: bool = True
) -> Row:
    """A row for *count* recipients from runs on *measured* of them: per message times count.

    *per_message*: whether requests (connections) grow with the list; pressroom's
    SMTP transport keeps one connection however long the list.
    """
    factor = count / measured
    return Row(
        name,
        count,
        measured,
        m["requests"] * factor if per_message else m["requests"],
        m["seconds"] * factor,
        m["peak_mib"],
        m["wire_bytes"] * factor,
    )


def megabytes(size: float) -> str:
    return f"{size / 1e6:,.1f} MB"


def duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 120:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.2f} s"


def table(rows: list[Row]) -> str:
    lines = [
        "| sender | recipients | requests | wall time | peak RSS | bytes on the wire |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        mark = " *" if row.extrapolated else ""
        sample = f" (from {row.measured_on:,})" if row.extrapolated else ""
        lines.append(
            f"| {row.sender}{sample} | {row.recipients:,} | {row.requests:,.0f}{mark} "
            f"| {duration(row.seconds)}{mark} | {row.peak_mib:.0f} MiB "
            f"| {megabytes(row.wire_bytes)}{mark} |"
        )
    lines.append("")
    lines.append(
        "\\* extrapolated from runs on the number of recipients in brackets: per message "
        "times the list. Requests are SMTP connections for the SMTP senders."
    )
    return "\n".join(lines)


def verdicts(rows: list[Row], attachment_b64: int) -> list[str]:
    out = []
    by = {(r.sender, r.recipients): r for r in rows}
    for row in rows:
        if row.sender != "pressroom SendGrid":
            continue
        n = row.recipients
        estimate = row.requests * attachment_b64 + n * PER_RECIPIENT
        off = row.wire_bytes / estimate - 1
        per_recipient = (row.wire_bytes - row.requests * attachment_b64) / n
        allowed = TARGET_REQUESTS_PER_100K * n / 100_000
        out.append(
            f"{n:,} recipients: {row.requests:.0f} requests "
            f"(target at most {allowed:.0f}: {'met' if row.requests <= allowed else 'MISSED'}); "
            f"bytes {megabytes(row.wire_bytes)} vs estimate {megabytes(estimate)}: "
            f"{off:+.1%} (target within 10%: "
            f"{'met' if abs(off) <= TARGET_BYTES_WITHIN else 'MISSED'}; "
            f"{per_recipient:.0f} B per recipient beside the attachments); "
            f"peak {row.peak_mib:.0f} MiB (target under {TARGET_PEAK_MIB}: "
            f"{'met' if row.peak_mib < TARGET_PEAK_MIB else 'MISSED'})"
        )
        naive = by.get(("naive SendGrid loop", n))
        if naive is not None:
            speedup = naive.seconds / row.seconds
            out.append(
                f"{n:,} recipients: {speedup:,.0f}x faster than the naive loop"
                f"{' (extrapolated)' if naive.extrapolated else ''} "
                f"(target at least {TARGET_SPEEDUP}x: "
                f"{'met' if speedup >= TARGET_SPEEDUP else 'MISSED'})"
            )
    return out


# -- the whole command ----------------------------------------------------------------

CLI_TARGET_PEAK_MIB = 150  # 100,000 recipients, the whole command
CLI_TARGET_GROWTH = 1.25  # the peak at 100,000 at most this times the peak at 20,000
CLI_TARGET_LOG_SHARE = 0.5  # "well under the transport's time": at most half of it
CLI_TARGET_RATIO = 2.0  # the whole command at most twice the minimal sender (issue 20)
PEAK_OF = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "used = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(used.ru_utime + used.ru_stime, used.ru_maxrss); sys.exit(code)"
)


def cli_room(folder: Path, count: int, database: str | None, source: Path = REPO) -> Path:
    """A copy of the example room in *source* with a list ``big`` of *count* recipients."""
    import shutil

    room = folder / "room"
    room.mkdir()
    shutil.copy(source / "pressroom.yaml", room)
    for part in ("releases", "contacts", "assets"):
        shutil.copytree(source / part, room / part)
    if database:
        config = room / "pressroom.yaml"
        config.write_text(config.read_text() + f"database: {database}\n")
    rows = ["email,name,first_name"] + [",".join(recipient(i)) for i in range(count)]
    (room / "contacts" / "big.csv").write_text("\n".join(rows) + "\n")
    return room


def cli_run(
    code: Path | None, count: int, backend: str, build_first: bool = True
) -> dict[str, float]:
    """One ``pressroom send`` of *count* recipients against the stand-in server;
    *code*: an older pressroom's folder (None: the working tree's). With
    *build_first*, ``pressroom build`` runs in the room first, outside the time, as
    the README does (and as the minimal sender's files are made): a send attaches
    the PDFs the build printed (a user cache of the run's own)."""
    import os

    from standin_sendgrid import serving

    with tempfile.TemporaryDirectory() as tmp, own_database(backend) as url, serving() as server:
        room = cli_room(Path(tmp), count, url, code or REPO)  # each its own example room
        env = {**os.environ, "SENDGRID_API_KEY": server.api_key}
        env["PRESSROOM_SENDGRID_URL"] = server.url
        env["XDG_CACHE_HOME"] = str(Path(tmp) / "user-cache")  # compiled templates, PDFs
        for name in ("PRESSROOM_DATABASE_URL", "PRESSROOM_PDF_CACHE"):
            env.pop(name, None)
        if code is not None:
            env["PYTHONPATH"] = str(code)
        if build_first:
            build = [sys.executable, "-m", "pressroom", "--root", str(room), "build", RELEASE]
            subprocess.run(build, cwd=tmp, env=env, capture_output=True, check=True)
        command = [sys.executable, "-c", PEAK_OF, sys.executable, "-m", "pressroom"]
        command += ["--root", str(room), "send", RELEASE, "--list", "big", "--yes"]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        assert done.returncode == 0, done.stderr[-2000:]
        assert server.recipients() == count, done.stdout[-2000:]
        return _measured(seconds, done.stdout)


def _measured(seconds: float, stdout: str) -> dict[str, float]:
    """Wall time, CPU time (user + system) and peak memory of a run under PEAK_OF."""
    cpu, peak = stdout.split()[-2:]
    return {"seconds": seconds, "cpu": float(cpu), "peak_mib": int(peak) / 1024}


def minimal_run(built: Path, count: int) -> dict[str, float]:
    """bench/minimal_sender.py, a fresh process, on the same list and the same server."""
    from standin_sendgrid import serving

    with tempfile.TemporaryDirectory() as tmp, serving() as server:
        room = cli_room(Path(tmp), count, None)
        command = [
            sys.executable,
            "-c",
            PEAK_OF,
            sys.executable,
            str(REPO / "bench" / "minimal_sender.py"),
        ]
        command += [str(room / "contacts" / "big.csv"), str(built), server.url, server.api_key]
        command += ["press@sidewalkcommons.example", "BREAKING: " + RELEASE]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=tmp, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        assert done.returncode == 0, done.stderr[-2000:]
        assert server.recipients() == count, done.stdout[-2000:]
        return _measured(seconds, done.stdout)


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


@contextlib.contextmanager
def own_database(backend: str) -> Iterator[str | None]:
    """For "postgresql", a database of its own on 127.0.0.1:5432 (its URL), dropped after."""
    if backend != "postgresql":
        yield None
        return
    import uuid

    import psycopg

    admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)
    name = f"pressroom_bench_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def built_release(folder: Path) -> Path:
    """The release's PDF, HTML and text as ``pressroom build`` makes them, for the
    minimal sender (made once, outside the times measured)."""
    room = cli_room(folder, 1, None)
    subprocess.run(
        [sys.executable, "-m", "pressroom", "--root", str(room), "build", RELEASE]
        + ["--format", "pdf,html,txt"],
        check=True,
        capture_output=True,
    )
    return room / "build" / RELEASE


def run_split(code: Path | None, count: int, backend: str) -> dict[str, float]:
    """:func:`batch_split` in a fresh process, with the pressroom of *code* (an older
    pressroom's folder) or of the working tree."""
    command = [sys.executable, __file__, "--split-child", str(code or ""), str(count), backend]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout.splitlines()[-1]))


def split_child(argv: Sequence[str]) -> None:
    code, count, backend = argv
    if code:
        sys.path.insert(0, code)  # before pressroom is first imported
    print(json.dumps(batch_split(int(count), backend, Path(code) if code else REPO)))


def batch_split(count: int, backend: str, source: Path = REPO) -> dict[str, float]:
    """Where one batch's time goes: the send log's claim and accept beside the
    transport's request (``deliver``'s loop, timed part by part), and the plan of the
    whole list; medians over the batches, in seconds. The server runs in a process of
    its own, so that its work never counts as the log's."""
    import multiprocessing
    import os
    import uuid

    import psycopg

    from pressroom.deliver import send as sending
    from pressroom.deliver.transports import opened
    from pressroom.load.room import load_releases, load_room
    from pressroom.sendlog import open_log

    admin = name = None
    if backend == "postgresql":
        admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)
        name = f"pressroom_bench_{uuid.uuid4().hex[:12]}"
        admin.execute(f'CREATE DATABASE "{name}"')
    saved = dict(os.environ)
    try:
        here, there = multiprocessing.Pipe()
        serving = multiprocessing.get_context("spawn").Process(target=_serve, args=(there,))
        serving.start()
        server_url, api_key = here.recv()
        with tempfile.TemporaryDirectory() as tmp:
            url = f"postgresql://postgres@127.0.0.1:5432/{name}" if name else None
            room = load_room(cli_room(Path(tmp), count, url, source))
            os.environ.update(SENDGRID_API_KEY=api_key, PRESSROOM_SENDGRID_URL=server_url)
            os.environ.pop("PRESSROOM_DATABASE_URL", None)
            [release] = load_releases(room, [RELEASE])
            start = time.perf_counter()
            prepared = sending.prepare(room, release, lists=["big"])
            plan_seconds = time.perf_counter() - start
            assert prepared.log is not None and prepared.count == count
            claims, accepts, transport_times = [], [], []
            with opened(prepared.transport), open_log(prepared.log) as log:
                size = prepared.transport.batch_size
                while True:
                    start = time.perf_counter()
                    claimed = log.claim_batch(RELEASE, prepared.content.version, size)
                    claim = time.perf_counter() - start
                    if claimed is None:
                        break
                    batch_id, batch = claimed
                    deliveries = [sending._delivery(prepared, r, prepared.content) for r in batch]
                    start = time.perf_counter()
                    ids = prepared.transport.send(prepared.content, deliveries)
                    transport_times.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    log.accept_batch(batch_id, dict(zip([r.key for r in batch], ids, strict=True)))
                    accepts.append(time.perf_counter() - start)
                    claims.append(claim)
            here.send("stop")
            assert here.recv() == count
            serving.join()
            return {
                "plan": plan_seconds,
                "claim": statistics.median(claims),
                "accept": statistics.median(accepts),
                "log_batch": statistics.median(
                    [c + a for c, a in zip(claims, accepts, strict=True)]
                ),
                "transport_batch": statistics.median(transport_times),
            }
    finally:
        os.environ.clear()
        os.environ.update(saved)
        if admin is not None:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


def _serve(conn: Any) -> None:
    """The SendGrid-compatible server, in a process of its own, until told to stop;
    then how many recipients it received."""
    from tests.sendgrid_server import SendGridServer

    with SendGridServer(keep_payloads=False) as server:
        conn.send((server.url, server.api_key))
        conn.recv()
        conn.send(sum(r.recipients for r in server.sent))


def exported(ref: str, folder: str) -> None:
    """The pressroom and example room of commit *ref*, written into *folder*."""
    archive = subprocess.run(
        ["git", "archive", ref, "pressroom", "pressroom.yaml", "releases", "contacts", "assets"],
        cwd=REPO,
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)


def split_table(sizes: list[int], repeat: int, label_before: str, code_before: Path) -> None:
    """The second table: where a batch's time goes, before and after, with verdicts."""
    print(
        "| where a batch's time goes | log | recipients | plan (whole list) | claim | "
        "accept | log per batch (claim + accept) | transport per batch (request) | "
        "log / transport |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    shares = {}
    for n in sizes:
        for backend in ("sqlite", "postgresql"):
            for label, code in ((label_before, code_before), ("after", None)):
                print(f"batch split, {label}, {backend}, {n:,} recipients ...", file=sys.stderr)
                split = median_runs([run_split(code, n, backend) for _ in range(repeat)])
                share = split["log_batch"] / split["transport_batch"]
                shares[(label, backend, n)] = share
                print(
                    f"| {label} | {backend} | {n:,} | {duration(split['plan'])} | "
                    + " | ".join(
                        f"{split[part] * 1000:.1f} ms"
                        for part in ("claim", "accept", "log_batch", "transport_batch")
                    )
                    + f" | {share:.2f} |"
                )
    print()
    for (label, backend, n), share in shares.items():
        if label == "after":
            verdict = "met" if share <= CLI_TARGET_LOG_SHARE else "MISSED"
            print(
                f"- after, {backend}, {n:,}: the log per batch is {share:.2f}x the "
                f"transport's time (target at most {CLI_TARGET_LOG_SHARE}x: {verdict})"
            )


def cli_main(
    sizes: list[int],
    repeat: int,
    before: str | None,
    split: bool,
    split_before: str,
    cold: bool = False,
) -> None:
    """Rounds of: pressroom send (SQLite, PostgreSQL), the minimal sender, and with
    *before* the older pressroom on both; medians, ratios to the minimal sender, peaks.
    Each send follows a ``pressroom build`` of the release (outside the time); with
    *cold*, also a send with no build before it, which prints its PDFs."""
    import os

    labels = ["after"] + (["after, no build first"] if cold else [])
    labels += [f"before ({before})"] if before else []
    with tempfile.TemporaryDirectory() as old, tempfile.TemporaryDirectory() as scratch:
        if before:
            exported(before, old)
        built = built_release(Path(scratch))
        print(f"load: {os.getloadavg()[0]:.1f} (1 min) at the start", file=sys.stderr)
        results: dict[tuple[str, str, int], list[dict[str, float]]] = {}
        for n in sizes:
            for round_number in range(repeat):
                runs: list[tuple[str, str, Path | None]] = [("minimal sender", "-", None)]
                for label in labels:
                    code = Path(old) if label.startswith("before") else None
                    runs += [(label, "sqlite", code), (label, "postgresql", code)]
                for label, backend, code in runs:
                    print(
                        f"round {round_number + 1}/{repeat}, {n:,}: {label}, {backend} ...",
                        file=sys.stderr,
                    )
                    if label == "minimal sender":
                        m = minimal_run(built, n)
                    else:
                        m = cli_run(code, n, backend, build_first="no build" not in label)
                    print(
                        f"  {m['seconds']:.2f} s, CPU {m['cpu']:.2f} s, {m['peak_mib']:.0f} MiB",
                        file=sys.stderr,
                    )
                    results.setdefault((label, backend, n), []).append(m)
        print(f"load: {os.getloadavg()[0]:.1f} (1 min) at the end", file=sys.stderr)
    print(
        "| sender, whole command | log | recipients | wall time (median) | x minimal sender "
        "| CPU time (median) | x minimal sender | peak memory |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    verdicts = []
    for n in sizes:
        minimal = median_runs(results[("minimal sender", "-", n)])
        for (label, backend, size), runs in results.items():
            if size != n:
                continue
            m = median_runs(runs)
            ratio, cpu_ratio = m["seconds"] / minimal["seconds"], m["cpu"] / minimal["cpu"]
            print(
                f"| {'pressroom send, ' if label != 'minimal sender' else ''}{label} | {backend} "
                f"| {n:,} | {duration(m['seconds'])} | {ratio:.2f} | {duration(m['cpu'])} "
                f"| {cpu_ratio:.2f} | {m['peak_mib']:.0f} MiB |"
            )
            if label == "after":
                verdicts.append(
                    f"- {backend}, {n:,}: {ratio:.2f}x the minimal sender's wall time (target at "
                    f"most {CLI_TARGET_RATIO}x: {verdict(ratio <= CLI_TARGET_RATIO)}"
                    f"; CPU time {cpu_ratio:.2f}x); peak {m['peak_mib']:.0f} MiB (target under "
                    f"{CLI_TARGET_PEAK_MIB}: {verdict(m['peak_mib'] < CLI_TARGET_PEAK_MIB)})"
                )
    print()
    print("\n".join(verdicts))
    if split:
        print()
        with tempfile.TemporaryDirectory() as older_split:
            exported(split_before, older_split)
            split_table(sizes, repeat, f"before ({split_before})", Path(older_split))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--split-child":
        split_child(sys.argv[2:])
        return
    if "--cli" in sys.argv:
        cli = argparse.ArgumentParser(description="pressroom send, the whole command")
        cli.add_argument("--cli", action="store_true")
        cli.add_argument("--recipients", default="100000")
        cli.add_argument("--repeat", type=int, default=3)
        cli.add_argument("--before", help="also the pressroom of this git ref, in the same rounds")
        cli.add_argument("--quick", action="store_true", help="a smoke run: 10,000, once")
        cli.add_argument("--cold", action="store_true", help="also a send with no build before it")
        cli.add_argument(
            "--split", action="store_true", help="also where a batch's time goes (slower)"
        )
        cli.add_argument(
            "--split-before", default="7be2e0c", help="the pressroom whose batches to split too"
        )
        args = cli.parse_args()
        sizes = [int(s.replace("_", "")) for s in args.recipients.split(",")]
        if args.quick:
            sizes, args.repeat = [10_000], 1
        cli_main(sizes, args.repeat, args.before, args.split, args.split_before, args.cold)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", default="10000,100000", help="comma-separated sizes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-limit", type=int, default=1000, help="naive loop sample size")
    parser.add_argument("--sample", type=int, default=200, help="SMTP senders' sample size")
    parser.add_argument("--no-smtp", action="store_true", help="skip mailmerge and pressroom SMTP")
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    options = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in options.recipients.split(",")]
    if options.quick:
        sizes, options.repeat, options.naive_limit, options.sample = [2000], 1, 50, 50

    from aiosmtpd.controller import Controller

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        content_path = Path(tmp) / "content.pickle"
        pdf_size = make_content(content_path)
        attachment_b64 = base64_size(pdf_size)
        print(
            f"release {RELEASE}, PDF {pdf_size:,} B ({attachment_b64:,} B in base64), "
            f"--repeat {options.repeat}",
            file=sys.stderr,
        )

        for n in sizes:
            print(f"pressroom SendGrid, {n:,} recipients ...", file=sys.stderr)
            m = measure_sendgrid("pressroom-sendgrid", content_path, n, n, options.repeat)
            rows.append(scaled("pressroom SendGrid", n, n, m))

        naive_n = min(options.naive_limit or max(sizes), max(sizes))
        print(f"naive SendGrid loop, {naive_n:,} recipients ...", file=sys.stderr)
        m = measure_sendgrid("naive-sendgrid", content_path, naive_n, naive_n, options.repeat)
        for n in sizes:
            rows.append(scaled("naive SendGrid loop", n, naive_n, m))

        if not options.no_smtp:
            counter = Counting()
            controller = Controller(
                counter,
                hostname="127.0.0.1",
                port=free_port(),
                server_hostname="bench.example",
                data_size_limit=None,
            )
            controller.start()
            try:
                for kind, name in (
                    ("mailmerge", "mailmerge"),
                    ("pressroom-smtp", "pressroom SMTP"),
                ):
                    print(f"{name}, {options.sample:,} recipients ...", file=sys.stderr)
                    m = measure_smtp(
                        kind, content_path, options.sample, options.repeat, controller.port, counter
                    )
                    for n in sizes:
                        rows.append(scaled(name, n, options.sample, m, kind == "mailmerge"))
            finally:
                controller.stop()

    rows.sort(key=lambda r: (r.recipients, r.sender != "pressroom SendGrid"))
    print(table(rows))
    print()
    for line in verdicts(rows, attachment_b64):
        print(f"- {line}")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    main()

"""A stand-in for SendGrid's Mail Send endpoint that does as little as it can.

For ``bench/send.py --cli``: the senders' own work is what the benchmark
compares, so the server must not be the bottleneck. It reads each request's
body, counts its recipients (occurrences of the ``"to"`` key, no JSON parsed,
nothing validated) and answers ``202`` with an ``X-Message-Id``, over HTTP/1.1
so a client that keeps its connection alive may. Any other path gets 404.
Run it in a process of its own (:func:`serving`), so that its work never
shares an interpreter with a sender's or the benchmark's::

    with serving() as server:          # a child process; server.url, server.api_key
        ...
        server.recipients()            # recipients of every request so far (then stops)

Only the standard library.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "SG.stand-in-key"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive for clients that want it
    counted: list[int]
    lock: threading.Lock

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.rstrip("/") != "/v3/mail/send":
            self._answer(404)
            return
        with self.lock:
            self.counted.append(body.count(b'"to"'))
            number = len(self.counted)
        self._answer(202, {"X-Message-Id": f"standin-{number}"})

    def _answer(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _serve(conn: Any) -> None:
    handler = type("Handler", (_Handler,), {"counted": [], "lock": threading.Lock()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    conn.send(f"http://127.0.0.1:{server.server_address[1]}")
    conn.recv()  # until told to stop
    server.shutdown()
    conn.send(sum(handler.counted))


@dataclass
class Serving:
    url: str
    api_key: str
    _conn: Any
    _process: Any
    _total: int | None = None

    def recipients(self) -> int:
        """Recipients received in all; the server stops."""
        if self._total is None:
            self._conn.send("stop")
            self._total = int(self._conn.recv())
            self._process.join()
        return self._total


@contextmanager
def serving() -> Iterator[Serving]:
    """The stand-in server in a process of its own, until the block ends."""
    here, there = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(target=_serve, args=(there,))
    process.start()
    server = Serving(here.recv(), API_KEY, here, process)
    try:
        yield server
    finally:
        if server._total is None:
            try:
                server.recipients()
            except (OSError, EOFError):
                process.kill()

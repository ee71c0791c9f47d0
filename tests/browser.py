"""A real ``pressroom serve`` in a subprocess, and Debian's Chromium driven by Playwright.

Used by tests/test_serve.py and bench/reload.py. The server is started on
``--port 0`` (any free port) and its address read from the line it prints;
then it is polled until it answers, with a deadline rather than a sleep.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import NOW

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Server:
    """A running ``pressroom serve``: its address, and what it has printed so far."""

    root: Path
    url: str
    process: subprocess.Popen[str]
    lines: queue.Queue[tuple[str, str]] = field(default_factory=queue.Queue)

    def output(self) -> tuple[str, str]:
        """(stdout, stderr) printed so far."""
        out, err = [], []
        while True:
            try:
                stream, line = self.lines.get_nowait()
            except queue.Empty:
                return "".join(out), "".join(err)
            (out if stream == "out" else err).append(line)

    def stop(self, sig: int = signal.SIGINT, timeout: float = 20) -> int:
        """Stop it as Ctrl-C would; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SENDGRID_API_KEY"}
    env.update({"PRESSROOM_NOW": NOW, "SOURCE_DATE_EPOCH": "1795000000", **extra})
    return env


def _pump(stream: Any, name: str, lines: queue.Queue[tuple[str, str]]) -> None:
    for line in iter(stream.readline, ""):
        lines.put((name, line))
    stream.close()


def start_server(root: Path, timeout: float = 60, env: dict[str, str] | None = None) -> Server:
    """Start ``pressroom --root ROOT serve --port 0`` and wait until it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pressroom", "--root", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env or environment(),
    )
    lines: queue.Queue[tuple[str, str]] = queue.Queue()
    for stream, name in ((process.stdout, "out"), (process.stderr, "err")):
        threading.Thread(target=_pump, args=(stream, name, lines), daemon=True).start()
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    url = ""
    while not url:
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("pressroom serve did not start:\n" + "".join(seen))
        try:
            stream, line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if stream == "out" and " at http://" in line:
            url = line.split(" at ", 1)[1].split()[0]
    server = Server(root, url, process, lines)
    while True:
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"pressroom serve at {url} does not answer")
        time.sleep(0.05)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Debian's), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def replace_in(path: Path, old: str, new: str) -> str:
    """Replace *old* (which must be there) by *new* in the file; the old text."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text

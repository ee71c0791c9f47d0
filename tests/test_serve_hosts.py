"""The preview on a network: it still answers only the names it serves, and says what it exposes."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest
from starlette.testclient import TestClient

from pressroom.serve.app import create_app
from pressroom.serve.hosts import allowed_hosts, is_loopback


def status(app, host: str) -> int:
    with TestClient(app, base_url=f"http://{host}") as client:
        return client.get("/").status_code


def test_on_the_network_the_host_header_is_still_checked(make_room):
    root = make_room()
    app = create_app(root, workers=0, watch=False, host="0.0.0.0", extra_hosts=["Press.example"])
    assert status(app, "press.example") == 200
    assert status(app, "127.0.0.1") == 200
    assert status(app, "attacker.example") == 400  # DNS rebinding: before, any name passed
    assert status(app, "0.0.0.0") == 400


def test_the_address_listened_on_is_a_name_it_serves(make_room):
    app = create_app(make_room(), workers=0, watch=False, host="192.0.2.7")
    assert status(app, "192.0.2.7") == 200
    assert status(app, "attacker.example") == 400


def test_loopback_and_names():
    assert is_loopback("127.0.0.1") and is_loopback("127.0.0.2") and is_loopback("::1")
    assert is_loopback("localhost") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7")
    assert not is_loopback("press.example")
    assert "*" not in allowed_hosts("0.0.0.0", ["a.example"])
    assert allowed_hosts("::", []) == sorted(["127.0.0.1", "localhost", "::1", "[::1]"])


@pytest.mark.parametrize("host, warned", [("0.0.0.0", True), ("127.0.0.1", False)])
def test_serve_says_loudly_what_it_exposes(host: str, warned: bool, make_room):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    root = make_room()
    command = [sys.executable, "-m", "pressroom", "--root", str(root), "serve", "--port", "0"]
    command += ["--host", host, "--allowed-host", "press.example"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as server:
        try:
            line = server.stdout.readline() if server.stdout else ""
            assert line.startswith("Previewing"), line
            url = line.split(" at ", 1)[1].split()[0]
            port = url.rsplit(":", 1)[1].strip("/")
            base = f"http://127.0.0.1:{port}/"
            for _ in range(100):
                try:
                    ours = httpx.get(base, headers={"Host": "press.example"}, timeout=30)
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            foreign = httpx.get(base, headers={"Host": "attacker.example"}, timeout=30)
            assert (ours.status_code, foreign.status_code) == (200, 400)
        finally:
            server.terminate()
            _, err = server.communicate(timeout=30)
    if warned:
        assert "WARNING: the preview listens on 0.0.0.0" in err
        assert "embargoed and drafts included" in err
        assert "press.example" in err and "--allowed-host" in err
    else:
        assert "WARNING" not in err

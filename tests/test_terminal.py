"""Text from outside never reaches a terminal raw: every printer goes through
pressroom/terminal.py, and the real commands are run here on hostile lists, events
and releases.

The hostile text holds what a terminal would obey: an OSC sequence (sets the window
title), CSI sequences (clear the screen), a C1 CSI in one byte, a carriage return,
a bell, a right-to-left override, and Rich markup.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from pressroom.events.parse import event
from pressroom.model.contacts import Recipient
from pressroom.sendlog import open_log, room_log
from pressroom.terminal import BIDI_CONTROLS, shown, shown_lines
from tests.browser import environment
from tests.cli_runner import run

HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x9b2J\u202eevil\r[bold]X[/bold][link=https://evil.example]Y"
RAW = ("\x1b", "\x9b", "\x07", "\r", "\u202e")
"""What must never be printed: ESC, C1 CSI, BEL, CR, RLO."""
CHECK_ROOM_RELEASE = """\
headline: City Council Votes to Fund Safe Streets Program
dateline: "OAKLAND\\e]0;PWNED\\a\\e[2J\\u202e, Calif[bold]X[/bold]"
date: 2026-11-23
body:
  - >-
    The Oakland City Council voted 7-1 on Monday to fund a safe streets program
    that neighbourhood groups have sought for three years.
distribution:
  lists: [press]
"""


def inert(text: str) -> None:
    for raw in RAW:
        assert raw not in text, (raw, text)
    assert "\x1b" not in text and not any(c in text for c in BIDI_CONTROLS)


def test_shown_makes_every_control_and_override_visible() -> None:
    assert shown(HOSTILE) == (
        "\\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J\\u202eevil\\x0d"
        "[bold]X[/bold][link=https://evil.example]Y"
    )
    assert shown("line\nnext\ttab") == "line\\x0anext\\x09tab"  # a value keeps to its line
    assert shown_lines("line\nnext\ttab\x1b[1m") == "line\nnext\ttab\\x1b[1m"
    for code in [*range(0x20), *range(0x7F, 0xA0)]:
        assert chr(code) not in shown(f"a{chr(code)}b")
    assert shown("Zoë Ørsted, 東京, مرحبا") == "Zoë Ørsted, 東京, مرحبا"


def hostile_room(make_room) -> Path:
    rows = [["email", "name", "outlet"], ["ana@ledger.example", "Ana " + HOSTILE, HOSTILE]]
    root = make_room({"releases/2026-11-23-safe-streets.yaml": CHECK_ROOM_RELEASE})
    (root / "contacts").mkdir(exist_ok=True)
    with (root / "contacts" / "press.csv").open("w", newline="") as file:
        csv.writer(file).writerows(rows)
    return root


def test_names_and_outlets_from_a_list_are_inert_in_what_send_and_contacts_print(make_room, capsys):
    root = hostile_room(make_room)
    dry = run(capsys, root, "send", "safe-streets", "--dry-run")
    assert "\\u202eevil" in dry.out and "[bold]X[/bold]" in dry.out, dry.out + dry.err
    inert(dry.out + dry.err)
    listed = run(capsys, root, "contacts")
    inert(listed.out + listed.err)


def test_release_text_quoted_by_check_is_inert(make_room, capsys):
    root = hostile_room(make_room)
    checked = run(capsys, root, "check")
    assert "[dateline-style]" in checked.err, checked.err
    assert "OAKLAND\\x1b]0;PWNED\\x07\\x1b[2J\\u202e" in checked.err
    inert(checked.out + checked.err)


def test_event_fields_are_inert_in_events_import_log_contacts_and_report(
    make_room, backend, capsys
):
    root = hostile_room(make_room)
    ana = Recipient(email="ana@ledger.example", lists=["press"], name="Ana " + HOSTILE,
                    outlet=HOSTILE)  # fmt: skip
    weird = "x\x1b[2J\u202e@outlet.example"
    with open_log(room_log(root)) as log:
        log.plan("2026-11-23-safe-streets", "v1", [ana])
        batch = log.start_batch("2026-11-23-safe-streets", "v1", [ana.key])
        log.accept_batch(batch, "MSG1")
        log.record_events(
            [
                event(
                    {
                        "email": "ana@ledger.example",
                        "event": "bounce",
                        "type": "blocked",
                        "sg_event_id": "b1",
                        "timestamp": 1795000000,
                        "reason": "452 " + HOSTILE,
                        "pressroom_release": "2026-11-23-safe-streets",
                        "pressroom_version": "v1",
                    }
                ),
                event(
                    {
                        "email": "ana@ledger.example",
                        "event": "click",
                        "sg_event_id": "c1",
                        "timestamp": 1795000100,
                        "url": "https://example.org/[bold]X[/bold]\x1b]8;;x\x07",
                        "pressroom_release": "2026-11-23-safe-streets",
                        "pressroom_version": "v1",
                    }
                ),
                event(
                    {
                        "email": weird,
                        "event": "spamreport",
                        "sg_event_id": "s1",
                        "timestamp": 1795000200,
                        "reason": HOSTILE,
                    }
                ),
            ],  # fmt: skip
            outside_suppress=True,
        )
    (root / "events.json").write_text(
        json.dumps([{"email": "y\x1b]0;PWNED\x07@outlet.example", "timestamp": 1795000000}])
    )
    outputs = [
        run(capsys, root, "events", "import", "events.json"),
        run(capsys, root, "log", "--to", "ana@ledger.example"),
        run(capsys, root, "log", "safe-streets"),
        run(capsys, root, "contacts"),
        run(capsys, root, "contacts", "suppressed"),
        run(capsys, root, "report", "safe-streets"),
        run(capsys, root, "report"),
    ]
    for result in outputs:
        inert(result.out + result.err)
    said = "\n".join(r.out + r.err for r in outputs)
    assert "y\\x1b]0;PWNED\\x07@outlet.example: no event kind" in said  # events import
    assert "x\\x1b[2J\\u202e@outlet.example" in said  # contacts suppressed
    assert "https://example.org/[bold]X[/bold]\\x1b]8;;x\\x07" in said  # log and report


def test_csv_printed_to_a_terminal_is_inert_and_to_a_file_is_data(make_room, tmp_path):
    """``report --csv`` on a real terminal (a pseudo-terminal), and redirected to a file."""
    root = hostile_room(make_room)
    ana = Recipient(email="ana@ledger.example", lists=["press"], name="Ana " + HOSTILE,
                    outlet=HOSTILE)  # fmt: skip
    with open_log(room_log(root)) as log:
        log.plan("2026-11-23-safe-streets", "v1", [ana])
        log.accept_batch(log.start_batch("2026-11-23-safe-streets", "v1", [ana.key]), "MSG1")
    command = [sys.executable, "-m", "pressroom", "--root", str(root), "report", "safe-streets",
               "--csv"]  # fmt: skip
    main, side = os.openpty()
    try:
        done = subprocess.run(
            command, stdout=side, stderr=subprocess.PIPE, env=environment(), timeout=120
        )
        os.close(side)
        side = -1
        seen = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(main)
        if side >= 0:
            os.close(side)
    assert done.returncode == 0, done.stderr
    text = seen.decode()
    assert "\\u202eevil" in text, text
    inert(text.replace("\r\n", "\n"))  # the terminal's own line ends
    to_file = subprocess.run(command, capture_output=True, env=environment(), timeout=120)
    assert "\x1b]0;PWNED\x07\x1b[2J\x9b2J\u202eevil" in to_file.stdout.decode()  # data, kept

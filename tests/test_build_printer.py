"""The PDF printer ``pressroom build`` forks as it starts (pressroom/render/printer.py).

The command is run as installed (its entry point, in a fresh process), so that the
printer is forked before anything else is imported, as it is for a user.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from pressroom.render.printer import wanted
from tests.conftest import REPO

RELEASE = """\
headline: Parks Board Approves Night Lighting Plan
dateline: OAKLAND, Calif.
date: 2026-11-23
body:
  - The parks board approved a plan on Monday to light twelve park paths.
"""

NAME = "2026-11-23-lights"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the printer is forked")


def command(root: Path, *args: str, token: str = "", **popen: object) -> subprocess.Popen[str]:
    """``pressroom --root ROOT ARGS`` as the installed command starts it; *token* marks
    its processes (in their environment) so that a stray one can be found."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795000000", "PRESSROOM_TEST_TOKEN": token}
    env["PYTHONPATH"] = str(REPO)
    code = "import sys\nfrom pressroom.__main__ import main\nsys.exit(main())"
    return subprocess.Popen(
        [sys.executable, "-c", code, "--root", str(root), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,  # type: ignore[arg-type]
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def processes_with(token: str) -> list[int]:
    """The processes still running whose environment holds *token*."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if f"PRESSROOM_TEST_TOKEN={token}".encode() in environ.split(b"\0"):
                found.append(int(entry.name))
    return found


def no_stray(token: str) -> bool:
    for _ in range(50):  # a printer being stopped may take a moment to go
        if not processes_with(token):
            return True
        time.sleep(0.1)
    return False


needs_proc = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="Linux /proc")


def test_the_command_guesses_when_a_build_may_print():
    assert wanted(["build"])
    assert wanted(["--root", "room", "build", "x", "--format", "docx,PDF"])
    assert wanted(["build", "--format=pdf", "--jobs", "2"])
    assert not wanted(["build", "--format", "html,txt"])
    assert not wanted(["build", "--format=docx"])
    assert not wanted(["build", "--jobs", "1"])
    assert not wanted(["build", "--help"])
    assert not wanted(["--help"])
    assert not wanted(["check"])
    assert wanted(["send", "streetsight-suspended", "--yes"])
    assert wanted(["--root", "room", "send", "x", "--test", "me@example.org"])
    assert not wanted(["send", "x", "--dry-run"])
    assert not wanted(["send", "x", "--cancel"])
    assert not wanted(["send", "--help"])
    assert not wanted(["--root", "build", "check"])
    assert not wanted([])


@needs_proc
def test_the_printer_writes_what_one_process_writes(make_room):
    root = make_room({f"releases/{NAME}.yaml": RELEASE})
    token = uuid.uuid4().hex
    printed, one = root / "printed", root / "alone"
    code, out, err = finish(command(root, "build", NAME, "--out", str(printed), token=token))
    assert code == 0, err
    code, alone, err = finish(command(root, "build", NAME, "--out", str(one), "--jobs", "1"))
    assert code == 0, err
    assert out.replace("printed", "alone") == alone
    printed, one = printed / NAME, one / NAME
    assert sorted(p.name for p in printed.iterdir()) == sorted(p.name for p in one.iterdir())
    for path in printed.iterdir():
        assert path.read_bytes() == (one / path.name).read_bytes(), path.name
    assert no_stray(token)


@needs_proc
def test_a_broken_release_stops_the_printer_too(make_room):
    root = make_room({"releases/b.yaml": "headline: B\nbody:\n  - quote: x\n"})
    token = uuid.uuid4().hex
    code, out, err = finish(command(root, "build", token=token))
    assert code == 1
    assert "releases/b.yaml:3:5" in err and "nothing was written" in err
    assert "Traceback" not in err and out == ""
    assert not (root / "build").exists()
    assert no_stray(token)


@needs_proc
def test_a_pdf_the_printer_refuses_is_named_and_the_rest_written(make_room):
    template = (REPO / "pressroom" / "templates" / "print.html.j2").read_text(encoding="utf-8")
    root = make_room(
        {
            f"releases/{NAME}.yaml": RELEASE,
            "templates/print.html.j2": template.replace(
                "<body", '<body><img src="https://tracker.example/x.png" alt=""', 1
            ),
        }
    )
    token = uuid.uuid4().hex
    code, out, err = finish(command(root, "build", token=token))
    assert code == 1, err
    assert f"{NAME}: cannot make the PDF: refused to load https://tracker.example/x.png" in err
    assert "Traceback" not in err
    folder = root / "build" / NAME
    assert sorted(p.suffix for p in folder.iterdir()) == [".docx", ".html", ".txt"]
    assert no_stray(token)


@needs_proc
def test_ctrl_c_stops_the_command_and_its_printer(make_room):
    root = make_room({f"releases/{NAME}.yaml": RELEASE})
    token = uuid.uuid4().hex
    process = command(root, "build", token=token, start_new_session=True)
    for _ in range(600):  # until the build has begun (before, it is Python's own start)
        if (root / "build" / NAME).exists() or process.poll() is not None:
            break
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
    code, out, err = finish(process)
    assert code in (0, 1), err  # "Aborted." (1), or done before the key was pressed (0)
    assert "Traceback" not in err
    assert no_stray(token)


@needs_proc
def test_a_killed_command_takes_its_printer_with_it(make_room):
    root = make_room({f"releases/{NAME}.yaml": RELEASE})
    token = uuid.uuid4().hex
    process = command(root, "build", token=token)
    for _ in range(600):  # until the build has begun: the printer is at work by then
        if (root / "build" / NAME).exists() or process.poll() is not None:
            break
        time.sleep(0.01)
    process.kill()  # SIGKILL: no exit handler runs
    finish(process)
    assert no_stray(token)


def attached_pdf_texts(room: Path) -> list[str]:
    from email import message_from_binary_file
    from io import BytesIO

    from pypdf import PdfReader

    texts = []
    for eml in sorted((room / ".pressroom" / "outbox").rglob("*.eml")):
        with eml.open("rb") as file:
            message = message_from_binary_file(file)
        for part in message.walk():
            if part.get_content_type() == "application/pdf":
                data = part.get_payload(decode=True)
                assert isinstance(data, bytes)
                texts.append(" ".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages))
    return texts


@needs_proc
def test_a_send_prints_its_attachments_with_the_printer_and_leaves_none_running(room):
    """``send`` forks the printer as it starts too (its process then never imports
    WeasyPrint): every journalist still gets the release's PDF, in their language."""
    token = uuid.uuid4().hex
    code, out, err = finish(command(room, "send", "streetsight-suspended", "--yes", token=token))
    assert code == 0, err
    assert "Sent: 8 accepted, 0 failed." in out
    texts = attached_pdf_texts(room)
    assert len(texts) == 8
    assert sum("Sidewalk Commons Demands" in t for t in texts) == 7  # English
    assert sum("Sidewalk Commons fordert" in t for t in texts) == 1  # German
    assert no_stray(token)


@needs_proc
def test_a_pdf_the_printer_refuses_in_a_send_is_named_and_nothing_is_sent(room):
    template = (REPO / "pressroom" / "templates" / "print.html.j2").read_text(encoding="utf-8")
    (room / "templates").mkdir(exist_ok=True)
    (room / "templates" / "print.html.j2").write_text(
        template.replace("<body", '<body><img src="https://tracker.example/x.png" alt=""', 1),
        encoding="utf-8",
    )
    token = uuid.uuid4().hex
    code, out, err = finish(command(room, "send", "streetsight-suspended", "--yes", token=token))
    assert code != 0
    assert "refused to load https://tracker.example/x.png" in err, err
    assert "Traceback" not in err
    assert attached_pdf_texts(room) == []
    assert no_stray(token)

"""Room templates are code: they run in Jinja's sandbox unless pressroom.yaml says otherwise."""

from __future__ import annotations

import pytest

from tests.cli_runner import run
from tests.conftest import MINIMAL_ROOM

SECRET = "Zq8wXk2pLmN4-from-the-environment"
RELEASE = "headline: Parks Open Late\nbody:\n  - The parks stay open.\n"

# classic template injections: from a global function or a string to the os module
ESCAPES = [
    "{{ lipsum.__globals__['os'].environ['PRESSROOM_SMTP_PASSWORD'] }}",
    "{{ cycler.__init__.__globals__.os.environ.PRESSROOM_SMTP_PASSWORD }}",
    "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
]


@pytest.mark.parametrize("template", ESCAPES)
def test_a_template_cannot_reach_python_internals(make_room, capsys, monkeypatch, template):
    monkeypatch.setenv("PRESSROOM_SMTP_PASSWORD", SECRET)
    root = make_room({"releases/parks.yaml": RELEASE, "templates/email.txt.j2": template})
    result = run(capsys, root, "build", "parks", "--format", "txt")
    assert result.code == 1, result
    assert "Traceback" not in result.err
    assert "templates/email.txt.j2" in result.err and "unsafe" in result.err
    assert not list(root.glob("build/**/*.txt"))
    assert SECRET not in result.out + result.err


def test_a_room_can_trust_its_templates(make_room, capsys, monkeypatch):
    monkeypatch.setenv("PRESSROOM_SMTP_PASSWORD", SECRET)
    room = MINIMAL_ROOM + "templates:\n  sandbox: false\n"
    template = "{{ lipsum.__globals__['os'].name }}: {{ doc.headline }}"
    root = make_room({"releases/parks.yaml": RELEASE, "templates/email.txt.j2": template}, room)
    result = run(capsys, root, "build", "parks", "--format", "txt")
    assert result.code == 0, result
    [built] = root.glob("build/**/*.txt")
    assert built.read_text().strip() == "posix: Parks Open Late"


def test_ordinary_templates_run_in_the_sandbox(make_room, capsys):
    template = "{{ doc.headline | upper }} ({{ ', '.join(['a', 'b']) }}){{ doc.name }}"
    root = make_room({"releases/parks.yaml": RELEASE, "templates/email.txt.j2": template})
    result = run(capsys, root, "build", "parks", "--format", "txt")
    assert result.code == 0, result
    [built] = root.glob("build/**/*.txt")
    assert built.read_text().startswith("PARKS OPEN LATE (a, b)parks")

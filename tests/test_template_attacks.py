"""A room template from a pull request attacks through the objects it is given.

Each attack reaches for the logo or a photo of the release (which were path
objects, with ``read_text`` and ``write_text``) to read the process's
environment, read a file outside the press room or write a file, on
``build``, on ``send`` (to the outbox), on the newsroom and on a page of the
preview. Each is refused with a message naming the template, and neither
secret appears anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import run

SECRET = "Zq8wXk2pLmN4-in-the-environment"
FILE_SECRET = "Vb7rTy3-in-a-file-outside-the-room"
LETTER = "streetsight-suspended"
PHOTO = "2026-11-02-photo"
PHOTO_RELEASE = """\
headline: A Camera Mast on a Residential Street
date: 2026-11-02
body:
  - The mast went up on a block of rowhouses last week.
images:
  - file: assets/camera-mast-dusk.jpg
    alt: A camera on a tall pole beside rowhouses at dusk.
distribution:
  lists: [national-press]
"""

READ_ENVIRON = "{{ doc.org.logo.joinpath('/proc/self/environ').read_text() }}"
READ_OUTSIDE = "{{ doc.org.logo.parent.parent.parent.joinpath('secret.txt').read_text() }}"
READ_BY_PHOTO = (
    "{% for i in doc.images %}{{ i.path.joinpath('/proc/self/environ').read_text() }}{% endfor %}"
)
WRITE = "{{ doc.org.logo.parent.parent.parent.joinpath('pwned.txt').write_text('pwned') }}"
ATTACKS = {
    "read-environ": READ_ENVIRON,
    "read-outside": READ_OUTSIDE,
    "read-by-photo": READ_BY_PHOTO,
    "write": WRITE,
}


@pytest.fixture
def hostile(room: Path, monkeypatch: pytest.MonkeyPatch):
    """The example room with a secret in the environment and one beside the room."""
    monkeypatch.setenv("PRESSROOM_TEST_SECRET", SECRET)
    (room.parent / "secret.txt").write_text(FILE_SECRET)
    (room / "releases" / f"{PHOTO}.yaml").write_text(PHOTO_RELEASE)

    def plant(template: str, attack: str) -> Path:
        path = room / "templates" / template
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ATTACKS[attack])
        return room

    return plant


def assert_refused(text: str, room: Path, template: str) -> None:
    assert SECRET not in text and FILE_SECRET not in text
    assert "Traceback" not in text
    assert template in text, text
    assert not (room.parent / "pwned.txt").exists()
    for built in room.glob("build/**/*"):
        if built.is_file():
            data = built.read_bytes()
            assert SECRET.encode() not in data and FILE_SECRET.encode() not in data


@pytest.mark.parametrize("attack", sorted(ATTACKS))
@pytest.mark.parametrize("template", ["email.txt.j2", "email.html.j2", "print.html.j2"])
def test_build_refuses_a_template_reaching_out(hostile, capsys, attack, template):
    room = hostile(template, attack)
    release = PHOTO if attack == "read-by-photo" else LETTER
    fmt = {"email.txt.j2": "txt", "email.html.j2": "html", "print.html.j2": "pdf"}[template]
    result = run(capsys, room, "build", release, "--format", fmt, "--jobs", "1")
    assert result.code == 1, result
    assert_refused(result.out + result.err, room, f"templates/{template}")


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_send_refuses_a_footer_reaching_out(hostile, capsys, attack):
    room = hostile("email-footer.txt.j2", attack)
    release = PHOTO if attack == "read-by-photo" else LETTER
    result = run(capsys, room, "send", release, "--yes")
    assert result.code != 0, result
    assert_refused(result.out + result.err, room, "email-footer.txt.j2")
    for sent in room.glob(".pressroom/outbox/**/*.eml"):
        assert SECRET not in sent.read_text() and FILE_SECRET not in sent.read_text()


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_the_newsroom_refuses_a_page_reaching_out(hostile, capsys, attack):
    room = hostile("site/release.html.j2", attack)
    result = run(capsys, room, "site", "--use-pressroom-now", "--jobs", "1")
    assert result.code == 1, result
    assert_refused(result.out + result.err, room, "site/release.html.j2")


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_preview_page_refuses_a_template_reaching_out(hostile, attack):
    from starlette.testclient import TestClient

    from pressroom.serve.app import create_app

    room = hostile("email.html.j2", attack)
    release = PHOTO if attack == "read-by-photo" else LETTER
    [source] = room.glob(f"releases/*{release}.yaml")
    app = create_app(room, workers=0, watch=False)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get(f"/release/{source.stem}")
    assert page.status_code == 200
    assert "cannot render the email" in page.text
    assert_refused(page.text, room, "templates/email.html.j2")


def test_the_sandbox_refuses_what_is_not_plain_data(tmp_path):
    """The second wall: were a path object ever given to a template again, the
    sandbox would refuse every attribute of it, and the methods of a value."""
    from jinja2.exceptions import SecurityError

    from pressroom.render.context import Contact
    from pressroom.render.environment import make_environment

    env = make_environment(None)
    secret = tmp_path / "secret.txt"
    secret.write_text(FILE_SECRET)
    for source, given in [
        ("{{ p.read_text() }}", {"p": secret}),
        ("{{ p.parent }}", {"p": secret}),
        ("{{ c.__class__ }}", {"c": Contact("Dana")}),
        ("{{ d.pop('a') }}", {"d": {"a": 1}}),
        ("{{ m.path }}", {"m": __import__("os")}),
    ]:
        with pytest.raises(SecurityError) as refused:
            env.from_string(source).render(given)
        assert "unsafe" in str(refused.value) or "not safely callable" in str(refused.value)
        assert FILE_SECRET not in str(refused.value)
    plain = (
        "{{ c.name.upper() }} {{ c.affiliation }} {{ ', '.join(['a', 'b']) }} {{ d.items()|list }}"
    )
    assert env.from_string(plain).render(c=Contact("Dana"), d={"a": 1}) == "DANA  a, b [('a', 1)]"


def test_compiled_templates_are_never_read_from_the_room(room, capsys):
    """A compiled template is Python code, run as it is loaded: one planted in the room's
    .pressroom/cache/ by a pull request (where pressroom kept them) is never loaded."""
    from jinja2 import FileSystemBytecodeCache

    from pressroom.render.environment import ROOM_CACHE as CACHE
    from pressroom.render.environment import make_environment
    from pressroom.render.template_limits import COMPILED

    env = make_environment(None)
    source, filename, _ = env.loader.get_source(env, "email.txt.j2")  # type: ignore[union-attr]
    planted = FileSystemBytecodeCache(str(room / CACHE / f"sandboxed-{COMPILED}"))
    bucket = planted.get_bucket(env, "email.txt.j2", filename, source)
    bucket.code = env.compile("PLANTED {{ doc.headline }}", "email.txt.j2", filename)
    Path(planted.directory).mkdir(parents=True, exist_ok=True)
    planted.set_bucket(bucket)

    result = run(capsys, room, "build", LETTER, "--format", "txt", "--jobs", "1")
    assert result.code == 0, result
    [text] = room.glob(f"build/*{LETTER}/*.txt")
    assert "PLANTED" not in text.read_text()


@pytest.mark.parametrize("attack", ["read-environ", "write"])
def test_approve_refuses_a_template_reaching_out(hostile, capsys, attack):
    """An approver reads the email's text: rendered by the same sandbox, refused alike."""
    room = hostile("email.txt.j2", attack)
    config = room / "pressroom.yaml"
    config.write_text(config.read_text() + "\napproval: {required: 1}\n")
    result = run(capsys, room, "approve", LETTER, "--as", "Marisol Ortega")
    assert result.code == 1, result
    assert_refused(result.out + result.err, room, "templates/email.txt.j2")

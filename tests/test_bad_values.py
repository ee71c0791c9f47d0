"""Every option of every command, given a bad value: a clear message, never a traceback.

The cases are made from the click group itself, so a new command or option is
driven too: values a user could type for the options and arguments we know
(addresses to --test, times to --at, paths to --out...), and values by type
for any other (a word to a number, a missing folder to a path, an unknown
choice). Each run must end with exit status 0 (the value was accepted) or a
non-zero status with a message that names the problem; an exception escaping
``main`` is a traceback and fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from pressroom.cli import cli
from pressroom.deliver.outbox import eml_name
from tests.cli_runner import run

RELEASE = "streetsight-suspended"
SHORT = "statement-police-drone-pilot"

# Values a user could type, by option or argument name ("{file}" and friends
# are paths made in the test's room: see `paths`).
NAMED: dict[str, list[str]] = {
    "--test": ["a@x,b@x", "Name <a@x>", "not-an-address", "", "a@example.org\nBcc: b@x"],
    "--at": ["tomorrow", "2026-13-45 25:00", "2026-11-24 08:00 Mars/Olympus", "", "8am"],
    "--out": ["{file}", "{file}/sub", ""],
    "--list": ["../pressroom", "", "no-such-list", "a/b", "national-press.csv"],
    "--tag": ["", "x" * 300],
    "--port": ["-1", "http", "70000"],
    "--host": ["", "no such host", "256.256.256.256"],
    "--base-url": ["not a url", "javascript:alert(1)", "ftp://example.org", ""],
    "--format": ["exe", "", "pdf,,docx"],
    "--jobs": ["0", "many"],
    "--date": ["2026-02-30", "tomorrow", ""],
    "--root": ["{file}", "{missing}"],
    "--to": ["a@x,b@x", "Name <a@x>", "not-an-address", ""],
    "--state": ["lost"],
    "release": ["", "../../etc/passwd", "no-such-release", "{file}"],
    "releases": ["", "../../etc/passwd", "no-such-release"],
    "headline": ["", "   ", "\x00", "x" * 3000],
    "file": ["{missing}", "{dir}", "{binary}", ""],
    "addresses": ["a@x,b@x", "Name <a@x>", "not-an-address", ""],
    "folder": ["{file}", "{file}/sub"],
}
# Flags given with every run, so that no other guard answers before the value is
# judged: the confirmation question, and site's refusal of PRESSROOM_NOW (set by
# the tests) unless told.
PAST_GUARDS = ("--yes", "--use-pressroom-now")


def _webhook_key() -> str:
    """A verification key as SendGrid shows one (base64 DER of a P-256 public key)."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


WEBHOOK_KEY = _webhook_key()
# Values clearly wrong, which must be refused (not quietly taken).
REFUSED = {
    ("send", "--test", "not-an-address"),
    ("send", "--test", ""),
    ("send", "--test", "a@example.org\nBcc: b@x"),
    ("send", "--at", "tomorrow"),
    ("send", "--at", ""),
    ("send", "--at", "2026-13-45 25:00"),
    ("send", "--at", "2026-11-24 08:00 Mars/Olympus"),
    ("send", "--list", "../pressroom"),
    ("send", "--list", "no-such-list"),
    ("send", "--list", ""),
    ("send", "--tag", ""),
    ("contacts", "--tag", ""),
    ("new", "headline", "\x00"),
    ("new", "--date", ""),
    ("site", "--out", ""),
    ("contacts import", "--list", "../pressroom"),
    ("serve", "--port", "http"),
    ("serve", "--host", "no such host"),
    ("events serve", "--host", "no such host"),
    ("events serve", "--host", "256.256.256.256"),
    ("site", "--base-url", "javascript:alert(1)"),
    ("build", "--format", "exe"),
    ("build", "--out", "{file}/sub"),
    ("build", "--out", "{file}"),
    ("build", "--out", ""),
    ("init", "folder", "{file}/sub"),
    ("site", "--out", "{file}/sub"),
    ("new", "--date", "2026-02-30"),
    ("send", "release", "../../etc/passwd"),
    ("send", "release", "no-such-release"),
    ("contacts suppress", "addresses", "not-an-address"),
}
# Exceptions a message must never show: they mean an error escaped as Python's own.
PYTHON_ERRORS = re.compile(
    r"Traceback|\b(?:Value|Type|Key|Attribute|Index|OS|Unicode\w*|Assertion|Runtime|Name)Error\b"
)


def by_type(param: click.Parameter) -> list[str]:
    """Bad values for a parameter we have no words for, from its type."""
    kind = param.type
    if isinstance(kind, click.Choice):
        return ["bogus"]
    if isinstance(kind, click.types._NumberParamTypeBase):
        return ["-1", "many"]
    if isinstance(kind, click.Path):
        return ["{missing}/x", "{file}/sub", ""]
    return ["", "\x00", "../../outside"]


def commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


def argv(path: tuple[str, ...], command: click.Command, name: str, value: str) -> list[str]:
    """The command with *value* for *name*, and good values for what else it requires."""
    args = list(path)
    good = {"release": RELEASE, "headline": "A New Headline", "file": "{good_file}"}
    for param in command.params:
        if isinstance(param, click.Argument):
            if param.name == name:
                args.append(value)
            elif param.required:
                args.append(good.get(param.name or "", "x"))
            elif param.name == "releases":
                args.append(SHORT)  # one short release keeps accepted builds quick
        elif isinstance(param, click.Option) and param.required and param.opts[0] != name:
            args += [param.opts[0], "new-list" if param.opts[0] == "--list" else "x"]
    if name == "--root":
        args = [name, value, *args]
    elif name.startswith("--"):
        args += [name, value]
    for param in command.params:  # past the guards, so that the value itself is judged
        if isinstance(param, click.Option) and param.opts[0] in PAST_GUARDS:
            args.append(param.opts[0])
    return args


def cases() -> Iterator[object]:
    for path, command in commands(cli):
        for param in [*cli.params, *command.params] if path == ("check",) else command.params:
            if isinstance(param, click.Option) and (param.is_flag or param.count):
                continue
            name = param.opts[0] if isinstance(param, click.Option) else param.name or ""
            for value in NAMED.get(name, by_type(param)):
                yield pytest.param(path, name, value, id=f"{' '.join(path)} {name}={value[:20]!r}")


def paths(root: Path) -> dict[str, str]:
    (root / "notes.txt").write_text("not a folder\n")
    (root / "blob.bin").write_bytes(b"\xff\xfe\x00\x01" * 64)
    (root / "good.csv").write_text("email,name\nnew@example.org,New Person\n")
    return {
        "{file}": str(root / "notes.txt"),
        "{missing}": str(root / "no" / "such"),
        "{dir}": str(root / "releases"),
        "{binary}": str(root / "blob.bin"),
        "{good_file}": str(root / "good.csv"),
    }


def fill(value: str, where: dict[str, str]) -> str:
    for token, path in where.items():
        value = value.replace(token, path)
    return value


@pytest.fixture(autouse=True)
def _no_serving(monkeypatch):
    """The servers bind for real, then stop as if Ctrl-C came at once: no test blocks."""
    import uvicorn

    def interrupted(self, sockets=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(uvicorn.Server, "run", interrupted)
    monkeypatch.setenv("SENDGRID_WEBHOOK_PUBLIC_KEY", WEBHOOK_KEY)  # past events serve's guard
    monkeypatch.setattr("webbrowser.open", lambda url: True)


def test_every_option_and_argument_of_every_command_is_driven():
    driven = {(" ".join(case.values[0]), case.values[1]) for case in cases()}  # type: ignore[attr-defined]
    for path, command in commands(cli):
        for param in command.params:
            if isinstance(param, click.Option) and param.is_flag:
                continue
            name = param.opts[0] if isinstance(param, click.Option) else param.name
            assert (" ".join(path), name) in driven
    assert {("send", "--test"), ("contacts import", "file"), ("check", "--root")} <= driven


@pytest.mark.parametrize("path, name, value", list(cases()))
def test_a_bad_value_gets_a_message_not_a_traceback(room, capsys, path, name, value):
    command = cli
    for part in path:
        command = command.commands[part]  # type: ignore[attr-defined]
    for file in (room / "releases").glob("*.yaml"):
        if not file.stem.endswith((RELEASE, SHORT)):
            file.unlink()  # fewer releases: an accepted build or site is quick
    where = paths(room)
    args = [fill(a, where) for a in argv(path, command, name, value)]

    result = run(capsys, room, *args)  # an exception escaping main fails here

    assert not PYTHON_ERRORS.search(result.err + result.out), result.err
    if result.code != 0:
        assert result.err.strip(), f"exit {result.code} without a message"
    if (" ".join(path), name, value) in REFUSED:
        assert result.code != 0, f"{args} was accepted:\n{result.out}"


def test_proof_addresses_are_taken_as_people_type_them(room, capsys):
    result = run(
        capsys, room, "send", RELEASE, "--yes",
        "--test", "Ana Lee <ana@office.example>, bo@office.example",
        "--test", "BO@office.example",
    )  # fmt: skip
    assert result.code == 0, result.err
    folder = room / ".pressroom" / "outbox" / f"2026-11-23-{RELEASE}" / "test"
    assert sorted(p.name for p in folder.glob("*.eml")) == sorted(
        eml_name(a) for a in ("ana@office.example", "bo@office.example")
    )


def test_a_list_named_by_its_file_is_that_list(room, capsys):
    where = paths(room)
    refused = run(
        capsys, room, "contacts", "import", where["{good_file}"], "--list", "national-press.csv"
    )
    assert refused.code != 0 and "national-press" in refused.err, refused
    assert not (room / "contacts" / "national-press.csv.csv").exists()
    made = run(capsys, room, "contacts", "import", where["{good_file}"], "--list", "tech.csv")
    assert made.code == 0 and (room / "contacts" / "tech.csv").is_file(), made.err

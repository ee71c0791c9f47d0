"""What check accepts, send delivers: header characters, addresses, one bad recipient.

Every transport is the real one: the outbox's files, an aiosmtpd server on
127.0.0.1, and the official SendGrid client talking to tests/sendgrid_server.py.
"""

from __future__ import annotations

import csv
import io
import socket
import sqlite3
from collections.abc import Iterator
from email import message_from_string, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from pressroom.deliver.outbox import eml_name
from pressroom.deliver.send import deliver, prepare
from pressroom.load.room import load_room
from tests.cli_runner import run
from tests.sendgrid_server import SendGridServer
from tests.test_check import CLEAN
from tests.test_send import national_press

RELEASE = "2026-11-23-streetsight-suspended"


def parse(data: bytes) -> EmailMessage:
    """A message as a mail program reads it: UTF-8 headers (RFC 6532) included."""
    return message_from_string(data.decode("utf-8"), policy=policy.default)  # type: ignore[return-value]


def outbox_messages(root: Path) -> dict[str, EmailMessage]:
    folder = root / ".pressroom" / "outbox" / RELEASE
    messages = [parse(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]
    return {m["To"].addresses[0].addr_spec: m for m in messages}


def states(
    capsys: pytest.CaptureFixture[str], root: Path, transport: str
) -> dict[str, tuple[str, str]]:
    """Each recipient's state and reason, as `pressroom log --csv` tells them."""
    capsys.readouterr()
    result = run(capsys, root, "log", "streetsight-suspended", "--csv", "--transport", transport)
    rows = csv.DictReader(io.StringIO(result.out))
    return {row["email"]: (row["state"], row["reason"]) for row in rows}


def add_list(root: Path, rows: list[tuple[str, str]]) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["email", "name"])
    writer.writerows(rows)
    (root / "contacts" / "odd.csv").write_text(text.getvalue(), encoding="utf-8")


# -- check refuses what no header can carry, and says where -------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        (
            'headline: "Council Votes\\LTo Fund Safe Streets"',
            "releases/x.yaml:1:1: error: headline: a line separator (U+2028) at character 14 "
            "cannot go into an email header",
        ),
        (
            'headline: "Council Votes\\nBcc: all@example.org"',
            "releases/x.yaml:1:1: error: headline: a line break (U+000A) at character 14",
        ),
        (
            'headline: "Council\\0Votes"',
            "releases/x.yaml:1:1: error: headline: a NUL character (U+0000) at character 8",
        ),
        (
            'headline: Council Votes\nsubject: "Safe\\vStreets"',
            "releases/x.yaml:13:3: error: distribution.subject: a vertical tab (U+000B) "
            "at character 5",
        ),
        (
            'headline: Council Votes\nsubject: "Safe\\fStreets"',
            "releases/x.yaml:13:3: error: distribution.subject: a form feed (U+000C)",
        ),
    ],
)
def test_check_refuses_header_breaking_characters_at_their_place(
    make_room, capsys, line: str, expected: str
) -> None:
    headline, _, subject = line.partition("\n")
    release = CLEAN.replace("headline: City Council Votes to Fund Safe Streets Program", headline)
    release += f"  {subject}\n" if subject else ""
    root = make_room({"releases/x.yaml": release})
    result = run(capsys, root, "check")
    assert result.code == 1, result
    assert expected in result.err
    assert "Traceback" not in result.err


def test_check_refuses_a_sender_name_on_two_lines(make_room, capsys) -> None:
    from tests.conftest import MINIMAL_ROOM

    room = MINIMAL_ROOM.replace(
        "  name: Example Justice Press Office", '  name: "Press Office\\r\\nBcc: x@evil.example"'
    )
    root = make_room({"releases/x.yaml": CLEAN}, room=room)
    result = run(capsys, root, "check")
    assert result.code != 0
    assert (
        "pressroom.yaml:8:3: error: sender.name: a carriage return (U+000D) at character 13 "
        "cannot go into an email header" in result.err
    )


def test_a_name_on_two_lines_in_a_list_is_sent_on_one_by_the_outbox(room, capsys) -> None:
    add_list(room, [("ben@wire.example", "Ben\nOkafor"), ("cleo@post.example", "Cleo\x0b\x0cRuiz")])
    result = run(capsys, room, "send", "streetsight-suspended", "--list", "odd", "--yes")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    messages = outbox_messages(room)
    assert messages["ben@wire.example"]["To"].addresses[0].display_name == "Ben Okafor"
    assert messages["cleo@post.example"]["To"].addresses[0].display_name == "Cleo Ruiz"


# -- SMTP (aiosmtpd) -----------------------------------------------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[list[str]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        data = envelope.content if isinstance(envelope.content, bytes) else b""
        self.messages.append(parse(data))
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 OK queued"


def smtp_server(room: Path, smtputf8: bool) -> tuple[Controller, Inbox]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=smtputf8, decode_data=False
    )
    controller.start()
    config = room / "pressroom.yaml"
    config.write_text(
        config.read_text()
        + f"delivery:\n  transport: smtp\n  smtp: {{host: 127.0.0.1, port: {port}, security: none}}\n"
    )
    return controller, inbox


@pytest.fixture
def plain_smtp(room: Path) -> Iterator[Inbox]:
    controller, inbox = smtp_server(room, smtputf8=False)
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def utf8_smtp(room: Path) -> Iterator[Inbox]:
    controller, inbox = smtp_server(room, smtputf8=True)
    try:
        yield inbox
    finally:
        controller.stop()


INTERNATIONAL = [
    ("jlópez@mirador.example", "José López"),
    ("ana@bücher.example", "Ana Buch"),
    ("ben@wire.example", "Ben\nOkafor"),
    ("zoë@post.example", "Zoë"),
    ("ümit@post.example", "Ümit"),
    ("carl@post.example", "Carl"),
]


def test_smtp_sends_international_addresses_when_the_server_offers_smtputf8(
    room, utf8_smtp, capsys
) -> None:
    add_list(room, INTERNATIONAL)
    result = run(capsys, room, "send", "streetsight-suspended", "--list", "odd", "--yes")
    assert result.code == 0, result.err
    assert "Sent: 6 accepted, 0 failed." in result.out
    assert sorted(to for [to] in utf8_smtp.envelopes) == sorted(
        [
            "jlópez@mirador.example",
            "ana@xn--bcher-kva.example",  # the domain in its ASCII form
            "ben@wire.example",
            "zoë@post.example",
            "ümit@post.example",
            "carl@post.example",
        ]
    )
    names = {
        m["To"].addresses[0].addr_spec: m["To"].addresses[0].display_name
        for m in utf8_smtp.messages
    }
    assert names["jlópez@mirador.example"] == "José López"
    assert names["ben@wire.example"] == "Ben Okafor"


def test_without_smtputf8_each_such_recipient_fails_alone_and_the_send_goes_on(
    room, plain_smtp, capsys
) -> None:
    add_list(room, INTERNATIONAL)
    result = run(capsys, room, "send", "streetsight-suspended", "--list", "odd", "--yes")
    assert result.code == 1
    assert "Traceback" not in result.err and "Stopped" not in result.err
    assert "Sent: 3 accepted, 3 failed." in result.out
    assert sorted(to for [to] in plain_smtp.envelopes) == [
        "ana@xn--bcher-kva.example",
        "ben@wire.example",
        "carl@post.example",
    ]
    assert "does not offer SMTPUTF8, which jlópez@mirador.example needs" in result.err
    log = states(capsys, room, "smtp")
    assert {email: state for email, (state, _) in log.items()} == {
        "jlópez@mirador.example": "failed",
        "ana@bücher.example": "accepted",
        "ben@wire.example": "accepted",
        "zoë@post.example": "failed",
        "ümit@post.example": "failed",
        "carl@post.example": "accepted",
    }
    assert "SMTPUTF8" in log["zoë@post.example"][1]


# -- SendGrid (the official client, tests/sendgrid_server.py) -------------------------------------


@pytest.fixture
def sendgrid(monkeypatch: pytest.MonkeyPatch) -> Iterator[SendGridServer]:
    with SendGridServer() as server:
        monkeypatch.setenv("SENDGRID_API_KEY", server.api_key)
        monkeypatch.setenv("PRESSROOM_SENDGRID_URL", server.url)
        yield server


def test_sendgrid_gets_ascii_addresses_and_refuses_the_others_one_by_one(
    room, sendgrid, capsys
) -> None:
    add_list(room, INTERNATIONAL)
    result = run(capsys, room, "send", "streetsight-suspended", "--list", "odd", "--yes")
    assert result.code == 1
    assert "Traceback" not in result.err and "Stopped" not in result.err
    assert "Sent: 3 accepted, 3 failed." in result.out
    [request] = sendgrid.sent
    to = [p["to"][0] for p in request.payload["personalizations"]]
    assert sorted(t["email"] for t in to) == [
        "ana@xn--bcher-kva.example",
        "ben@wire.example",
        "carl@post.example",
    ]
    assert {t["email"]: t.get("name") for t in to}["ben@wire.example"] == "Ben Okafor"
    assert "jlópez@mirador.example: SendGrid takes no address with non-ASCII letters" in result.err
    log = states(capsys, room, "sendgrid")
    assert [e for e, (state, _) in log.items() if state == "failed"] == [
        "jlópez@mirador.example",
        "zoë@post.example",
        "ümit@post.example",
    ]
    assert all(state != "unknown" for state, _ in log.values())


def test_the_outbox_writes_an_international_address_as_utf8_headers(room, capsys) -> None:
    add_list(room, INTERNATIONAL[:2])
    result = run(capsys, room, "send", "streetsight-suspended", "--list", "odd", "--yes")
    assert result.code == 0, result.err
    messages = outbox_messages(room)
    assert set(messages) == {"jlópez@mirador.example", "ana@xn--bcher-kva.example"}
    raw = (room / ".pressroom/outbox" / RELEASE / eml_name("jlópez@mirador.example")).read_bytes()
    assert "To: José López <jlópez@mirador.example>".encode() in raw  # RFC 6532, not mojibake


# -- addresses: one validator for lists, imports and --test --------------------------------------


@pytest.mark.parametrize(
    "address, reasons",
    [
        ("me@office", ["should have a period"]),
        ("me@@office.example", ["invalid characters: '@'", "holds no address"]),
        ("me\n@office.example", ["U+000A", "line break"]),
        ('"me"@office.example', ["quoting the part before the @-sign"]),
    ],
)
def test_test_addresses_are_checked_like_the_lists(
    room, capsys, address: str, reasons: list[str]
) -> None:
    result = run(capsys, room, "send", "streetsight-suspended", "--test", address, "--yes")
    assert result.code == 2, result
    assert "--test" in result.err and any(reason in result.err for reason in reasons), result.err
    assert "Traceback" not in result.err
    assert not (room / ".pressroom" / "outbox").exists()


def test_a_test_address_sendgrid_cannot_take_is_refused_before_sending(
    room, sendgrid, capsys
) -> None:
    result = run(
        capsys, room, "send", "streetsight-suspended", "--test", "zoë@post.example", "--yes"
    )
    assert result.code == 2 and "SendGrid takes no address" in result.err
    assert sendgrid.sent == []


def test_lists_and_imports_use_the_same_rules(room, capsys, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("email,name\nana@[127.0.0.1],Ana\nbob@ledger.example,Bob\n")
    imported = run(capsys, room, "contacts", "import", str(export), "--list", "imp")
    assert imported.code == 0, imported
    assert "'ana@[127.0.0.1]' is not an email address" in imported.err
    add_list(room, [("ana@[127.0.0.1]", "Ana"), ("bob@ledger.example", "Bob")])
    listed = run(capsys, room, "check")
    # a warning: no release names the list, so it stops none (issue 19, item 8)
    assert "contacts/odd.csv:2: warning: email: 'ana@[127.0.0.1]' is not an email address" in (
        listed.err
    )


# -- one recipient's local error never stops the send or leaves them unknown ---------------------


def test_a_message_that_cannot_be_built_fails_that_recipient_only(room, capsys) -> None:
    loaded = load_room(room)
    from tests.conftest import load_example

    prepared = prepare(loaded, load_example(loaded, "streetsight-suspended"))
    assert prepared.plan is not None
    bad = prepared.plan.first[2]
    # past the loader's wall (a log written by an older pressroom, a bug): the name the
    # send log holds for the batch is checked again before any message is built
    with sqlite3.connect(room / ".pressroom" / "outbox.db") as db:
        db.execute("UPDATE deliveries SET name=? WHERE email=?", ("Eve\r\nBcc: x@y.z", bad.email))
    outcome = deliver(prepared)
    assert (outcome.accepted, outcome.failed, outcome.unknown, outcome.stopped) == (7, 1, 0, None)
    assert "a line break" in outcome.reasons[0] or "carriage return" in outcome.reasons[0]
    log = states(capsys, room, "outbox")
    assert log[bad.email][0] == "failed" and "cannot go into an email header" in log[bad.email][1]
    assert sorted(outbox_messages(room)) == sorted(
        a for a in national_press(room) if a != bad.email
    )


def test_the_fast_path_for_plain_addresses_agrees_with_email_validator() -> None:
    """Plain ASCII addresses skip the costly part (domains judged once each): same verdicts."""
    import random
    import string

    from email_validator import EmailNotValidError, validate_email

    from pressroom.model import address

    def reference(text: str) -> tuple[str | None, bool]:
        try:
            return validate_email(text, check_deliverability=False).ascii_email, True
        except EmailNotValidError:
            return None, False

    cases = ["Ana@Ledger.Example", "a..b@x.org", ".a@x.org", "a@-x.org", "a@x..org", "a@x.org."]
    cases += ["a@localhost", "a@x.test", "a@1.2.3.4", "a" * 65 + "@x.org", "a@" + "b" * 64 + ".org"]
    cases += ["x@XN--BCHER-KVA.example", "A_B+tag@X.ORG", "a@x_y.org", "a@x.c0m", "a@x.123"]
    chars = string.ascii_letters + string.digits + ".-_+!#$%&'*/=?^`{|}~@ \"(),;:[]\\"
    rng = random.Random(8)
    for _ in range(3000):
        local = "".join(rng.choice(chars) for _ in range(rng.randint(1, 12)))
        domain = "".join(rng.choice(string.ascii_letters + "-.0") for _ in range(rng.randint(1, 9)))
        cases.append(f"{local}@{domain}{rng.choice(['.org', '.example', '.test', '', '.COM'])}")
    for text in cases:
        address._validated.cache_clear()
        wire, valid = reference(text)
        assert (address.address_problem(text) is None) == valid, text
        if valid:
            assert address.ascii_form(text) == wire, text

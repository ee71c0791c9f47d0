"""The SendGrid transport against the SendGrid-compatible server of tests/sendgrid_server.py.

The real ``sendgrid`` client talks HTTP to 127.0.0.1: no mocks. The server
refuses what SendGrid would refuse, and its checks are tested here too, with
malformed requests sent directly (a check that cannot fail proves nothing).
Waits between attempts go to a list instead of the clock, so the file runs
in seconds.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from pressroom import clock
from pressroom.deliver.contents import content_for
from pressroom.deliver.message import (
    GREETING,
    UNSUBSCRIBE,
    Attachment,
    Content,
    Delivery,
    mailto_unsubscribe,
    personal_html,
    personal_text,
    unsubscribe_link,
)
from pressroom.deliver.retry import RetryPolicy
from pressroom.deliver.sendgrid import SendGrid
from pressroom.deliver.sendgrid_body import (
    GREETING_HTML,
    GREETING_TEXT,
    MAX_REQUEST_BYTES,
    UNSUBSCRIBE_HTML,
    UNSUBSCRIBE_TEXT,
    recipient_id,
)
from pressroom.deliver.transport import (
    DeliveryFailed,
    OutcomeUnknown,
    Schedule,
    Scheduler,
    Transport,
)
from pressroom.errors import UsageError
from pressroom.model.room import DeliverySettings, Room
from pressroom.render.environment import make_environment
from tests.conftest import example_document, load_example
from tests.sendgrid_server import SendGridServer, check_mail, closed_url
from tests.test_message import EMBARGOED

ADDRESS = "2418 St. Paul Street, Suite 3, Baltimore, MD 21218"  # the example room's org.address
FAKE_KEY = "SG.fake-key-0123456789-recognisable"
POLICY = RetryPolicy(attempts=3, base_delay=0.1, random=lambda: 0.5)

_contents: dict[str, Content] = {}


def content_of(room: Room) -> Content:
    """The embargoed example release (pdf, docx, vCard), with small stand-in PDF and DOCX.

    The message is composed by the real code; only the PDF and Word renderers,
    slow and beside the point here, are replaced by fixed bytes.
    """
    if EMBARGOED not in _contents:
        artefacts = {"pdf": b"%PDF-1.7\n" + bytes(range(256)) * 800, "docx": b"PK\x03\x04" * 5000}
        release = load_example(room, EMBARGOED)
        doc = example_document(room, EMBARGOED)
        _contents[EMBARGOED] = content_for(room, release, doc, make_environment(), artefacts)
    return _contents[EMBARGOED]


def deliveries(count: int, start: int = 0) -> list[Delivery]:
    return [
        Delivery(f"reporter{i}@outlet{i % 7}.example", f"Reporter {i}", f"Dear Reporter{i},")
        for i in range(start, start + count)
    ]


@pytest.fixture
def content(example_room: Room) -> Content:
    return content_of(example_room)


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def make(sendgrid_server: SendGridServer, waits: list[float]) -> Callable[..., SendGrid]:
    """A transport talking to the test server; its waits go to *waits*."""

    def make(**options: Any) -> SendGrid:
        settings: dict[str, Any] = {
            "timeout": 2,
            "retry": POLICY,
            "sleep": waits.append,
            "api_key": sendgrid_server.api_key,
            "base_url": sendgrid_server.url,
        }
        settings.update(options)
        return SendGrid(settings.pop("api_key"), settings.pop("base_url"), **settings)

    return make


def substituted(part: str, substitutions: dict[str, str]) -> str:
    """What SendGrid does with a content part and one personalization's substitutions."""
    for tag, value in substitutions.items():
        part = part.replace(tag, value)
    return part


# -- the happy path -------------------------------------------------------------


def test_it_is_a_transport_and_a_scheduler(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    transport: Transport = make()
    assert (transport.name, transport.batch_size) == ("sendgrid", 1000)
    assert isinstance(transport, Scheduler)
    assert transport.send(content, []) == [] and sendgrid_server.requests == []
    assert FAKE_KEY not in repr(SendGrid(FAKE_KEY))


def test_2500_recipients_go_in_three_requests(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    transport = make()
    everyone = deliveries(2500)
    ids: list[str] = []
    for start in range(0, len(everyone), transport.batch_size):
        ids += transport.send(content, everyone[start : start + transport.batch_size])

    requests = sendgrid_server.mail
    assert [len(r.payload["personalizations"]) for r in requests] == [1000, 1000, 500]
    assert [r.status for r in requests] == [202, 202, 202]
    assert ids == [r.message_id for r in requests for _ in r.payload["personalizations"]]
    assert sendgrid_server.accepted == {d.email: 1 for d in everyone}

    first = requests[0].payload
    assert first["from"] == {"email": content.sender, "name": content.sender_name}
    assert first["reply_to"] == {"email": content.reply_to}
    assert first["subject"] == content.subject
    assert first["headers"] == content.headers
    assert first["categories"] == ["pressroom", EMBARGOED]
    assert first["custom_args"] == {
        "pressroom_release": EMBARGOED,
        "pressroom_version": content.version,
    }
    assert [part["type"] for part in first["content"]] == ["text/plain", "text/html"]
    text, html = (part["value"] for part in first["content"])
    assert GREETING not in text + html
    # every greeting reads the same in HTML: one tag serves both parts
    assert GREETING_TEXT in text and GREETING_TEXT in html and GREETING_HTML not in html
    assert ADDRESS in text and ADDRESS in html  # the postal address of the footer
    assert [a["content"] for a in first["attachments"]] == [
        {"bytes": len(a.data), "sha256": hashlib.sha256(a.data).hexdigest()}
        for a in content.attachments
    ]
    assert [(a["filename"], a["type"]) for a in first["attachments"]] == [
        (f"{EMBARGOED}.pdf", "application/pdf"),
        (
            f"{EMBARGOED}.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("marisol-ortega.vcf", "text/vcard"),
        ("camera-mast-dusk.jpg", "image/jpeg"),
        ("logo.png", "image/png"),  # shown in the HTML: inline, with its content id
    ]
    assert [a["disposition"] for a in first["attachments"]] == ["attachment"] * 4 + ["inline"]
    assert first["attachments"][-1]["content_id"] == "logo@sidewalkcommons.example"
    [logo_tag] = re.findall(r"<img [^>]*>", html)
    assert 'src="cid:logo@sidewalkcommons.example"' in logo_tag
    assert 'alt="Sidewalk Commons"' in logo_tag
    # no unsubscribe_url: SendGrid's own subscription tracking, and none of our headers;
    # SendGrid puts its link where the footer's tag is
    assert first["tracking_settings"] == {
        "subscription_tracking": {"enable": True, "substitution_tag": UNSUBSCRIBE_TEXT}
    }
    assert text.count(UNSUBSCRIBE_TEXT) == 1 and html.count(UNSUBSCRIBE_TEXT) == 1
    assert UNSUBSCRIBE not in text + html
    assert "send_at" not in first and "batch_id" not in first

    last = requests[2].payload["personalizations"][-1]
    ana = everyone[-1]
    assert last == {
        "to": [{"email": ana.email, "name": ana.name}],
        "substitutions": {GREETING_TEXT: ana.greeting},
        "custom_args": {"rcpt": recipient_id(content, ana.email)},
    }
    assert ana.email not in json.dumps(last["custom_args"])
    # where SendGrid puts its own unsubscribe link, the outbox offers a mail to the sender
    sendgrids_link = {UNSUBSCRIBE_TEXT: mailto_unsubscribe(content.sender)}
    filled = {**last["substitutions"], **sendgrids_link}
    assert substituted(text, filled) == personal_text(content, ana)
    assert substituted(html, filled) == personal_html(content, ana)


def test_each_recipient_gets_the_message_the_outbox_would_write(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    """Substituting as SendGrid does gives exactly the text and HTML of mime_message."""
    people = [
        Delivery("obrien@ledger.example", "O'Brien & Co", "Dear O'Brien & Co,"),
        Delivery("lt@wire.example", None, "Hello, <team>"),
    ]
    make(unsubscribe_url="https://example.org/u?list=press&email={email}").send(content, people)
    payload = sendgrid_server.sent[0].payload
    text, html = (part["value"] for part in payload["content"])
    assert GREETING_TEXT in text and GREETING_HTML in html and GREETING_TEXT not in html
    # the & of the unsubscribe address is escaped in the HTML: a tag of its own there too
    assert UNSUBSCRIBE_TEXT in text and UNSUBSCRIBE_HTML in html and UNSUBSCRIBE_TEXT not in html
    for person, one in zip(people, payload["personalizations"], strict=True):
        person = dataclasses.replace(
            person,
            unsubscribe_url=unsubscribe_link(
                "https://example.org/u?list=press&email={email}", person.email
            ),
        )
        assert substituted(text, one["substitutions"]) == personal_text(content, person)
        assert substituted(html, one["substitutions"]) == personal_html(content, person)
    assert "?list=press&amp;email=obrien%40ledger.example" in substituted(
        html, payload["personalizations"][0]["substitutions"]
    )
    assert "Dear O&#39;Brien &amp; Co," in substituted(
        html, payload["personalizations"][0]["substitutions"]
    )
    assert payload["personalizations"][1]["to"] == [{"email": "lt@wire.example"}]


def test_recipient_names_lose_commas_and_semicolons(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    make().send(content, [Delivery("ana@ledger.example", "Ortiz, Ana; Ledger", "Dear Ana,")])
    [one] = sendgrid_server.sent[0].payload["personalizations"]
    assert one["to"] == [{"email": "ana@ledger.example", "name": "Ortiz Ana Ledger"}]


def test_attachments_are_encoded_once_per_release_version(
    make: Callable[..., SendGrid], content: Content
) -> None:
    transport = make()
    first = transport.payload(content, deliveries(2))["attachments"]
    assert transport.payload(content, deliveries(2, start=5), test=True)["attachments"] is first
    other = dataclasses.replace(content, attachments=content.attachments[:1])
    assert len(transport.payload(other, deliveries(1))["attachments"]) == 1


def test_one_click_unsubscribe_headers_per_recipient(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    transport = make(unsubscribe_url="https://example.org/unsubscribe?email={email}")
    own = "https://example.org/u/opaque-token"
    transport.send(
        content,
        [
            Delivery("ana+press@ledger.example", "Ana", "Dear Ana,"),
            Delivery("ben@wire.example", "Ben", "Dear Ben,", unsubscribe_url=own),
        ],
    )
    payload = sendgrid_server.sent[0].payload
    mailto = f"<mailto:{content.sender}?subject=unsubscribe>"
    assert [one["headers"] for one in payload["personalizations"]] == [
        {
            "List-Unsubscribe": "<https://example.org/unsubscribe?email=ana%2Bpress%40ledger.example>, "
            + mailto,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        {
            "List-Unsubscribe": f"<{own}>, {mailto}",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ]
    assert payload["tracking_settings"] == {"subscription_tracking": {"enable": False}}
    # the footer's link is each recipient's own address, as in the outbox and over SMTP
    text, html = (part["value"] for part in payload["content"])
    for one, delivery in zip(
        payload["personalizations"],
        [
            Delivery("ana+press@ledger.example", "Ana", "Dear Ana,", unsubscribe_url=None),
            Delivery("ben@wire.example", "Ben", "Dear Ben,", unsubscribe_url=own),
        ],
        strict=True,
    ):
        url = delivery.unsubscribe_url or (
            "https://example.org/unsubscribe?email=ana%2Bpress%40ledger.example"
        )
        delivery = dataclasses.replace(delivery, unsubscribe_url=url)
        assert one["substitutions"][UNSUBSCRIBE_TEXT] == url
        assert substituted(text, one["substitutions"]) == personal_text(content, delivery)
        assert substituted(html, one["substitutions"]) == personal_html(content, delivery)


def test_a_test_send_is_marked(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    make().send(content, deliveries(1), test=True)
    payload = sendgrid_server.sent[0].payload
    assert payload["subject"] == "[TEST] " + content.subject
    assert payload["headers"]["X-Pressroom-Test"] == "yes"
    assert payload["categories"] == ["pressroom", EMBARGOED, "pressroom-test"]


# -- refused before anything is sent ----------------------------------------------


def test_an_address_twice_in_a_batch_is_refused_before_sending(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    twice = [*deliveries(3), Delivery("Reporter1@Outlet1.example", None, "Hello,")]
    with pytest.raises(DeliveryFailed) as raised:
        make().send(content, twice)
    assert raised.value.fatal and "Reporter1@Outlet1.example is twice" in str(raised.value)
    assert sendgrid_server.requests == []


def test_a_reserved_header_is_never_sent(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    bad = dataclasses.replace(content, headers={**content.headers, "reply-to": "x@y.example"})
    with pytest.raises(DeliveryFailed) as raised:
        make().send(bad, deliveries(1))
    assert raised.value.fatal and "reply-to" in str(raised.value)
    assert sendgrid_server.requests == []


@pytest.mark.parametrize("field", ["subject", "text", "html"])
def test_a_release_containing_a_greeting_tag_is_refused(
    field: str, make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    odd = dataclasses.replace(content, **{field: getattr(content, field) + " 100%hi%"})
    with pytest.raises(DeliveryFailed, match="'%hi%', which pressroom uses") as raised:
        make().send(odd, deliveries(1))
    assert raised.value.fatal and sendgrid_server.requests == []


def test_more_than_a_batch_is_refused(make: Callable[..., SendGrid], content: Content) -> None:
    with pytest.raises(DeliveryFailed, match="at most 1000"):
        make().send(content, deliveries(1001))


def test_over_30_mb_is_refused_before_sending(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    video = Attachment(
        "rally.mp4", "video/mp4", b"\0" * 23_000_000
    )  # 30.7 MB in base64, and the rest
    big = dataclasses.replace(content, attachments=(*content.attachments, video))
    with pytest.raises(DeliveryFailed) as raised:
        make().send(big, deliveries(10))
    message = str(raised.value)
    assert raised.value.fatal
    assert "would be 31.1 MB, over its limit of 30.0 MB" in message
    assert "rally.mp4 23.0 MB" in message and f"{EMBARGOED}.pdf 0.2 MB" in message
    assert sendgrid_server.requests == []
    assert MAX_REQUEST_BYTES == 30_000_000


# -- retries, failures and unknown outcomes -----------------------------------------


def test_429_waits_for_the_reset_then_succeeds(
    make: Callable[..., SendGrid],
    sendgrid_server: SendGridServer,
    content: Content,
    waits: list[float],
) -> None:
    sendgrid_server.fail("429", reset_in=1)
    ids = make().send(content, deliveries(3))
    assert [r.status for r in sendgrid_server.mail] == [429, 202]
    assert ids == [sendgrid_server.mail[1].message_id] * 3
    [wait] = waits
    assert 0 < wait <= 2  # until X-RateLimit-Reset, a Unix second about 1 s away


def test_500_twice_then_success(
    make: Callable[..., SendGrid],
    sendgrid_server: SendGridServer,
    content: Content,
    waits: list[float],
) -> None:
    sendgrid_server.fail("500", times=2)
    make().send(content, deliveries(3))
    assert [r.status for r in sendgrid_server.mail] == [500, 500, 202]
    assert waits == [POLICY.backoff(1), POLICY.backoff(2)] == pytest.approx([0.075, 0.15])
    assert sendgrid_server.accepted == {d.email: 1 for d in deliveries(3)}


def test_a_fault_can_be_scripted_by_request_index(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    sendgrid_server.fail("503", at=1)
    transport = make()
    for start in (0, 10, 20):
        transport.send(content, deliveries(10, start=start))
    assert [r.status for r in sendgrid_server.mail] == [202, 503, 202, 202]


def test_5xx_forever_fails_the_batch_without_stopping_the_send(
    make: Callable[..., SendGrid],
    sendgrid_server: SendGridServer,
    content: Content,
    waits: list[float],
) -> None:
    sendgrid_server.fail("503", times=None)
    with pytest.raises(DeliveryFailed) as raised:
        make().send(content, deliveries(3))
    assert not raised.value.fatal
    assert "SendGrid answered 503" in str(raised.value) and "after 3 attempts" in str(raised.value)
    assert len(sendgrid_server.mail) == 3 and len(waits) == 2
    assert not sendgrid_server.accepted


def test_a_hang_is_an_unknown_outcome_within_the_timeout(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    sendgrid_server.fail("hang", seconds=10)
    started = time.monotonic()
    with pytest.raises(OutcomeUnknown, match="did not answer within 0.5 seconds"):
        make(timeout=0.5).send(content, deliveries(3))
    assert time.monotonic() - started < 3
    assert [r.status for r in sendgrid_server.mail] == ["hang"]  # never retried


def test_a_dropped_connection_is_an_unknown_outcome(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    sendgrid_server.fail("drop")
    with pytest.raises(OutcomeUnknown, match="may or may not have taken"):
        make().send(content, deliveries(3))
    assert [r.status for r in sendgrid_server.mail] == ["drop"]  # never retried


def test_a_refused_connection_fails_the_batch_after_retries(
    make: Callable[..., SendGrid], content: Content, waits: list[float]
) -> None:
    with pytest.raises(DeliveryFailed) as raised:
        make(base_url=closed_url()).send(content, deliveries(3))
    assert not raised.value.fatal
    assert "could not be reached" in str(raised.value) and "refused" in str(raised.value)
    assert len(waits) == 2


def test_a_stopped_server_refuses_connections(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    transport = make()
    sendgrid_server.stop()
    with pytest.raises(DeliveryFailed, match="could not be reached"):
        transport.send(content, deliveries(1))


def test_400_stops_the_send_with_sendgrids_message(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    batch = [*deliveries(2), Delivery("not-an-address", None, "Hello,")]
    with pytest.raises(DeliveryFailed) as raised:
        make().send(content, batch)
    assert raised.value.fatal
    assert str(raised.value) == (
        "SendGrid refused the message (400): personalizations.2.to.0.email "
        "(the recipient not-an-address): Does not contain a valid address."
    )


def test_401_stops_the_send_and_never_shows_the_key(
    make: Callable[..., SendGrid], content: Content
) -> None:
    with pytest.raises(DeliveryFailed) as raised:
        make(api_key=FAKE_KEY).send(content, deliveries(1))
    message = str(raised.value)
    assert raised.value.fatal
    assert message.startswith("SendGrid refused the API key or sender identity (401")
    assert message.endswith(
        f"check SENDGRID_API_KEY and that {content.sender} is a verified sender"
    )
    assert FAKE_KEY not in message


def _error_chain(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


@pytest.mark.parametrize(
    "fault",
    ["400", "401", "413", "429", "500", "hang", "drop", "refused", "batch-401", "cancel-400"],
)
def test_the_key_is_never_in_an_error_or_a_log(
    fault: str, content: Content, waits: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    key = FAKE_KEY if fault not in ("401", "batch-401") else FAKE_KEY + "-wrong"
    with SendGridServer(FAKE_KEY, max_body=1000 if fault == "413" else 30_000_000) as server:
        url = closed_url() if fault == "refused" else server.url
        transport = SendGrid(key, url, timeout=0.5, retry=POLICY, sleep=waits.append)
        if fault in ("429", "500", "hang", "drop"):
            server.fail(fault, times=None, seconds=3)
        batch = deliveries(2) + ([Delivery("bad", None, "Hi,")] if fault == "400" else [])
        with pytest.raises((DeliveryFailed, OutcomeUnknown)) as raised:
            if fault == "batch-401":
                transport.new_schedule(clock.now() + timedelta(hours=1))
            elif fault == "cancel-400":
                transport.cancel("no-such-batch")
            else:
                transport.send(content, batch)
    for exc in _error_chain(raised.value):
        assert FAKE_KEY not in str(exc) and FAKE_KEY not in repr(exc)
    assert FAKE_KEY not in caplog.text


# -- schedules ----------------------------------------------------------------------


def test_schedule_create_send_and_cancel(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    transport = make()
    send_at = clock.now() + timedelta(hours=71)
    schedule = transport.new_schedule(send_at)
    assert schedule.send_at == send_at and schedule.batch_id in sendgrid_server.batches

    transport.send(content, deliveries(2), schedule=schedule)
    payload = sendgrid_server.sent[0].payload
    assert payload["send_at"] == int(send_at.timestamp())
    assert payload["batch_id"] == schedule.batch_id

    transport.cancel(schedule.batch_id)
    assert sendgrid_server.batches[schedule.batch_id] == "cancel"
    listed = json.loads(_call(sendgrid_server, "GET", "/v3/user/scheduled_sends")[1])
    assert listed == [{"batch_id": schedule.batch_id, "status": "cancel"}]


def test_a_schedule_more_than_72_hours_ahead_or_past_is_refused(
    make: Callable[..., SendGrid], sendgrid_server: SendGridServer, content: Content
) -> None:
    transport = make()
    now = clock.now()
    with pytest.raises(UsageError, match="73 hours ahead; SendGrid holds scheduled messages"):
        transport.new_schedule(now + timedelta(hours=73))
    with pytest.raises(UsageError, match="is in the past"):
        transport.new_schedule(now - timedelta(minutes=1))
    with pytest.raises(UsageError, match="time zone"):
        transport.new_schedule(datetime(2026, 11, 24, 9))
    with pytest.raises(DeliveryFailed) as raised:
        transport.send(content, deliveries(1), schedule=Schedule(now + timedelta(hours=80)))
    assert raised.value.fatal
    assert sendgrid_server.requests == []


def test_cancelling_an_unknown_batch_says_what_sendgrid_said(make: Callable[..., SendGrid]) -> None:
    with pytest.raises(DeliveryFailed, match="batch_id: batch id is invalid"):
        make().cancel("no-such-batch")


# -- from the environment -------------------------------------------------------------


def test_from_environment(monkeypatch: pytest.MonkeyPatch, sendgrid_server: SendGridServer) -> None:
    settings = DeliverySettings(unsubscribe_url="https://example.org/u?e={email}")
    with pytest.raises(UsageError, match="SENDGRID_API_KEY is not set"):
        SendGrid.from_environment(settings)

    monkeypatch.setenv("SENDGRID_API_KEY", "SG.with a space")
    with pytest.raises(UsageError) as raised:
        SendGrid.from_environment(settings)
    assert "spaces or line breaks" in str(raised.value) and "SG." not in str(raised.value)

    monkeypatch.setenv("SENDGRID_API_KEY", f"  {sendgrid_server.api_key}\n")
    monkeypatch.setenv("PRESSROOM_SENDGRID_URL", "http://sendgrid.example.net")
    with pytest.raises(UsageError, match="not an https:// address"):
        SendGrid.from_environment(settings)

    monkeypatch.setenv("PRESSROOM_SENDGRID_URL", sendgrid_server.url + "/")
    transport = SendGrid.from_environment(settings, timeout=5)
    assert transport.base_url == sendgrid_server.url
    assert transport.unsubscribe_url == settings.unsubscribe_url
    assert transport.timeout == 5
    assert transport.new_schedule(clock.now() + timedelta(hours=1)).batch_id

    monkeypatch.delenv("PRESSROOM_SENDGRID_URL")
    assert SendGrid.from_environment(settings).base_url == "https://api.sendgrid.com"


# -- the test server's own checks ---------------------------------------------------------


def _call(
    server: SendGridServer,
    method: str,
    path: str,
    body: Any = None,
    *,
    key: str | None = "default",
    raw: bytes | None = None,
) -> tuple[int, bytes]:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(server.url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if key is not None:
        request.add_header("Authorization", f"Bearer {server.api_key if key == 'default' else key}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _valid(content: Content, count: int = 2) -> dict[str, Any]:
    return SendGrid(FAKE_KEY).payload(content, deliveries(count))


def _personalization(address: str) -> dict[str, Any]:
    return {"to": [{"email": address}]}


def _without(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda payload: payload.pop(key)


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda payload: payload.__setitem__(key, value)


MALFORMED: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "no from": (_without("from"), "from.email"),
    "bad from": (_set("from", {"email": "press"}), "from.email"),
    "no personalizations": (_without("personalizations"), "personalizations"),
    "1001 personalizations": (
        _set("personalizations", [_personalization(f"p{i}@x.example") for i in range(1001)]),
        "personalizations",
    ),
    "1001 recipients": (
        _set("personalizations", [{"to": [{"email": f"p{i}@x.example"} for i in range(1001)]}]),
        "personalizations",
    ),
    "an address twice": (
        lambda p: p["personalizations"].append(_personalization("REPORTER0@outlet0.example")),
        "personalizations.2.to",
    ),
    "an address in to and bcc": (
        lambda p: p["personalizations"][0].__setitem__(
            "bcc", [{"email": "reporter0@outlet0.example"}]
        ),
        "personalizations.0.bcc",
    ),
    "a comma in a name": (
        lambda p: p["personalizations"][0]["to"][0].__setitem__("name", "Ortiz, Ana"),
        "personalizations.0.to.0.name",
    ),
    "no subject": (_without("subject"), "subject"),
    "no content": (_without("content"), "content"),
    "html before text": (lambda p: p["content"].reverse(), "content"),
    "empty content value": (lambda p: p["content"][0].__setitem__("value", ""), "content.0"),
    "send_at beyond 72 hours": (
        _set("send_at", int((clock.now() + timedelta(hours=72, minutes=1)).timestamp())),
        "send_at",
    ),
    "an unknown batch id": (_set("batch_id", "no-such-batch"), "batch_id"),
    "attachment not base64": (
        lambda p: p["attachments"][0].__setitem__("content", "not base64!"),
        "attachments.0.content",
    ),
    "attachment without filename": (
        lambda p: p["attachments"][1].pop("filename"),
        "attachments.1.filename",
    ),
    "attachment without content": (
        lambda p: p["attachments"][2].pop("content"),
        "attachments.2.content",
    ),
    "a reserved header": (lambda p: p["headers"].__setitem__("Subject", "x"), "headers.Subject"),
    "a reserved personal header": (
        lambda p: p["personalizations"][0].__setitem__("headers", {"x-sg-id": "1"}),
        "personalizations.0.headers.x-sg-id",
    ),
    "11 categories": (_set("categories", [f"c{i}" for i in range(11)]), "categories"),
    "a non-ASCII category": (_set("categories", ["pressroom", "d\u00e9claration"]), "categories.1"),
    "custom_args over 10,000 bytes": (
        lambda p: p["personalizations"][0]["custom_args"].__setitem__("blob", "x" * 10_000),
        "personalizations.0.custom_args",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_the_server_refuses_what_sendgrid_refuses(
    case: str, sendgrid_server: SendGridServer, content: Content
) -> None:
    payload = _valid(content)
    change, field = MALFORMED[case]
    change(payload)
    status, body = _call(sendgrid_server, "POST", "/v3/mail/send", payload)
    assert status == 400, body
    errors = json.loads(body)["errors"]
    assert field in [e["field"] for e in errors]
    assert all(set(e) == {"message", "field", "help"} and e["message"] for e in errors)
    assert not sendgrid_server.accepted


def test_the_server_accepts_a_valid_request(
    sendgrid_server: SendGridServer, content: Content
) -> None:
    status, body = _call(sendgrid_server, "POST", "/v3/mail/send", _valid(content))
    assert (status, body) == (202, b"")
    assert sendgrid_server.mail[0].message_id
    assert check_mail(_valid(content, 1000), clock.now().timestamp()) == []


def test_the_server_checks_the_key_size_and_type(
    sendgrid_server: SendGridServer, content: Content
) -> None:
    payload = _valid(content)
    assert _call(sendgrid_server, "POST", "/v3/mail/send", payload, key=None)[0] == 401
    assert _call(sendgrid_server, "POST", "/v3/mail/send", payload, key="SG.other")[0] == 401
    assert _call(sendgrid_server, "POST", "/v3/mail/send", raw=b"{not json")[0] == 400
    assert _call(sendgrid_server, "POST", "/v3/nowhere", payload)[0] == 404
    too_big = b" " * (30_000_001 - 2) + b"{}"
    status, body = _call(sendgrid_server, "POST", "/v3/mail/send", raw=too_big)
    assert status == 413 and json.loads(body)["errors"][0]["message"]
    assert sendgrid_server.mail[-1].size == 30_000_001
    assert (
        _call(
            sendgrid_server,
            "POST",
            "/v3/user/scheduled_sends",
            {"batch_id": "x", "status": "cancel"},
        )[0]
        == 400
    )


def test_the_server_clock_follows_pressroom_now(
    sendgrid_server: SendGridServer, content: Content
) -> None:
    payload = _valid(content)
    payload["send_at"] = int((clock.now() + timedelta(hours=71)).timestamp())
    assert _call(sendgrid_server, "POST", "/v3/mail/send", payload)[0] == 202
    sendgrid_server.set_now(clock.now() - timedelta(hours=2))
    assert _call(sendgrid_server, "POST", "/v3/mail/send", payload)[0] == 400

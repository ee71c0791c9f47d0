"""The SendGrid request body written as bytes (issue 20) is byte for byte what
``json.dumps`` made of the dict before: :func:`_reference_body` below is the body
as it was built then, kept here, and every generated batch (names and greetings
that need escaping, non-ASCII, commas, internationalised domains, proofs,
schedules, unsubscribe URLs, batches that are refused) is built both ways, with
the same bytes or the same refusal. The dict the transport still offers
(``SendGrid.payload``) is compared too."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from pressroom import clock
from pressroom.deliver.message import (
    GREETING,
    UNSUBSCRIBE,
    Attachment,
    Content,
    Delivery,
    mailto_unsubscribe,
    unsubscribe_headers,
    unsubscribe_link,
    unsubscribe_target,
)
from pressroom.deliver.sendgrid import SendGrid
from pressroom.deliver.sendgrid_body import encode_attachments, mail_body, recipient_ids
from pressroom.deliver.sendgrid_wire import BodyWriter
from pressroom.deliver.transport import DeliveryFailed, Schedule
from pressroom.model.address import ascii_form
from pressroom.model.header import require_header_safe

# -- the body as it was built before it was written as bytes -----------------------


def _reference_body(
    content: Content,
    deliveries: list[Delivery],
    attachments: list[dict[str, str]],
    *,
    test: bool = False,
    schedule: Schedule | None = None,
    unsubscribe_url: str | None = None,
) -> bytes:
    """``json.dumps(mail_body(...)).encode("utf-8")`` as mail_body was (abridged:
    the messages of its refusals, not their wording, are compared with the real one's)."""
    tags = ("%hi%", "%hi_html%", "%unsub%", "%unsub_html%")
    if len(deliveries) > 1000:
        raise DeliveryFailed("count", fatal=True)
    keys = [d.email.strip().lower() for d in deliveries]
    if len(set(keys)) != len(keys):
        raise DeliveryFailed("twice", fatal=True)
    if any(tag in part for part in (content.subject, content.text, content.html) for tag in tags):
        raise DeliveryFailed("tag", fatal=True)
    try:
        require_header_safe(content.subject, "s")
        require_header_safe(content.sender_name or "", "s")
        for value in content.headers.values():
            require_header_safe(value, "h")
        for d in deliveries:
            require_header_safe(d.name or "", "n")
    except ValueError:
        raise DeliveryFailed("unsafe", fatal=True) from None

    def wire(address: str) -> str:
        form = ascii_form(address)
        if form is None:
            raise DeliveryFailed("wire", fatal=True)
        return form

    greetings = {d.greeting for d in deliveries}
    one_tag = all(str(escape(g)) == g for g in greetings)
    urls = [
        d.unsubscribe_url
        or (unsubscribe_link(unsubscribe_url, d.email) if unsubscribe_url else None)
        for d in deliveries
    ]
    own = any(urls)
    targets = [url or mailto_unsubscribe(content.sender) for url in urls]
    one_unsub = not own or all(str(escape(t)) == t for t in targets)
    html_tag = "%hi%" if one_tag else "%hi_html%"
    unsub_html = "%unsub%" if one_unsub else "%unsub_html%"
    sender = {"email": wire(content.sender)}
    if content.sender_name:
        sender["name"] = content.sender_name
    body: dict[str, Any] = {
        "from": sender,
        "subject": ("[TEST] " if test else "") + content.subject,
        "content": [
            {
                "type": "text/plain",
                "value": content.text.replace(UNSUBSCRIBE, "%unsub%").replace(GREETING, "%hi%"),
            },
            {
                "type": "text/html",
                "value": content.html.replace(UNSUBSCRIBE, unsub_html).replace(GREETING, html_tag),
            },
        ],
    }
    if content.reply_to:
        body["reply_to"] = {"email": wire(content.reply_to)}
    if attachments:
        body["attachments"] = attachments
    headers = dict(content.headers)
    if test:
        headers["X-Pressroom-Test"] = "yes"
    if any(name.lower() in ("to", "from", "subject", "x-sg-id") for name in headers):
        raise DeliveryFailed("reserved", fatal=True)
    body["headers"] = headers
    release = "".join(c for c in content.release if c.isascii() and c.isprintable())[:255]
    body["categories"] = (
        ["pressroom"] + ([release] if release else []) + (["pressroom-test"] if test else [])
    )
    body["custom_args"] = {
        "pressroom_release": content.release,
        "pressroom_version": content.version,
        **({"pressroom_test": "yes"} if test else {}),
    }
    people = []
    for d, url in zip(deliveries, urls, strict=True):
        to = {"email": wire(d.email)}
        name = " ".join((d.name or "").replace(",", " ").replace(";", " ").split())
        if name:
            to["name"] = name
        subs: dict[str, str] = {}
        if content.greeting is not False:
            subs["%hi%"] = d.greeting
            if not one_tag:
                subs["%hi_html%"] = str(escape(d.greeting))
        digest = hashlib.sha256(f"{content.version}\0{d.email.strip().lower()}".encode())
        rcpt = base64.urlsafe_b64encode(digest.digest()[:6]).decode()
        one: dict[str, Any] = {"to": [to], "substitutions": subs, "custom_args": {"rcpt": rcpt}}
        if own:
            with_url = Delivery(d.email, d.name, d.greeting, url)
            one["headers"] = unsubscribe_headers(content, with_url)
            target = unsubscribe_target(content, with_url)
            subs["%unsub%"] = target
            if not one_unsub:
                subs["%unsub_html%"] = str(escape(target))
        if not subs:
            del one["substitutions"]
        people.append(one)
    body["personalizations"] = people
    tracking: dict[str, Any] = {"enable": not own}
    if not own:
        tracking["substitution_tag"] = "%unsub%"
    body["tracking_settings"] = {"subscription_tracking": tracking}
    if schedule is not None:
        if schedule.send_at - clock.now() > timedelta(hours=72):
            raise DeliveryFailed("ahead", fatal=True)
        body["send_at"] = int(schedule.send_at.timestamp())
        if schedule.batch_id:
            body["batch_id"] = schedule.batch_id
    return json.dumps(body).encode("utf-8")


# -- generated releases and batches ----------------------------------------------------

HOSTILE = "\"\\'&<>,;  é€😀\u00a0\u200b/%{}"
"""Characters that need escaping in JSON or HTML, or that a name loses, or non-ASCII."""
words = st.text(alphabet=st.sampled_from(list("abcXYZ 019") + list(HOSTILE)), max_size=12)
unsafe_words = st.text(alphabet=st.sampled_from(list("ab \n\t\x00\u2028")), max_size=4)

locals_ = st.sampled_from(["ana", "o'brien", "a.b+c", "x_y", "ANA", "bob", "jlópez", '"q q"'])
domains = st.sampled_from(["outlet.example", "Bücher.example", "news.example", "x"])
emails = st.builds(lambda a, i, d: f"{a}{i}@{d}", locals_, st.integers(0, 40), domains)
greetings = st.one_of(
    st.sampled_from(["Dear Ana,", "Hello,", "Dear O'Brien & Co,", "Liebe Jürgen,", ""]),
    words,
)
urls = st.one_of(
    st.none(),
    st.sampled_from(["https://x.example/u?a=1&b=2", "https://x.example/ü/<me>", "https://x/u"]),
)


@st.composite
def batches(draw: st.DrawFn, safe: bool = True) -> list[Delivery]:
    names = st.one_of(st.none(), words, unsafe_words) if not safe else st.one_of(st.none(), words)
    people = draw(
        st.lists(st.builds(Delivery, emails, names, greetings, urls), min_size=1, max_size=25)
    )
    if safe:
        people = [p for p in people if ascii_form(p.email) is not None] or [
            Delivery("only@outlet.example", None, "Hello,")
        ]
        seen: set[str] = set()
        people = [p for p in people if not (p.email.lower() in seen or seen.add(p.email.lower()))]
    return people


PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


@st.composite
def contents(draw: st.DrawFn) -> Content:
    part = st.builds(
        lambda a, b, c: a + b + c,
        words,
        st.sampled_from([GREETING, UNSUBSCRIBE, GREETING + UNSUBSCRIBE, "", "%hi%"]),
        words,
    )
    return Content(
        subject=draw(st.one_of(words, unsafe_words)) or "Subject",
        html="<p>" + draw(part) + "</p>",
        text=draw(part),
        sender="press@sidewalkcommons.example",
        sender_name=draw(st.one_of(st.none(), words)),
        reply_to=draw(st.sampled_from([None, "desk@Bücher.example"])),
        attachments=draw(
            st.sampled_from(
                [
                    (),
                    (Attachment("release.pdf", "application/pdf", PDF),),
                    (
                        Attachment("r é.pdf", "application/pdf", PDF),
                        Attachment("logo.png", "image/png", b"\x89PNG" * 9, content_id="l@x"),
                    ),
                ]
            )
        ),
        headers=draw(
            st.sampled_from(
                [{"X-Pressroom-Release": "r", "X-Pressroom-Version": "v"}, {"Subject": "x"}]
            )
        ),
        release=draw(st.sampled_from(["2026-03-02-streetsight", "déclaration-ü", "é"])),
        version=draw(st.sampled_from(["v1", "0123abcd" * 8])),
        greeting=draw(st.sampled_from([True, False, "Hi %(name)s"])),
    )


schedules = st.one_of(
    st.none(), st.tuples(st.sampled_from([1, 80]), st.sampled_from([None, "batch-1"]))
)
"""(hours ahead, batch id): SendGrid holds a message 72 hours at most."""
TEMPLATES = [None, "https://x.example/u?e={email}&a=b", "https://x.example/u/{email}"]


def _outcome(build: Any, *args: Any, **options: Any) -> bytes | str:
    try:
        return bytes(build(*args, **options))
    except DeliveryFailed as exc:
        assert exc.fatal
        return "refused"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=contents(),
    runs=st.lists(
        st.tuples(batches(safe=False), st.booleans(), schedules, st.sampled_from(TEMPLATES)),
        min_size=1,
        max_size=4,
    ),
)
def test_the_bytes_are_what_json_dumps_made_of_the_body(
    content: Content, runs: list[tuple[list[Delivery], bool, Any, str | None]]
) -> None:
    writer = BodyWriter()  # one writer for all the batches: its kept parts are reused
    attachments = encode_attachments(content.attachments)
    for deliveries, test, ahead, template in runs:
        schedule = None
        if ahead is not None:
            schedule = Schedule(clock.now() + timedelta(hours=ahead[0]), ahead[1])
        options: dict[str, Any] = {"test": test, "schedule": schedule, "unsubscribe_url": template}
        expected = _outcome(_reference_body, content, deliveries, attachments, **options)
        assert _outcome(writer.body, content, deliveries, attachments, **options) == expected
        assert _outcome(_dumped, content, deliveries, attachments, **options) == expected


def _dumped(*args: Any, **options: Any) -> bytes:
    """The dict the transport still offers (``SendGrid.payload``), serialised."""
    return json.dumps(mail_body(*args, **options)).encode()


@settings(max_examples=150, deadline=None)
@given(content=contents(), deliveries=batches(), test=st.booleans())
def test_a_batch_refused_is_refused_with_the_same_message(
    content: Content, deliveries: list[Delivery], test: bool
) -> None:
    """Both ways refuse with the same words (the reference above says only whether)."""
    attachments = encode_attachments(content.attachments)
    twice = [*deliveries, Delivery(deliveries[0].email.upper(), None, "Hello,")]
    unsafe = [*deliveries, Delivery("n@outlet.example", "Ana\nBcc: x", "Hello,")]
    for batch in (deliveries, twice, unsafe):
        messages = []
        for build in (mail_body, BodyWriter().body):
            try:
                build(content, batch, attachments, test=test)
                messages.append(None)
            except DeliveryFailed as exc:
                messages.append(str(exc))
        assert messages[0] == messages[1]


def test_the_recipient_ids_are_the_ones_computed_one_by_one() -> None:
    from pressroom.deliver.sendgrid_body import recipient_id

    content = Content("s", "h", "t", "p@x.example", None, None, (), {}, "r", "0123abcd" * 8)
    addresses = [f" Reporter{i}@Outlet.example " for i in range(50)] + ["é@x", "", "a\nb@x"]
    assert recipient_ids(content, addresses) == [recipient_id(content, a) for a in addresses]
    assert recipient_ids(content, []) == []
    assert recipient_ids(content, [""]) == [recipient_id(content, "")]


def test_the_transport_sends_what_its_payload_says() -> None:
    """``SendGrid.payload`` (the dict, for the preflight and the tests) and the bytes
    ``SendGrid.send`` posts agree, batch after batch of the same release."""
    content = Content(
        "Subject é",
        f"<p>{GREETING}</p>{UNSUBSCRIBE}",
        f"{GREETING}\n{UNSUBSCRIBE}",
        "press@x.example",
        "Press Office",
        None,
        (Attachment("r.pdf", "application/pdf", PDF),),
        {"X-Pressroom-Release": "r"},
        "r",
        "v1",
    )
    transport = SendGrid("SG.fake-key", unsubscribe_url="https://x.example/u?e={email}")
    posted: list[bytes] = []
    transport._post_mail = posted.append  # type: ignore[method-assign,assignment]
    transport._request = lambda do, **_: (do(), type("R", (), {"headers": {}}))[1]  # type: ignore[method-assign]
    for first in range(3):
        people = [
            Delivery(f"r{i}@x.example", f"R, {i}", "Dear O'Brien," if i % 2 else "Hi,")
            for i in range(first * 10, first * 10 + 10)
        ]
        transport.send(content, people, test=first == 1)
        assert (
            posted[-1] == json.dumps(transport.payload(content, people, test=first == 1)).encode()
        )

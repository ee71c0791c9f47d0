"""A claimed batch made deliveries in one pass (issue 20) gives what the careful
way, one recipient at a time, gave before: the same deliveries, in the same order,
and the same recipients refused with the same reasons. :func:`_one_by_one` is the
send's loop as it was, kept here; generated batches hold names no header can
carry, addresses that are none or that SendGrid refuses, first names repeated
and missing, and greetings of every kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom.deliver.addressees import deliveries
from pressroom.deliver.message import Content, Delivery, greeting_for, unsubscribe_link
from pressroom.deliver.sendgrid import SendGrid
from pressroom.deliver.transport import RecipientRefused, refusal
from pressroom.i18n.labels import words_for
from pressroom.model.address import address_problem
from pressroom.model.contacts import Addressee
from pressroom.model.header import header_problem


def _one_by_one(
    claimed: Sequence[Addressee], content: Content, transport: Any, template: str | None
) -> tuple[list[Delivery], list[Addressee], list[tuple[Addressee, str]]]:
    """The loop of ``deliver`` and its ``_delivery`` as they were."""
    made: list[Delivery] = []
    batch: list[Addressee] = []
    refused: list[tuple[Addressee, str]] = []
    greetings: dict[str | None, str] = {}
    for recipient in claimed:
        try:
            problem = header_problem(recipient.name or "") or address_problem(recipient.email)
            if problem is not None:
                raise RecipientRefused(f"{recipient.email}: {problem}")
            greeting = greetings.get(recipient.first_name)
            if greeting is None:
                greeting = greeting_for(recipient, content.words, content.greeting)
                greetings[recipient.first_name] = greeting
            delivery = Delivery(
                recipient.email,
                recipient.name,
                greeting,
                unsubscribe_link(template, recipient.email) if template else None,
            )
            reason = refusal(transport, delivery)
            if reason is not None:
                raise RecipientRefused(reason)
            made.append(delivery)
            batch.append(recipient)
        except RecipientRefused as exc:
            refused.append((recipient, exc.reason))
    return made, batch, refused


class _Plain:
    """A transport that takes every address (it has no ``refusal``)."""

    name = "plain"
    batch_size = 1000

    def send(self, content: Content, deliveries: Sequence[Delivery], **_: Any) -> list[str]:
        return [""] * len(deliveries)


class _Picky(_Plain):
    """One that refuses some addresses (as an SMTP server without SMTPUTF8 would)."""

    def refusal(self, delivery: Delivery) -> str | None:
        return f"{delivery.email}: no" if "7" in delivery.email else None


TRANSPORTS = [_Plain(), _Picky(), SendGrid("SG.fake-key")]

emails = st.one_of(
    st.builds(
        lambda a, i, d: f"{a}{i}@{d}",
        st.sampled_from(["ana", "o'brien", "ANA", "jlópez", "a..b", "", "x y"]),
        st.integers(0, 30),
        st.sampled_from(["outlet.example", "bücher.example", "x", "-bad-.example"]),
    ),
    st.sampled_from(["", "no-at-sign", "a@b@c.example"]),
)
names = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(list("Ab ,;'\"éü\n\t\x00\u2028")), max_size=8),
)
first_names = st.one_of(st.none(), st.sampled_from(["", "Ana", "Jürgen", "O'Brien & Co", "  "]))
addressees = st.builds(Addressee, emails, names, first_names, st.just(["big"]), st.just(""))


def _content(greeting: bool | str, language: str) -> Content:
    return Content(
        "s", "h", "t", "p@x.example", None, None, (), {}, "r", "v1", words_for(language), greeting
    )


@settings(max_examples=300, deadline=None)
@given(
    claimed=st.lists(addressees, max_size=30),
    transport=st.sampled_from(TRANSPORTS),
    template=st.sampled_from([None, "https://x.example/u?e={email}"]),
    greeting=st.sampled_from([True, False, "Hi %(name)s,", "Hello all,"]),
    language=st.sampled_from(["en", "de"]),
)
def test_one_pass_makes_what_one_by_one_made(
    claimed: list[Addressee], transport: Any, template: str | None, greeting: Any, language: str
) -> None:
    content = _content(greeting, language)
    assert deliveries(claimed, content, transport, template) == _one_by_one(
        claimed, content, transport, template
    )


def test_a_name_no_header_can_carry_is_refused_alone() -> None:
    claimed = [
        Addressee("ana@outlet.example", "Ana", "Ana", []),
        Addressee("bo@outlet.example", "Bo\nBcc: x@y.example", "Bo", []),
        Addressee("not an address", "Cy", None, []),
        Addressee("jlópez@outlet.example", "J", "J", []),
    ]
    transport = SendGrid("SG.fake-key")
    made, batch, refused = deliveries(claimed, _content(True, "en"), transport, None)
    assert [d.email for d in made] == [r.email for r in batch] == ["ana@outlet.example"]
    assert [r.email for r, _ in refused] == [r.email for r in claimed[1:]]
    assert "a line break" in refused[0][1] and "not an email address" in refused[1][1]
    assert "non-ASCII" in refused[2][1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.builds(Delivery, emails, names, st.just("Hello,")), max_size=20))
def test_sendgrid_refuses_a_batch_as_it_refuses_each(batch: list[Delivery]) -> None:
    transport = SendGrid("SG.fake-key")
    assert transport.refusals(batch) == [transport.refusal(d) for d in batch]


@settings(max_examples=300, deadline=None)
@given(st.one_of(emails, st.text(max_size=12), st.text(alphabet="aZ09_.~-@ %/+", max_size=12)))
def test_an_unsubscribe_link_quotes_the_address_as_urllib_does(email: str) -> None:
    from urllib.parse import quote

    template = "https://x.example/u?e={email}&again={email}"
    assert unsubscribe_link(template, email) == template.replace(
        "{email}", quote(email.strip(), safe="")
    )

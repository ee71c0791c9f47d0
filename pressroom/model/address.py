"""Email addresses: checked once, where a file names them, by ``email-validator``.

The same rules hold for pressroom.yaml (sender, people), the media lists,
``contacts import`` and ``send --test``: the syntax of RFC 5322 as
email-validator reads it (no DNS look-up: pressroom works offline),
internationalised addresses included. What each transport can really send:

- a domain with non-ASCII letters (``ana@bücher.example``) is sent in its ASCII
  form (``ana@xn--bcher-kva.example``) by every transport;
- non-ASCII letters before the ``@`` (``jlópez@example.mx``) need SMTPUTF8:
  the SMTP transport sends them when the server offers it and refuses that
  recipient otherwise; the outbox writes them as RFC 6532 UTF-8 headers;
  SendGrid refuses such a recipient (its API takes ASCII addresses).

The address is kept as written; :func:`ascii_form` gives the form to send.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator

from pressroom.model.header import visible

_ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-"
_PLAIN = re.compile(f"([{_ATEXT}]+(?:\\.[{_ATEXT}]+)*)@([A-Za-z0-9.-]+)")
"""An ASCII dot-atom before the ``@`` (what nearly every list holds), a plain domain after."""
LOCAL_MAX = 64  # RFC 5321 4.5.3.1.1
ADDRESS_MAX = 254  # RFC 3696 errata: what fits in a path of 256 with its angle brackets


def _plain(text: str) -> str | None:
    """The ASCII form of *text* if it is a plain address (an ASCII dot-atom before the
    ``@``, a plain domain after: what nearly every list holds) that email-validator
    accepts; None when it is not plain, or when email-validator must judge it whole.

    Not cached: a regular expression and the domain's cached verdict cost less than
    a cache of addresses would (a long list has as many addresses as rows).
    """
    plain = _PLAIN.fullmatch(text)
    if plain is not None and plain.end(1) <= LOCAL_MAX and len(text) <= ADDRESS_MAX:
        # a list repeats its outlets' domains: judge each domain once (the costly part)
        domain = plain[2]
        if _domain_ok(domain):
            return f"{plain[1]}@{domain.lower()}"
    return None


@lru_cache(maxsize=2048)
def _validated(text: str) -> tuple[str | None, str | None]:
    """(the ASCII form or None when the local part is not ASCII, None) or (None, why not).

    The cache is small on purpose: it holds the addresses that are not plain
    (:func:`_plain` answers for the others), which a send checks twice (reading the
    list, making the message) within a batch or two.
    """
    wire = _plain(text)
    if wire is not None:
        return wire, None
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        return None, str(exc).rstrip(".")
    return result.ascii_email, None


@lru_cache(maxsize=4096)
def _domain_ok(domain: str) -> bool:
    try:
        validate_email(f"a@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def address_problem(text: str) -> str | None:
    """Why *text* is not an email address pressroom can send to, or None."""
    if not text:
        return "is empty"
    plain = _PLAIN.fullmatch(text)  # _plain(text), without making its ASCII form
    if (
        plain is not None
        and plain.end(1) <= LOCAL_MAX
        and len(text) <= ADDRESS_MAX
        and _domain_ok(plain[2])
    ):
        return None
    why = _validated(text)[1]
    if why is None:
        return None
    return f"'{visible(text)}' is not an email address ({why[:1].lower()}{why[1:]})"


def is_email(text: str) -> bool:
    return address_problem(text) is None


def email_address(text: str) -> str:
    """*text* itself; ValueError naming what is wrong if it is not an address."""
    problem = address_problem(text)
    if problem is not None:
        raise ValueError(problem)
    return text


def ascii_form(text: str) -> str | None:
    """The address to put on the wire without SMTPUTF8 (domain in IDNA), or None if
    its local part is not ASCII. Text that is no address is returned as it is (the
    models refuse it; a server refusing it again is the second wall)."""
    wire = _plain(text)
    if wire is not None:
        return wire
    wire, why = _validated(text)
    return text if why is not None else wire


def needs_smtputf8(text: str) -> bool:
    """Whether *text* can only be sent with SMTPUTF8 (non-ASCII before the ``@``)."""
    return ascii_form(text) is None


EmailAddress = Annotated[str, AfterValidator(email_address)]
"""A model field holding an email address (validated, kept as written)."""

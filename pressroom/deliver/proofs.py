"""The addresses a proof goes to (``send --test``), as people type them.

``--test`` may be repeated, and each value may hold several addresses
separated by commas or semicolons, each bare (``a@example.org``) or with a
name (``Ana Lee <a@example.org>``, ``"Lee, Ana" <a@example.org>``): the
proof goes to the address. Whether each is an address pressroom can send to
is then judged as the lists' addresses are (:mod:`pressroom.model.address`,
in :func:`pressroom.deliver.send.prepare`): a proof never goes somewhere unmeant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pressroom.errors import UsageError

_NAMED = re.compile(r'^(?:"[^"]*"|[^"<>])*<(?P<address>[^<>]*)>\s*$')


def _parts(value: str) -> Iterable[str]:
    """*value* cut at the commas and semicolons outside quotes and angle brackets."""
    part, quoted, bracketed = "", False, False
    for char in value:
        if char == '"' and not bracketed:
            quoted = not quoted
        elif char == "<" and not quoted:
            bracketed = True
        elif char == ">" and not quoted:
            bracketed = False
        elif char in ",;" and not quoted and not bracketed:
            yield part
            part = ""
            continue
        part += char
    yield part


def proof_addresses(values: Iterable[str]) -> list[str]:
    """Every address in the ``--test`` *values*, once each, in order (not yet judged)."""
    found: list[str] = []
    for value in values:
        parts = [part.strip() for part in _parts(value) if part.strip()]
        if not parts:
            raise UsageError("--test: give an address, e.g. --test me@example.org")
        for part in parts:
            named = _NAMED.match(part)
            address = named["address"].strip() if named else part
            if address.lower() not in (a.lower() for a in found):
                found.append(address)
    return found

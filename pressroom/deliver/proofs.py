"""The addresses a proof goes to (``send --test``), as people type them.

``--test`` may be repeated, and each value may hold several addresses
separated by commas or semicolons, each bare (``a@example.org``) or with a
name (``Ana Lee <a@example.org>``). Anything that is not one clear address
(:mod:`pressroom.model.address` says what is) is refused with a message
naming it: a proof never goes somewhere unmeant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.utils import getaddresses

from pressroom.errors import UsageError
from pressroom.model.address import address_problem

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def proof_addresses(values: Iterable[str]) -> list[str]:
    """Every address in the ``--test`` *values*, once each, in order."""
    found: list[str] = []
    for value in values:
        if _CONTROL.search(value):
            raise UsageError(f"--test {value!r}: an address cannot hold a line break or control")
        parts = [part for part in re.split(r"[,;]", value) if part.strip()]
        if not parts:
            raise UsageError("--test needs an address, e.g. --test me@example.org")
        for part in parts:
            pairs = getaddresses([part])
            address = pairs[0][1].strip() if len(pairs) == 1 else ""
            problem = address_problem(address) if address else "holds no address"
            if problem is not None:
                raise UsageError(
                    f"--test {part.strip()!r}: {problem}; write it as me@example.org "
                    "or 'Me <me@example.org>'"
                )
            if address.lower() not in (a.lower() for a in found):
                found.append(address)
    return found

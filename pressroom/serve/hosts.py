"""Which names the preview answers to, and whether it stays on this computer.

A request must name this computer, the address listened on or a name given
with ``--allowed-host`` in its Host header, whatever the preview listens on,
so that a web page elsewhere cannot read an embargoed release through the
writer's browser (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

LOCAL_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
WILDCARDS = ("0.0.0.0", "::", "[::]", "")


def is_loopback(host: str) -> bool:
    """Whether listening on *host* keeps the preview on this computer."""
    if host.strip("[]") in ("localhost", *LOCAL_NAMES):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> list[str]:
    """The names a request may give in its Host header: this computer's loopback
    names, the address listened on (unless it is every address) and *extra*.

    Never "any": a web page elsewhere must not read an embargoed release
    through DNS rebinding, whatever the preview listens on.
    """
    names = set(LOCAL_NAMES)
    if host not in WILDCARDS:
        names.add(host)
    names.update(name.strip().lower() for name in extra if name.strip())
    return sorted(names)

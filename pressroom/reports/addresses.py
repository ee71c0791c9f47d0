"""Which addresses of the media lists must not, or should not, be mailed: for ``contacts``.

*Suppressed*: on the log's suppressions (unsubscribed, hard bounce, spam
report, invalid, or by hand): ``send`` skips them. *Bouncing*: not suppressed,
but the last thing SendGrid said of the address was a soft bounce (blocked) or
a drop, not a delivery: worth checking before the next send.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pressroom.sendlog import open_log, room_log

BOUNCING = ("blocked", "dropped", "bounce")
"""The kinds that mark an address as bouncing, unless a delivery came after."""


@dataclass(frozen=True)
class Mark:
    state: str  # "suppressed" or "bouncing"
    reason: str
    since: str


def address_marks(root: Path, database: str | None = None) -> dict[str, Mark]:
    """Per address key: why it is suppressed or bouncing (read-only; none without a log)."""
    where = room_log(root, database)
    if not where.exists():
        return {}
    with open_log(where, read_only=True) as log:
        suppressed = log.suppression_details()
        latest = log.event_kinds_by_address(("delivered", *BOUNCING))
    marks = {
        key: Mark("suppressed", detail or reason, since)
        for key, (reason, since, detail) in suppressed.items()
    }
    for key, (kind, at) in latest.items():
        if key not in marks and kind in BOUNCING:
            marks[key] = Mark("bouncing", kind, at)
    return marks

"""The one place pressroom asks what time it is.

``PRESSROOM_NOW`` (ISO 8601, e.g. ``2026-12-01T09:00:00-05:00``) fixes the
current time for every command, so that embargoes can be tested and
rehearsed. A value without an offset is taken as UTC.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from pressroom.errors import PressroomError

ENV_VAR = "PRESSROOM_NOW"


def is_fixed() -> bool:
    """Whether ``PRESSROOM_NOW`` sets the time (the public newsroom refuses it unless asked)."""
    return bool(os.environ.get(ENV_VAR, "").strip())


def now() -> datetime:
    """The current time, timezone-aware, honouring ``PRESSROOM_NOW``."""
    fixed = os.environ.get(ENV_VAR, "").strip()
    if not fixed:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
    except ValueError:
        raise PressroomError(
            f"{ENV_VAR}={fixed!r} is not an ISO 8601 time "
            "(write it like 2026-12-01T09:00:00-05:00, or unset it)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment

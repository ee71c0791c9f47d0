"""Names that become files and addresses: a release's, a media list's.

A release's name is its file's stem: its folder in ``build/``, its key in the
send log, its address in the newsroom and the preview. A list's name is its
file's stem in ``contacts/``. One name must mean one file, and no name may
lead anywhere else: names are checked whole (``re.fullmatch``: ``evil\\n``
is not ``evil``), must not be empty, start with a dot (``..``, ``.env``) or
hold a slash, a backslash or a control character.
"""

from __future__ import annotations

import re
from datetime import date

_NAME = re.compile(r"[^\x00-\x1f\x7f/\\.][^\x00-\x1f\x7f/\\]*")
"""Any name a file of the room can have and be found by: no dot first, no separators."""

NAME_RULE = (
    "a name must not be empty, start with a dot, or contain a slash, a backslash "
    "or a control character (such as a line break)"
)


def is_name(text: str) -> bool:
    """True when *text*, whole, is a name a release or a list may have."""
    return isinstance(text, str) and _NAME.fullmatch(text) is not None and text.strip() == text


_DATE_FIRST = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:-|$)")


def date_in_name(name: str) -> date | None:
    """The date a release's name starts with (``2026-12-01-audit``), if it is a real one."""
    match = _DATE_FIRST.match(name)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None

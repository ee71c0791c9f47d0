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

_NAME = re.compile(r"[^\x00-\x1f\x7f/\\.][^\x00-\x1f\x7f/\\]*")
"""Any name a file of the room can have and be found by: no dot first, no separators."""

NAME_RULE = (
    "a name must not be empty, start with a dot, or contain a slash, a backslash "
    "or a control character (such as a line break)"
)


def is_name(text: str) -> bool:
    """True when *text*, whole, is a name a release or a list may have."""
    return isinstance(text, str) and _NAME.fullmatch(text) is not None and text.strip() == text

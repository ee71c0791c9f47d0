"""Text that goes into a mail header: refused at load time if it cannot.

A headline becomes the Subject, the sender's and each journalist's name go into
From and To. A line break there would end the header (or start a new one); a
NUL, a vertical tab or a Unicode line separator is refused by one transport,
folded by another and passed on to the wire by a third. So such a character is
refused once, where the file is read, with the key and the character's place,
and every transport sends what ``check`` accepted.

A journalist's name in a media list is the exception: spreadsheets and media
databases hold names typed over two lines of a cell, which are no attack and no
reason to leave the journalist out, so :data:`OneLineName` turns each run of
such characters into one space when the list is read (and every transport then
sends that same name).

Refused: every control character (Unicode category Cc: CR, LF, NUL, tab,
vertical tab, form feed, DEL, NEL...) and the line and paragraph separators
U+2028 and U+2029. Leading and trailing whitespace is stripped before the
check (a YAML block scalar's final line break is not a problem).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

_NAMES = {
    "\x00": "a NUL character",
    "\t": "a tab",
    "\n": "a line break",
    "\x0b": "a vertical tab",
    "\x0c": "a form feed",
    "\r": "a carriage return",
    "\x85": "a next-line character",
    "\u2028": "a line separator",
    "\u2029": "a paragraph separator",
}


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""One character of :func:`is_unsafe`: the categories Cc (exactly these two ranges),
Zl (U+2028 alone) and Zp (U+2029 alone)."""


class UnsafeHeader(ValueError):
    """A value holds a character that cannot go into a mail header."""


def is_unsafe(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def first_unsafe(text: str) -> int | None:
    """The index of the first character of *text* that cannot go into a header."""
    found = _UNSAFE.search(text)
    return found.start() if found else None


def describe(char: str) -> str:
    """``a line break (U+000A)``."""
    return f"{_NAMES.get(char, 'a control character')} (U+{ord(char):04X})"


def visible(text: str) -> str:
    """*text* with each unsafe character shown as ``\\u000a``: safe to print in a message."""
    return "".join(f"\\u{ord(c):04x}" if is_unsafe(c) else c for c in text)


def header_problem(text: str) -> str | None:
    """Why *text* cannot go into a header (which character, where), or None."""
    index = first_unsafe(text)
    if index is None:
        return None
    return (
        f"{describe(text[index])} at character {index + 1} cannot go into an email header; "
        "write it on one line, without control characters"
    )


def header_safe(text: str) -> str:
    """*text* itself; :class:`UnsafeHeader` (a ValueError) if it cannot go into a header."""
    problem = header_problem(text)
    if problem is not None:
        raise UnsafeHeader(problem)
    return text


def require_header_safe(text: str, what: str) -> str:
    """:func:`header_safe` with *what* the value is in the message (``the subject``)."""
    problem = header_problem(text)
    if problem is not None:
        raise UnsafeHeader(f"{what} '{visible(text)}': {problem}")
    return text


_UNSAFE_RUN = re.compile(f"{_UNSAFE.pattern}+")


def one_line(value: Any) -> Any:
    """Text with each run of characters no header can hold made one space."""
    if isinstance(value, str):
        return _UNSAFE_RUN.sub(" ", value).strip()
    return value


HeaderText = Annotated[str, AfterValidator(header_safe)]
"""A model field whose text goes into a mail header (headline, subject, sender name)."""
OneLineName = Annotated[str, BeforeValidator(one_line), AfterValidator(header_safe)]
"""A name from a media list: line breaks and control characters become one space."""

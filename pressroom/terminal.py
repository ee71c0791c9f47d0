"""What pressroom prints to a terminal: the one place text from outside is made inert.

Much of what pressroom prints is text it did not write: names and outlets
from media lists, SendGrid's bounce reasons and every other field of its
events, the words of a release quoted in a check message, the names of
files. A terminal obeys what it is sent: an escape sequence (ANSI CSI moves
the cursor or clears the screen, OSC sets the window title, writes the
clipboard or makes a hidden link), a C1 control (the same in one byte), a
carriage return or backspace (which overwrite what was printed), and the
bidirectional overrides and isolates of Unicode (which reorder what a person
reads). Rich, which draws pressroom's tables, also reads ``[bold]`` or
``[link=...]`` in a string as markup.

So every printer goes through here:

- :func:`echo` prints a message (``click.echo``) with every such character
  shown as a visible escape (``\\x1b``, ``\\u202e``); only newlines and tabs
  act. A value that must stay on its line is passed through :func:`shown`
  first, which shows those too.
- :func:`console` is the Rich console for tables: it reads no markup, and
  every string it renders goes through :func:`shown_lines`
  (:class:`InertConsole`).
- :func:`print_problems` in :mod:`pressroom.cli` cleans a problem's text with
  :func:`shown_lines` before it adds its own colour.
- CSV written to a terminal (``report --csv`` without a redirect) is cleaned
  cell by cell (:mod:`pressroom.csvsafe`); JSON escapes control characters
  itself.
"""

from __future__ import annotations

import re
from typing import Any

import click
from rich.console import Console
from rich.text import Text

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""The characters that change the order of what is shown: marks, embeddings,
overrides and isolates (Unicode's bidirectional formatting characters)."""

_ANY = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_NOT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(value: object) -> str:
    """*value* as text that cannot act on a terminal: every control character (newline
    and tab too), DEL, C1 control and bidirectional control written as a visible escape."""
    return _ANY.sub(_visible, str(value))


def shown_lines(text: str) -> str:
    """As :func:`shown`, but newlines and tabs stay: for a whole message."""
    return _NOT_LINES.sub(_visible, text)


def echo(message: object = "", err: bool = False, nl: bool = True) -> None:
    """``click.echo`` of *message* made inert (:func:`shown_lines`)."""
    click.echo(shown_lines(str(message)), err=err, nl=nl)


class InertConsole(Console):
    """A Rich console that reads no markup in strings and shows their controls
    (:func:`shown_lines`: a newline stays inside its table cell)."""

    def render_str(self, text: str, **options: Any) -> Text:
        options["markup"] = False
        options["emoji"] = False
        return super().render_str(shown_lines(text), **options)


UNLIMITED = 10_000
"""The width of the console off a terminal: no table is ever folded or cut there."""


def console(*, stderr: bool = False) -> Console:
    """The console tables are printed on. Off a terminal (a pipe, a file) it has no
    width limit, so every value is printed whole on its row; on a terminal tables
    fit its width (:mod:`pressroom.reports.fitting`)."""
    out = InertConsole(highlight=False, markup=False, emoji=False, stderr=stderr)
    if not out.is_terminal:
        out.width = UNLIMITED
    return out


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 event``, ``2 events`` (or *many*): counts as the commands print them."""
    return f"{count} {word if count == 1 else (many or word + 's')}"

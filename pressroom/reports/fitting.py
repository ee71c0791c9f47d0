"""Tables that fit the terminal they are printed on (``log``, ``report``).

On a terminal, a table wider than the window leaves out its least important
columns (message ids, lists, versions, the rarer counts), in the order each
table gives, until it fits; the columns that say who, what state and when are
never left out, and never shrunk to nothing: they fold onto a second line
rather than end in "…". A line under the table names what was left out and
where to see it whole. Off a terminal (a pipe, a file) nothing is left out and
nothing folded: :func:`pressroom.terminal.console` has no width limit there.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from rich.console import Console
from rich.table import Table

from pressroom.terminal import echo

Build = Callable[[Collection[str]], Table]
"""Makes the table without the named columns."""


def fitted(console: Console, build: Build, optional: Sequence[str]) -> tuple[Table, list[str]]:
    """The table *build* makes, with as few of the *optional* columns (least important
    first) left out as it takes to fit *console*'s width; and those left out."""
    left_out: list[str] = []
    table = build(left_out)
    for name in optional:
        if not console.is_terminal or _width(console, table) <= console.width:
            break
        left_out.append(name)
        table = build(left_out)
    return table, left_out


def print_fitted(
    console: Console, build: Build, optional: Sequence[str], whole: str = ""
) -> list[str]:
    """Print :func:`fitted`'s table, and under it what was left out (*whole*: how to
    see every column, e.g. ``pressroom log RELEASE --csv``)."""
    table, left_out = fitted(console, build, optional)
    console.print(table)
    if left_out:
        more = f"; {whole} shows them" if whole else ""
        echo(f"(left out to fit {console.width} columns: {', '.join(left_out)}{more})")
    return left_out


def _width(console: Console, table: Table) -> int:
    return console.measure(table, options=console.options.update(width=10_000)).maximum


def column(table: Table, name: str, *, important: bool = False, **options: object) -> None:
    """Add column *name*: an important one folds its values (never "…") and keeps
    *min_width* (default 8) characters however narrow the terminal."""
    if important:
        options.setdefault("overflow", "fold")
        options.setdefault("min_width", 8)
    table.add_column(name, **options)  # type: ignore[arg-type]

"""Files on disk -> plain data that remembers where every value came from."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from pressroom.errors import LoadError, Problem

T = TypeVar("T")
S = TypeVar("S")


def load_each(load: Callable[[S], T], sources: Iterable[S]) -> list[T]:
    """*load* applied to every source; :class:`LoadError` with every problem of every
    source at once if any fails (a user fixes them all in one go)."""
    loaded: list[T] = []
    problems: list[Problem] = []
    for source in sources:
        try:
            loaded.append(load(source))
        except LoadError as exc:
            problems.extend(exc.problems)
    if problems:
        raise LoadError(problems)
    return loaded

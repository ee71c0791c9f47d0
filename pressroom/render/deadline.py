"""A time limit on one render, so that no file keeps a command (or the preview) busy for minutes.

The limits on input (:mod:`pressroom.load.bounds`) keep every release far
from a runaway layout; this is the wall behind them, for what they cannot
foresee (a signatory list of 100,000 names, a room's own template).

WeasyPrint lays pages out in Python, so a timer signal (``SIGALRM``) can stop
it between two steps: :func:`time_limit` raises :class:`RenderTimeout` in the
code it guards when the time is up. Signals reach only the main thread of a
process, which is where pressroom renders: the CLI renders in its main thread
or in worker processes (``build``, ``site``), the preview in worker processes
(:mod:`pressroom.serve.renders`). Off the main thread, or where the platform
has no ``SIGALRM``, the render runs without a limit.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from pressroom.errors import RenderError

RENDER_SECONDS = 60.0
"""Seconds one PDF may take: the longest example (an open letter with 1,000
signatories) takes 3 s on a shared 2-core machine."""


AGAIN_SECONDS = 0.1
"""After the limit, the timer fires again this often until the render has stopped."""


class RenderTimeout(RenderError):
    """A render took longer than its limit and was stopped."""


class _Expired(BaseException):
    """Raised by the timer in the guarded code: a BaseException, so that no
    ``except Exception`` in a library on the way can swallow it."""


def can_stop() -> bool:
    """Whether :func:`time_limit` can stop code running here."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Stop the block after *seconds* with a :class:`RenderTimeout` about *what*."""
    if seconds <= 0 or not can_stop():
        yield
        return
    armed = [True]

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed[0]:  # not once the block is over: a late signal is ignored
            raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    reporting = sys.unraisablehook

    def unraisable(report: Any) -> None:
        # the limit landing in a finaliser is expected (it fires again, below): not
        # reported as "Exception ignored", and not handed to a reporter that could be
        # interrupted by the next firing while it formats the report
        if not (isinstance(report.exc_type, type) and issubclass(report.exc_type, _Expired)):
            reporting(report)

    sys.unraisablehook = unraisable
    try:
        # and again every tenth of a second after: a signal that lands in a finaliser
        # (``__del__``, run by the garbage collector anywhere) is swallowed by Python
        # (:func:`unraisable`), and the render would otherwise run on unlimited
        signal.setitimer(signal.ITIMER_REAL, seconds, AGAIN_SECONDS)
        try:
            yield
        finally:
            armed[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            sys.unraisablehook = reporting
    except _Expired:
        signal.signal(signal.SIGALRM, previous)
        raise RenderTimeout(
            f"{what} took more than {seconds:g} seconds and was stopped; "
            "shorten the release (a very long text or signatory list?)"
        ) from None

"""What the event receiver holds at most, and for how long: its guard against floods.

The receiver faces the internet, so anyone can open connections to it and
post slowly, or post much. Everything a stranger can make it hold is bounded:

- connections: at most :attr:`Limits.connections` at once; one more is closed
  as it opens (each connection carries one request at a time, so this also
  caps requests);
- time: a request's headers must arrive within :attr:`Limits.timeout` seconds
  of the connection opening (or of the previous answer), and its body within
  as long again (the receiver answers 408); an idle kept-alive connection is
  closed after :data:`KEEP_ALIVE` seconds;
- headers: at most :data:`MAX_HEADERS` bytes (h11 answers 400 past it);
- bodies: at most ``max_body`` bytes each, and all the bodies being read at
  once share a :class:`Budget` of :attr:`Limits.budget` bytes: a post that
  needs room drops the posts that have been arriving for over a second (they
  are answered 503), and is answered 503 itself if there is still none
  (SendGrid posts again later).

Posts without SendGrid's signature headers, or with a stale timestamp, are
refused before any of their body is read (:mod:`.receiver`), so they cost a
connection and its headers only.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

KEEP_ALIVE = 5
"""Seconds an idle kept-alive connection stays open."""
MAX_HEADERS = 16_384
"""Bytes: the most a request's line and headers may hold."""
EVICT_AFTER = 1.0
"""Seconds after which a post still arriving may be dropped to make room for another."""
BACKLOG = 128
"""Connections the kernel queues before the receiver accepts them."""


@dataclass(frozen=True)
class Limits:
    """How much the receiver holds at most (``events serve`` options)."""

    connections: int = 500
    timeout: float = 20.0
    """Seconds for a request's headers to arrive, and again for its body."""
    budget: int = 16_000_000
    """Bytes of posts being read, all connections together."""


DEFAULT_LIMITS = Limits()


class Budget:
    """Bytes that the bodies being read may hold together (one event loop: no lock).

    When a post needs more than is left, the posts that have been arriving for
    longer than :data:`EVICT_AFTER` are dropped, oldest first, to make room:
    SendGrid's posts arrive in well under a second, so whoever holds bytes for
    longer is slow or stalling, and cannot keep SendGrid out.
    """

    def __init__(self, total: int):
        self.total = total
        self.held = 0
        self._holders: dict[Holder, float] = {}

    def holder(self) -> Holder:
        """The share of one post, being read by the current task."""
        holder = Holder(self, asyncio.current_task())
        self._holders[holder] = time.monotonic()
        return holder

    def _take(self, holder: Holder, size: int) -> bool:
        if self.held + size > self.total:
            self._evict(self.held + size - self.total, holder)
        if self.held + size > self.total:
            return False
        self.held += size
        holder.size += size
        return True

    def _evict(self, need: int, asking: Holder) -> None:
        old = time.monotonic() - EVICT_AFTER
        for holder, started in sorted(self._holders.items(), key=lambda item: item[1]):
            if need <= 0 or started > old:
                return
            if holder is not asking and holder.size:
                need -= holder.size
                self._release(holder)
                holder.evict()

    def _release(self, holder: Holder) -> None:
        self.held -= holder.size
        holder.size = 0

    def _leave(self, holder: Holder) -> None:
        self._release(holder)
        self._holders.pop(holder, None)

    def _settle(self, holder: Holder) -> None:
        self._holders.pop(holder, None)


class Holder:
    """The bytes one post holds of a :class:`Budget`."""

    def __init__(self, budget: Budget, task: asyncio.Task[object] | None):
        self.budget, self.task = budget, task
        self.size = 0
        self.evicted = False

    def take(self, size: int) -> bool:
        """Hold *size* more bytes; False if the budget has no room even after evicting."""
        return not self.evicted and self.budget._take(self, size)

    def evict(self) -> None:
        self.evicted = True
        if self.task is not None:
            self.task.cancel()

    def read(self) -> None:
        """The whole body is here: from now on this post is never evicted."""
        self.budget._settle(self)

    def release(self) -> None:
        """Give back everything this post holds (once it is answered)."""
        self.budget._leave(self)


def guarded_protocol(limits: Limits) -> type[H11Protocol]:
    """uvicorn's h11 protocol, closing connections past the cap and slow headers."""

    class Guarded(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > limits.connections:
                transport.abort()  # connection_lost forgets it
                return
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            super().connection_lost(exc)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()  # the next request's headers, if the client keeps the connection

        def _arm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._deadline = self.loop.call_later(limits.timeout, self._too_slow)

        def _too_slow(self) -> None:
            self._deadline = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.abort()  # its headers did not arrive in time

    return Guarded

"""When to try a request again, and how long to wait first: one policy for every transport.

Pure and small on purpose: :class:`RetryPolicy` only answers "how many
attempts" and "how many seconds", and :func:`call` runs a function under it
with an injected ``sleep``, so the tests can check every wait without
waiting. Which failures are worth another attempt is the transport's
decision (the ``retry_after`` callback): only a failure that proves the
request was not delivered may be retried, or a message could go out twice.

- Backoff is exponential with "equal jitter": after attempt *n* it waits
  between half and all of ``base_delay * 2 ** (n - 1)`` (at most
  ``max_delay``), so that many senders failing together do not retry in step,
  yet every wait is long enough to let a struggling server recover.
- A rate limit (HTTP 429) says when it ends: SendGrid's ``X-RateLimit-Reset``
  is a Unix time in seconds. We wait until then, never longer than
  ``max_reset_wait`` (a clock far off, or a bad header, must not hang a send).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded attempts and the waits between them."""

    attempts: int = 5
    """How many times a request is made at most, the first one included."""
    base_delay: float = 1.0
    """The backoff ceiling after the first failure, in seconds; it doubles each time."""
    max_delay: float = 30.0
    """No backoff wait is longer than this."""
    max_reset_wait: float = 120.0
    """No wait for a rate limit to reset is longer than this."""
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)
    """A number in [0, 1): the jitter. Injected by tests for exact waits."""

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, not {self.attempts}")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_reset_wait < 0:
            raise ValueError("delays must not be negative")

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number *attempt* (counted from 1)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** max(0, attempt - 1))
        return ceiling / 2 + self.random() * ceiling / 2

    def rate_limit_wait(self, reset: str | None, attempt: int, now: float) -> float:
        """Seconds to wait after a 429 whose ``X-RateLimit-Reset`` header is *reset*.

        Until the reset time (a Unix time in seconds) as seen from *now*,
        capped by :attr:`max_reset_wait`; a reset already past means "now".
        Without a readable header, the ordinary :meth:`backoff`.
        """
        try:
            reset_at = float((reset or "").strip())
        except ValueError:
            return self.backoff(attempt)
        if reset_at != reset_at:  # NaN
            return self.backoff(attempt)
        return min(self.max_reset_wait, max(0.0, reset_at - now))

    def may_retry(self, attempt: int) -> bool:
        """Whether another attempt may follow failed attempt number *attempt*."""
        return attempt < self.attempts


NO_RETRY = RetryPolicy(attempts=1)
"""One attempt, never a second: for callers that retry at a higher level."""


def call(
    func: Callable[[], T],
    policy: RetryPolicy,
    retry_after: Callable[[Exception, int], float | None],
    sleep: Callable[[float], object] = time.sleep,
) -> T:
    """``func()``, tried again while *retry_after* allows and attempts remain.

    *retry_after(exc, attempt)* gets each exception *func* raised and the
    number of the attempt that raised it; it returns the seconds to wait
    before the next attempt, or ``None`` when *exc* must not be retried. The
    exception that ends the attempts (not retryable, or the last one) is
    raised as it was, for the caller to turn into its own error.
    """
    attempt = 1
    while True:
        try:
            return func()
        except Exception as exc:
            if not policy.may_retry(attempt):
                raise
            wait = retry_after(exc, attempt)
            if wait is None:
                raise
            sleep(wait)
            attempt += 1

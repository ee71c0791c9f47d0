"""The retry policy: bounded attempts, exponential backoff with jitter, rate-limit resets."""

from __future__ import annotations

import pytest

from pressroom.deliver.retry import NO_RETRY, RetryPolicy, call


def policy(jitter: float = 0.5, **options: float) -> RetryPolicy:
    return RetryPolicy(random=lambda: jitter, **options)  # type: ignore[arg-type]


def test_backoff_doubles_with_jitter_between_half_and_all() -> None:
    low, high = policy(0.0, base_delay=1, max_delay=100), policy(0.999999, base_delay=1)
    assert [low.backoff(n) for n in (1, 2, 3, 4)] == [0.5, 1, 2, 4]
    assert [round(high.backoff(n), 3) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert policy(0.5, base_delay=1).backoff(3) == 3  # 4/2 + 0.5 * 4/2


def test_backoff_is_capped() -> None:
    capped = policy(0.999999, base_delay=1, max_delay=10)
    assert round(capped.backoff(30), 3) == 10
    assert policy(0.0, base_delay=1, max_delay=10).backoff(30) == 5


def test_real_jitter_stays_in_range() -> None:
    real = RetryPolicy(base_delay=2, max_delay=60)
    waits = {real.backoff(3) for _ in range(200)}
    assert all(4 <= w <= 8 for w in waits) and len(waits) > 1


def test_rate_limit_waits_until_reset() -> None:
    limits = policy(max_reset_wait=60, base_delay=1)
    assert limits.rate_limit_wait("1000", attempt=1, now=990.5) == 9.5
    assert limits.rate_limit_wait(" 1000 ", attempt=1, now=1000) == 0
    assert limits.rate_limit_wait("900", attempt=1, now=1000) == 0  # already past
    assert limits.rate_limit_wait("99999", attempt=1, now=1000) == 60  # capped


@pytest.mark.parametrize("header", [None, "", "soon", "nan"])
def test_rate_limit_without_a_readable_reset_backs_off(header: str | None) -> None:
    limits = policy(0.5, base_delay=1)
    assert limits.rate_limit_wait(header, attempt=2, now=1000) == limits.backoff(2)


def test_attempts_are_bounded() -> None:
    three = policy(attempts=3)
    assert [three.may_retry(n) for n in (1, 2, 3)] == [True, True, False]
    assert not NO_RETRY.may_retry(1)
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(base_delay=-1)


class Flaky(Exception):
    pass


def test_call_retries_until_success_and_sleeps_between() -> None:
    outcomes: list[Exception | str] = [Flaky(), Flaky(), "done"]
    waits: list[float] = []
    seen: list[int] = []

    def func() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def retry_after(exc: Exception, attempt: int) -> float | None:
        seen.append(attempt)
        return attempt * 10.0

    assert call(func, policy(attempts=5), retry_after, waits.append) == "done"
    assert seen == [1, 2]
    assert waits == [10.0, 20.0]


def test_call_gives_up_after_the_last_attempt_with_the_last_error() -> None:
    calls: list[int] = []
    waits: list[float] = []

    def func() -> None:
        calls.append(1)
        raise Flaky(len(calls))

    with pytest.raises(Flaky) as raised:
        call(func, policy(attempts=3), lambda exc, n: 1.0, waits.append)
    assert len(calls) == 3 and waits == [1.0, 1.0]
    assert raised.value.args == (3,)


def test_call_never_retries_what_retry_after_refuses() -> None:
    calls: list[int] = []

    def func() -> None:
        calls.append(1)
        raise KeyError("not retryable")

    with pytest.raises(KeyError):
        call(func, policy(attempts=5), lambda exc, n: None, lambda s: pytest.fail("slept"))
    assert len(calls) == 1

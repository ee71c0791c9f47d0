"""Every fuzzing harness (``fuzz/``) runs in CI: a few seconds each from a fixed seed.

Together they stay under a minute. Longer runs are by hand (``python -m fuzz
--seconds 600``); docs/security.md says how many inputs each has seen.
"""

from __future__ import annotations

import pytest

from fuzz import HARNESSES
from fuzz.__main__ import run

SECONDS = 4
"""Per harness: seven harnesses, with their start, about a minute on an idle machine."""


@pytest.mark.parametrize("name", HARNESSES)
def test_no_input_makes_the_harness_fail(name: str) -> None:
    outcome = run(name, SECONDS, seed=1)
    assert outcome.clean, f"{name} found {outcome.findings}:\n{outcome.output[-4000:]}"
    assert outcome.runs > 10, f"{name} ran only {outcome.runs} inputs:\n{outcome.output[-2000:]}"


def test_every_harness_module_has_what_the_runner_needs() -> None:
    import importlib

    for name in HARNESSES:
        module = importlib.import_module(f"fuzz.{name}")
        assert isinstance(module.TIME_BOUND, int) and module.TIME_BOUND >= 1
        assert isinstance(module.MAX_LEN, int) and module.MAX_LEN >= 1024
        assert callable(module.setup) and callable(module.one_input)
        assert list(module.seeds()), f"{name} has no seeds"

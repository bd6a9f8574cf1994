"""Issue 12: the fuzzer in the suite (tests/security/fuzz.py), derandomised: mutations of the
bundled agents and swmlc.yaml never raise, never hang, and every diagnostic is placed inside a
file. A few hundred cases in the quick loop, thousands in the slow run; the 10,000-case run is
``python -m tests.security.fuzz 10000``."""

from __future__ import annotations

import random

import pytest

from tests.security.fuzz import fuzz, mutate


def test_mutations_are_reproducible() -> None:
    a, b = random.Random(7), random.Random(7)
    assert [mutate("prompt: {text: hi}\n", a) for _ in range(20)] == \
        [mutate("prompt: {text: hi}\n", b) for _ in range(20)]


def _check(cases: int, seed: int) -> None:
    found = fuzz(cases, seed)
    assert found.cases == cases
    assert found.diagnostics > cases // 4  # the mutations do break things
    assert found.exceptions == []
    assert found.hangs == []
    assert found.unlocated == []


def test_a_few_mutations() -> None:
    """The quick loop's share of the fuzzer: enough to catch a new traceback early."""
    _check(40, seed=2)


@pytest.mark.slow
def test_a_few_hundred_mutations() -> None:
    _check(200, seed=0)


@pytest.mark.slow
def test_thousands_of_mutations() -> None:
    _check(2000, seed=1)

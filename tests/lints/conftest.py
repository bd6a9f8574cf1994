"""Fixtures for the lint tests: run the lints over a definition held in a string.

Each returns a callable ``(text, code=None) -> list[Diagnostic]`` (only ``code``'s diagnostics
when given); ``where`` turns diagnostics into sorted (line, col, code) tuples.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from compiler.core.diagnostics import Diagnostic
from compiler.pipeline.check import check
from compiler.pipeline.load_definition import load_definition
from compiler.pipeline.run import run_unit
from compiler.pipeline.testing import run_passes, unit_for

Run = Callable[..., list[Diagnostic]]
Where = Callable[[list[Diagnostic]], list[tuple[int, int, str]]]


def _lint_only(text: str, code: str | None = None) -> list[Diagnostic]:
    unit, ctx = unit_for(text)
    run_unit(unit, ctx, passes=(load_definition, check))
    return [d for d in ctx.diagnostics if code is None or d.code == code]


def _full(text: str, code: str | None = None) -> list[Diagnostic]:
    _, diags = run_passes(text)
    return [d for d in diags if code is None or d.code == code]


@pytest.fixture
def full() -> Run:
    """The whole pipeline (load, check_shape, check, lower, validate)."""
    return _full


@pytest.fixture
def lint_only() -> Run:
    """Load and lint, skipping check_shape: for rules whose input the source schema refuses
    first (the rule still guards definitions that reach it by another path)."""
    return _lint_only


@pytest.fixture
def where() -> Where:
    return lambda diags: sorted((d.span.line, d.span.col, d.code) for d in diags)

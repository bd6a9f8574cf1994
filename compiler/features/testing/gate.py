"""What fails a test run besides a failed case: coverage under the bar, or nothing to run."""

from __future__ import annotations

from pathlib import Path

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Span
from compiler.features.testing import TestRun

__all__ = ["coverage_gate", "no_tests"]


def coverage_gate(run: TestRun, minimum: float) -> list[Diagnostic]:
    """An error per tested agent whose coverage is below ``minimum`` percent, at the first
    branch or step not reached, the others listed."""
    out: list[Diagnostic] = []
    for name, cov in run.coverage.items():
        if not cov.items or cov.percent >= minimum:
            continue
        missing = cov.missing()
        out.append(codes.COVERAGE_BELOW.at(
            missing[0].span, f"agent '{name}' is {cov.percent:.1f}% covered, below "
            f"{minimum:g}%: {len(missing)} of {len(cov.items)} not reached",
            notes=tuple(f"{item.span}: {item.label}" for item in missing),
            help="add a case that reaches each (docs/testing.md, 'Coverage')"))
    return out


def no_tests(root: Path) -> Diagnostic:
    return codes.TEST_FILE.at(Span("<project>", 0, 0, 0, 0),
                              f"no test files (*.test.yaml) found under {root}",
                              help="write one (docs/testing.md), or pass --pass-with-no-tests")

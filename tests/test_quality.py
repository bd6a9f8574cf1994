"""The standards the code keeps: mypy --strict clean on compiler/, ruff clean everywhere."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600)


def test_mypy_strict_is_clean_on_the_compiler() -> None:
    result = _run("mypy", "compiler")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = _run("ruff", "check", "compiler", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr

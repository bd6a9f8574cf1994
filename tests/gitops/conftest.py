"""Fixtures for the git-ops tests (issue 5). The helpers live in gitops_helpers.py, which this
folder's tests import by name."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gitops_helpers import SAMPLE


@pytest.fixture
def sample(project: Callable[[dict[str, str]], Path]) -> Path:
    """The sample project in the test's folder, which is also the working directory."""
    return project(SAMPLE)

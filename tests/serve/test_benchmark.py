"""The serve load benchmark (benchmarks/serve.py) keeps working: both servers start, answer a
SWML document, and every figure is printed. No timing is asserted: the figures live in
docs/performance.md, from a quiet machine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_the_serve_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    result = subprocess.run([sys.executable, str(REPO / "benchmarks/serve.py"), "--smoke",
                             "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    for label in ("swml swmlc", "swml sdk", "post_prompt swmlc",
                  "ratio, POST /swml:", "target >= 3x the SDK:"):
        assert label in result.stdout, label
    figures = json.loads(out.read_text())["figures"]
    assert all(rows and rows[0]["requests"] > 0 for rows in figures.values())
    assert json.loads(out.read_text())["bytes"]["swmlc"] > 5000  # a whole agent was served

"""The line ``swmlc serve`` starts with counts its agents in words (issue 13, point 14: no
"1 agents")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.serve.conftest import write_project

pytestmark = pytest.mark.slow  # starts a real server


def test_one_agent_is_one_agent(start, tmp_path: Path) -> None:
    root = write_project(tmp_path / "one", {"agents/solo.yaml": "prompt: {text: Hi}\n"})
    server = start("--no-auth", root=root)
    server.stop()
    [line] = [x for x in server.stderr if x.startswith("swmlc serve: ")]
    assert line.startswith(f"swmlc serve: 1 agent on {server.url} (calls in ")

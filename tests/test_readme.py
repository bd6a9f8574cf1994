"""The README's Quick start is a contract: exactly two commands, and CI runs the second."""

from __future__ import annotations

import re

from tests.conftest import REPO


def quick_start_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "Quick start holds exactly one sh block"
    return [line for line in blocks[0].splitlines() if line.strip()]


def test_quick_start_has_two_commands() -> None:
    cmds = quick_start_commands()
    assert len(cmds) == 2
    assert "swmlc build" in cmds[0]
    assert "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert quick_start_commands()[1] in ci

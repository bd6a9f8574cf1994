"""README: "--error-format on every command" (issue 13, point 13). Every command that reports
diagnostics takes it, and prints them in that format; a usage mistake is exit 2."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

BROKEN = "prompt: {txt: Hi}\n"
WHERE = [("SWC101", "agents/a.yaml", 1, 10, "unknown key 'txt' in prompt")]


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
                   cwd=root, check=True, capture_output=True)


@pytest.fixture
def broken(project: Callable[..., Path]) -> Path:
    """A committed agent, then broken in the work tree."""
    root = project({"agents/a.yaml": "prompt: {text: Hi}\n"})
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "agents")
    (root / "agents" / "a.yaml").write_text(BROKEN)
    return root


def _json(result: Result) -> list[tuple[str, str, int, int, str]]:
    return [(d["code"], d["file"], d["line"], d["column"], d["message"])
            for d in json.loads(result.stdout)]


@pytest.mark.parametrize("command", [
    ("build",), ("lint",), ("check",), ("diff",), ("explain", "a", "/sections/main/0"),
    ("graph", "a"), ("exec", "a", "f"),  # issue 14's commands compile too
])
def test_every_command_that_compiles_prints_json_diagnostics(
        broken: Path, swmlc: Callable[..., Result], command: tuple[str, ...]) -> None:
    result = swmlc(*command, "--error-format", "json")
    assert result.exit_code == 1
    assert _json(result) == WHERE


@pytest.mark.parametrize("command", [("diff",), ("explain", "a", "/sections/main/0")])
def test_diff_and_explain_print_github_annotations(
        broken: Path, swmlc: Callable[..., Result], command: tuple[str, ...]) -> None:
    result = swmlc(*command, "--error-format", "github")
    assert result.exit_code == 1
    assert result.stdout == ("::error file=agents/a.yaml,line=1,col=10,endLine=1,"
                             "title=SWC101 unknown-key::unknown key 'txt' in prompt "
                             "(help: did you mean 'text'?)\n")


def test_bind_secrets_without_an_output_folder_is_a_usage_error(
        project: Callable[..., Path], swmlc: Callable[..., Result]) -> None:
    project({"agents/a.yaml": "prompt: {text: Hi}\n"})
    result = swmlc("build", "--bind-secrets")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: --bind-secrets writes deploy copies: give -o DIR outside build/\n")

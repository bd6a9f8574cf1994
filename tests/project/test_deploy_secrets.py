"""Issue 11, point 5: deploy copies bind each secret encoded for where it lands, are private to
their owner, and say so when git would commit them."""

from __future__ import annotations

import json
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

NASTY = "a&b=c d/@:"
FILES = {
    "swmlc.yaml": "secrets: [SUMMARY_PASSWORD, WEATHER_KEY, GREETING]\n",
    "agents/a.yaml": (
        "prompt: {text: \"{{ secret('GREETING') }}\"}\n"
        "post_prompt_url: \"https://summary:{{ secret('SUMMARY_PASSWORD') }}@h.example/s\"\n"
        "functions:\n"
        "  - function: weather\n"
        "    description: The weather\n"
        "    data_map:\n"
        "      webhooks:\n"
        "        - url: \"https://api.example.com/w?key={{ secret('WEATHER_KEY') }}&q=x\"\n"
        "          output: {response: ok}\n"
    ),
}
ENV = {"SUMMARY_PASSWORD": NASTY, "WEATHER_KEY": NASTY, "GREETING": 'Say "hi" & go'}


def _ai(doc: Any) -> Any:
    return doc["sections"]["main"][1]["ai"]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_each_value_reads_back_exactly_where_it_lands(
        project: Callable[..., Path], swmlc: Callable[..., Any], fmt: str) -> None:
    root = project(FILES)
    result = swmlc("build", "--format", fmt, "--bind-secrets", "-o", "out", env=ENV)
    assert result.exit_code == 0, result.stderr
    path = root / "out" / f"a.swml.{fmt}"
    doc = json.loads(path.read_text()) if fmt == "json" else yaml.safe_load(path.read_text())
    ai = _ai(doc)
    post = urlsplit(ai["post_prompt_url"])
    assert (post.hostname, post.path, unquote(post.username or "")) == ("h.example", "/s",
                                                                        "summary")
    assert unquote(post.password or "") == NASTY
    hook = urlsplit(ai["SWAIG"]["functions"][0]["data_map"]["webhooks"][0]["url"])
    assert (hook.hostname, hook.path) == ("api.example.com", "/w")
    assert parse_qs(hook.query) == {"key": [NASTY], "q": ["x"]}
    assert ai["prompt"]["text"] == 'Say "hi" & go'  # text, escaped by the JSON/YAML writer


def test_deploy_files_are_private(project: Callable[..., Path], swmlc: Callable[..., Any]
                                  ) -> None:
    root = project(FILES)
    assert swmlc("build", "--bind-secrets", "-o", "out", env=ENV).exit_code == 0
    deploy = root / "out"
    assert stat.S_IMODE(deploy.stat().st_mode) == 0o700
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in deploy.iterdir()}
    assert modes and set(modes.values()) == {0o600}


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_a_deploy_folder_git_would_commit_is_warned_about(
        project: Callable[..., Path], swmlc: Callable[..., Any]) -> None:
    root = project(FILES)
    _git(root, "init", "-q")
    result = swmlc("build", "--bind-secrets", "-o", "deploy", env=ENV)
    assert result.exit_code == 0
    assert "warning[SWC911]: deploy/ holds secret values and git does not ignore it" \
        in result.stderr
    assert "add 'deploy/' to .gitignore" in result.stderr
    (root / ".gitignore").write_text("deploy/\n")
    again = swmlc("build", "--bind-secrets", "-o", "deploy", env=ENV)
    assert again.exit_code == 0 and "SWC911" not in again.stderr


def test_every_unset_secret_is_named_at_once_and_nothing_is_written(
        project: Callable[..., Path], swmlc: Callable[..., Any]) -> None:
    root = project(FILES)
    result = swmlc("build", "--bind-secrets", "-o", "out", env={"GREETING": "x"})
    assert result.exit_code == 1
    named = sorted(line.split()[2] for line in result.stderr.splitlines()
                   if line.startswith("error[SWC307]"))
    assert named == ["SUMMARY_PASSWORD", "WEATHER_KEY"]
    assert not (root / "out").exists()

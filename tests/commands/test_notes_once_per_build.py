"""A note many agents share is said once per build, naming every agent, and never inside a
pre-commit hook unless its level is raised (issue 13, point 16: SWC603, the relay target
leaving out the verbs around ai)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

BASE = "languages: [{name: English, code: en-US, voice: rime.spore}]\nswml:\n" \
       "  after: [{hangup: {}}]\n"
NOTE = ("swml.after is not part of the relay target of 3 agents (billing, sales, support): "
        "call.ai() takes the ai verb only")


@pytest.fixture
def relay_project(project: Callable[..., Path]) -> Path:
    return project({
        "swmlc.yaml": "targets: [swml, relay]\n",
        "agents/_base/voice.yaml": BASE,
        **{f"agents/{name}.yaml": f"extends: _base/voice.yaml\nprompt: {{text: {name}}}\n"
           for name in ("support", "sales", "billing")},
        "agents/plain.yaml": "prompt: {text: no verbs around ai}\n",
    })


def _notes(result: Result) -> list[tuple[str, str, int, int, str]]:
    return [(d["code"], d["file"], d["line"], d["column"], d["message"])
            for d in json.loads(result.stdout) if d["code"] == "SWC603"]


@pytest.mark.parametrize("command", ["build", "check", "lint"])
def test_once_per_run_naming_every_agent(relay_project: Path, swmlc: Callable[..., Result],
                                         command: str) -> None:
    if command == "check":
        assert swmlc("build").exit_code == 0
    result = swmlc(command, "--error-format", "json")
    assert result.exit_code == 0
    assert _notes(result) == [("SWC603", "agents/_base/voice.yaml", 3, 3, NOTE)]


def test_the_human_form_says_it_once(relay_project: Path, swmlc: Callable[..., Result]) -> None:
    result = swmlc("build")
    assert result.stderr.count("info[SWC603]") == 1
    assert result.stderr.startswith(f"info[SWC603]: {NOTE}\n  --> agents/_base/voice.yaml:3:3\n")


def test_agents_with_different_verbs_are_said_together(
        project: Callable[..., Path], swmlc: Callable[..., Result]) -> None:
    project({"swmlc.yaml": "targets: [relay]\n",
             "agents/a.yaml": "prompt: {text: a}\nswml:\n  after: [{hangup: {}}]\n",
             "agents/b.yaml": "prompt: {text: b}\nswml:\n  before: [{play: {url: 'say:hi'}}]\n"})
    result = swmlc("build", "--error-format", "json")
    assert _notes(result) == [(
        "SWC603", "agents/a.yaml", 3, 3, "swml.before and swml.after are not part of the relay "
        "target of 2 agents (a, b): call.ai() takes the ai verb only")]
    [note] = [d for d in json.loads(result.stdout) if d["code"] == "SWC603"]
    assert [(r["file"], r["line"], r["message"]) for r in note["related"]] == [
        ("agents/b.yaml", 3, "and here")]


def test_a_pre_commit_hook_leaves_notes_out(relay_project: Path,
                                            swmlc: Callable[..., Result]) -> None:
    result = swmlc("build", "--error-format", "json", env={"PRE_COMMIT": "1"})
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    human = swmlc("check", env={"PRE_COMMIT": "1"})
    assert human.stderr == "build/ is up to date (4 agents)\n"


def test_a_raised_level_is_shown_in_the_hook_too(relay_project: Path,
                                                 swmlc: Callable[..., Result]) -> None:
    (relay_project / "swmlc.yaml").write_text("targets: [swml, relay]\nrules: {SWC603: warning}\n")
    result = swmlc("build", "--error-format", "json", env={"PRE_COMMIT": "1"})
    assert result.exit_code == 0
    assert [d["severity"] for d in json.loads(result.stdout)] == ["warning"]
    assert _notes(result) == [("SWC603", "agents/_base/voice.yaml", 3, 3, NOTE)]

"""Which outputs a build writes: ``--target`` (repeatable) over ``targets:`` in swmlc.yaml over
the default, swml."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

AGENT = "prompt: {text: Hi}\n"


def outputs(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "build").iterdir() if p.name != "manifest.json")


def test_default_is_swml(project: Callable[..., Path], swmlc: Any) -> None:
    root = project({"agents/a.yaml": AGENT})
    assert swmlc("build").exit_code == 0
    assert outputs(root) == ["a.swml.json"]


def test_targets_in_the_project_file(project: Callable[..., Path], swmlc: Any) -> None:
    root = project({"agents/a.yaml": AGENT, "swmlc.yaml": "targets: [swml, relay, bedrock]\n"})
    assert swmlc("build").exit_code == 0
    assert outputs(root) == ["a.bedrock.swml.json", "a.relay.json", "a.swml.json"]
    manifest = json.loads((root / "build" / "manifest.json").read_text())
    assert sorted(manifest["agents"]["a"]["outputs"]) == outputs(root)


def test_command_line_targets_win(project: Callable[..., Path], swmlc: Any) -> None:
    root = project({"agents/a.yaml": AGENT, "swmlc.yaml": "targets: [swml, bedrock]\n"})
    assert swmlc("build", "--target", "relay").exit_code == 0
    assert outputs(root) == ["a.relay.json"]
    assert json.loads((root / "build" / "a.relay.json").read_text()) == {"prompt": {"text": "Hi"}}


def test_relay_is_json_even_when_yaml_is_asked(project: Callable[..., Path], swmlc: Any) -> None:
    root = project({"agents/a.yaml": AGENT})
    result = swmlc("build", "--target", "relay", "--target", "bedrock", "--format", "yaml")
    assert result.exit_code == 0, result.output
    assert outputs(root) == ["a.bedrock.swml.yaml", "a.relay.json"]

"""lint (clean on the bundled agents; --fix changes only the fixed bytes; --diff writes nothing),
--strict, explain, --source-map, colour and NO_COLOR, and the fallback when the official schema
is not installed."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO

COMMENTED = """\
# yaml-language-server: $schema=../schemas/agent.schema.json
# A commented fixture: every byte but the fixed values must survive --fix.
prompt:
  text: You help callers.   # trailing comment
functions:
  - function: lookup
    purpose: Look up an order   # deprecated spelling
    parameters: {type: object, properties: {id: {type: string}}}
    web_hook_url: https://tools.example.com/lookup
native_functions: [check_tim]
params:
  barge_confidance: 0.2       # a typo
  enable_barge: "true"
"""


@pytest.fixture
def fixture_project(project):  # type: ignore[no-untyped-def]
    return project({"agents/a.yaml": COMMENTED})


def test_bundled_agents_lint_clean(swmlc, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = swmlc("lint", "--format", "json")
    assert json.loads(result.stdout) == []
    assert result.exit_code == 0


def test_fix_changes_only_the_fixed_values(fixture_project: Path, swmlc) -> None:
    path = fixture_project / "agents" / "a.yaml"
    before = path.read_text()
    result = swmlc("lint", "--fix")
    after = path.read_text()
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
               if line.startswith(("- ", "+ "))]
    assert changed == [
        "-     purpose: Look up an order   # deprecated spelling",
        "+     description: Look up an order   # deprecated spelling",
        "- native_functions: [check_tim]",
        "+ native_functions: [check_time]",
        "-   barge_confidance: 0.2       # a typo",
        "+   barge_confidence: 0.2       # a typo",
    ] + ([] if '"true"' in after else [
        '-   enable_barge: "true"', "+   enable_barge: true"])
    # byte-level: the rest of the file is untouched, comments and quoting included
    assert len(after) - len(before) == sum(len(x) - 2 for x in changed if x[0] == "+") - sum(
        len(x) - 2 for x in changed if x[0] == "-")
    assert "fixed" in result.stderr


def test_diff_shows_and_writes_nothing(fixture_project: Path, swmlc) -> None:
    path = fixture_project / "agents" / "a.yaml"
    before = path.read_bytes()
    result = swmlc("lint", "--diff")
    assert path.read_bytes() == before
    assert result.exit_code == 1
    assert "-native_functions: [check_tim]\n+native_functions: [check_time]\n" in result.stdout
    assert result.stdout.startswith("--- a/agents/a.yaml\n+++ b/agents/a.yaml\n")


def test_warnings_fail_only_with_strict(project, swmlc) -> None:
    project({"agents/a.yaml": "prompt: {text: hi}\nfunctions:\n  - function: f\n"
             "    description: d\n    purpose: d\n"
             "    web_hook_url: https://t.example.com/f\n"})
    relaxed = swmlc("build")
    assert relaxed.exit_code == 0, relaxed.output
    assert "warning[SWC418]" in relaxed.stderr
    strict = swmlc("build", "--strict")
    assert strict.exit_code == 1


def test_explain_follows_extends_vars_and_templates(swmlc, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    result = swmlc("explain", "receptionist", "/sections/main/2/ai/params/static_greeting")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith('receptionist /sections/main/2/ai/params/static_greeting = '
                               '"Thank you for calling Harborview Veterinary Clinic, this is '
                               'Riley.')
    # the template is the base's; its variables come from the base and the agent
    assert lines[1:5] == [
        "  from 2 layers:",
        "    base: agents/_base/clinic-voice.yaml:6:14, 14:20",
        "      agents/_base/clinic-voice.yaml is extended at agents/receptionist.yaml:7:10",
        "    agent: agents/receptionist.yaml:10:16"]
    assert lines[5].startswith('  template: "Thank you for calling {{ clinic_name }}')
    assert lines[6:] == [
        '    assistant = "Riley" (set at agents/_base/clinic-voice.yaml:6:14: base)',
        '    clinic_name = "Harborview Veterinary Clinic" (set at '
        'agents/receptionist.yaml:10:16: agent)']


def test_explain_unknown_agent_suggests(swmlc, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    result = swmlc("explain", "recptionist", "/x")
    assert result.exit_code == 1
    assert "no agent named 'recptionist'; did you mean 'receptionist'?" in result.stderr


def test_source_map_points_every_value_at_its_yaml(tmp_path: Path, swmlc, monkeypatch) -> None:
    shutil.copytree(REPO / "agents", tmp_path / "agents")
    shutil.copy(REPO / "swmlc.yaml", tmp_path / "swmlc.yaml")
    monkeypatch.chdir(tmp_path)
    assert swmlc("build", "--source-map").exit_code == 0
    smap = json.loads((tmp_path / "build" / "receptionist.swml.map.json").read_text())
    doc = json.loads((tmp_path / "build" / "receptionist.swml.json").read_text())
    assert smap["/sections/main/2/ai/params/static_greeting"] == \
        "agents/_base/clinic-voice.yaml:14:20"
    assert smap["/sections/main/2/ai/SWAIG/functions/0/description"].startswith(
        "agents/_functions/clinic.yaml:")

    def pointers(node, path=""):  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            for k, v in node.items():
                p = f"{path}/{k}"
                yield p
                yield from pointers(v, p)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield f"{path}/{i}"
                yield from pointers(v, f"{path}/{i}")

    assert set(pointers(doc)) == set(smap)


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch) -> None:
    import compiler.cli._common as cli

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(cli.sys, "stderr", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli.colour() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli.colour() is False


def test_without_the_sdk_the_build_says_so_once(project, swmlc, monkeypatch) -> None:
    import compiler.signalwire.official_schema as official

    monkeypatch.setattr(official, "locate_official_schema", lambda: None)
    project({"agents/a.yaml": "prompt: {text: a}\n", "agents/b.yaml": "prompt: {text: b}\n"})
    result = swmlc("build")
    assert result.exit_code == 0
    assert result.stderr.count("info[SWC502]") == 1
    assert "checked with swmlc's own rules only" in result.stderr
    bad = swmlc("validate", "build/a.swml.json")
    assert bad.exit_code == 1
    assert "official SWML schema not found" in bad.stderr

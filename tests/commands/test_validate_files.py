"""``swmlc validate`` on what a user has at hand (issue 13, points 8 and 17): standard input,
and the other files swmlc reads or writes (its RELAY files, the manifest, source maps, agent
definitions), each said for what it is instead of a screen of schema errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

DOC = """\
version: 1.0.0
sections:
  main:
    - ai:
        prompt:
          text: Hi
          top_p: 2
"""


def _said(result: Result) -> list[tuple[str, str, int, int, str]]:
    return [(d["code"], d["file"], d["line"], d["column"], d["message"])
            for d in json.loads(result.stdout)]


def test_a_dash_reads_yaml_from_standard_input(swmlc: Callable[..., Result]) -> None:
    result = swmlc("validate", "--error-format", "json", "-", input=DOC)
    assert result.exit_code == 1
    assert _said(result) == [("SWC501", "<stdin>", 7, 18, "must be at most 1, got 2")]
    good = swmlc("validate", "-", input=DOC.replace("top_p: 2", "top_p: 0.5"))
    assert (good.exit_code, good.stderr) == (0, "1 of 1 document valid\n")


def test_a_dash_reads_json_strictly_when_the_text_is_json(
        swmlc: Callable[..., Result]) -> None:
    text = '{"version": "1.0.0", "sections": {"main": [{"play": {"url": "say:hi\nthere"}}]}}'
    result = swmlc("validate", "--error-format", "json", "-", input=text)
    assert result.exit_code == 1
    assert _said(result) == [("SWC008", "<stdin>", 1, 68,
                              "a raw line break inside a string: JSON needs it escaped")]


def test_a_dash_beside_files(project: Callable[..., Path], swmlc: Callable[..., Result]) -> None:
    project({"good.yaml": DOC.replace("top_p: 2", "top_p: 0.5")})
    result = swmlc("validate", "good.yaml", "-", input=DOC)
    assert result.exit_code == 1
    assert "  --> <stdin>:7:18\n" in result.stderr
    assert result.stderr.endswith("1 of 2 documents valid\n")


def _built(project: Callable[..., Path], swmlc: Callable[..., Result], **extra: str) -> Path:
    root = project({
        "swmlc.yaml": "targets: [swml, relay]\n",
        "agents/support.yaml": "prompt: {text: You help callers.}\n"
                               "params: {attention_timeout: 20000}\n"
                               "swml:\n  after: [{hangup: {}}]\n",
        **extra})
    assert swmlc("build", "--source-map").exit_code == 0
    return root


def test_a_build_folder_validates_clean(project: Callable[..., Path],
                                        swmlc: Callable[..., Result]) -> None:
    """``swmlc validate build/*.json``: the documents and the RELAY file are checked, the
    manifest and the source map skipped with a note, nothing reported as a schema error."""
    root = _built(project, swmlc)
    names = sorted(p.name for p in (root / "build").glob("*.json"))
    assert names == ["manifest.json", "support.relay.json", "support.relay.map.json",
                     "support.swml.json", "support.swml.map.json"]
    result = swmlc("validate", "--error-format", "json", *(f"build/{n}" for n in names))
    assert result.exit_code == 0
    assert _said(result) == [
        ("SWC010", "build/manifest.json", 2, 3, "build/manifest.json is swmlc's build manifest "
         "(swmlc check verifies it), not a SWML document: skipped"),
        ("SWC010", "build/support.relay.map.json", 2, 3, "build/support.relay.map.json is a "
         "source map written by swmlc build --source-map, not a SWML document: skipped"),
        ("SWC010", "build/support.swml.map.json", 2, 3, "build/support.swml.map.json is a "
         "source map written by swmlc build --source-map, not a SWML document: skipped"),
    ]
    human = swmlc("validate", *(f"build/{n}" for n in names))
    assert human.stderr.endswith("2 of 2 documents valid\n")
    assert [d["severity"] for d in json.loads(result.stdout)] == ["info"] * 3


def test_a_relay_file_is_checked_as_the_ai_verb_call_ai_sends(
        project: Callable[..., Path], swmlc: Callable[..., Result]) -> None:
    root = _built(project, swmlc)
    relay = root / "build" / "support.relay.json"
    data = json.loads(relay.read_text())
    data["ai_params"]["attention_timeout"] = "soon"
    data["hintz"] = ["Acme"]
    relay.write_text(json.dumps(data, indent=2) + "\n")
    result = swmlc("validate", "--error-format", "json", "build/support.relay.json")
    assert result.exit_code == 1
    found: list[dict[str, Any]] = json.loads(result.stdout)
    assert [(d["line"], d["column"], d["message"], d["pointer"], d.get("help"))
            for d in found] == [
        (6, 26, 'expected an integer, got a string ("soon")', "/ai_params/attention_timeout",
         None),
        (8, 3, "unknown key 'hintz'", "/hintz", "did you mean 'hints'?"),
    ]
    assert found[0]["notes"] == ["checked as the ai verb call.ai() sends for this RELAY file"]


def test_an_agent_definition_says_to_use_lint(project: Callable[..., Path],
                                               swmlc: Callable[..., Result]) -> None:
    project({"agents/support.yaml": "# an agent\nextends: _base/voice.yaml\n"
                                    "prompt: {text: Hi}\n"})
    result = swmlc("validate", "agents/support.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        "error[SWC009]: agents/support.yaml is an agent definition, not a SWML document\n"
        "  --> agents/support.yaml:2:1\n"
        "  |\n"
        "2 | extends: _base/voice.yaml\n"
        "  | ^^^^^^^\n"
        "   = help: check it with: swmlc lint agents/support.yaml (swmlc build compiles it; "
        "validate build/<agent>.swml.json)\n"
        "0 of 1 document valid\n")


MISLEADING = """\
version: 1.0.0
sections:
  main:
    - ai:
        prompt: {text: Hi}
        languages:
          - {name: English, code: en-US, voice: rime.spore, function_fillers: "hold"}
        SWAIG:
          functions:
            - function: lookup
              purpose: Look up an order
              data_map:
                output:
                  response: ok
                  action: [{back_to_back_functions: true}]
"""


def test_a_known_key_a_deprecated_key_and_an_unlisted_action_are_said_for_what_they_are(
        project: Callable[..., Path], swmlc: Callable[..., Result]) -> None:
    """Issue 13, point 7: no "unknown key ... did you mean 'fillers'" for a known key of the
    wrong type, no "add 'description'" beside a ``purpose``, no "did you mean
    'toggle_functions'" for an action the platform runs."""
    project({"doc.yaml": MISLEADING})
    result = swmlc("validate", "--error-format", "json", "doc.yaml")
    assert result.exit_code == 1
    assert [(d["line"], d["column"], d["message"], d.get("help"))
            for d in json.loads(result.stdout)] == [
        (7, 79, 'expected a list, got a string ("hold")',
         "make it a list: [ ... ] or one '- ' item per line"),
        (11, 15, "'purpose' is deprecated in sections.main[0].ai.SWAIG.functions[0]: "
                 "'description' replaces it, and is required",
         "rename 'purpose' to 'description'"),
        (15, 29, "'back_to_back_functions' is an action the platform runs, but the official "
                 "schema does not list it",
         "a document that must pass the official schema can only use the actions it lists: "
         "SWML, change_context, change_step, context_switch, hangup, hold, playback_bg, say, "
         "set_global_data, set_meta_data, stop, stop_playback_bg, toggle_functions, "
         "unset_global_data, unset_meta_data, user_input"),
    ]


def test_the_keys_that_tell_an_agent_definition_are_the_source_schema_s() -> None:
    from compiler.source.agent_format import TOP_LEVEL_KEYS
    from tests.conftest import REPO

    schema = json.loads((REPO / "schemas" / "agent.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]) == TOP_LEVEL_KEYS

"""Issue 5, point 1: `swmlc check` compiles in memory and compares with build/.

Exit 0 when fresh; 1 when an output is stale, missing or orphaned, naming each agent and what
changed in words. It never writes."""

from __future__ import annotations

import json
from pathlib import Path

from gitops_helpers import SAMPLE_AGENTS, snapshot, stats

STALE_SUPPORT = ("support: build/support.swml.json is stale: prompt section 'Role' changed; "
                 "function transfer added")


def _edit_support(root: Path) -> None:
    """Change the body under the POM title 'Role' and add the function transfer."""
    path = root / "agents/support.yaml"
    text = path.read_text()
    text = text.replace("You are {{ company }} support.", "You are {{ company }} support, be kind.")
    text += "  - use: _functions/lib.yaml#transfer\n"
    path.write_text(text)


def test_fresh_build_passes(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    result = swmlc("check")
    assert result.exit_code == 0, result.output
    assert result.output == f"build/ is up to date ({len(SAMPLE_AGENTS)} agents)\n"


def test_stale_output_names_the_agent_and_the_changes(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    _edit_support(sample)
    result = swmlc("check")
    assert result.exit_code == 1
    assert result.output == (
        f"error[SWC910]: {STALE_SUPPORT}\n"
        "  --> agents/support.yaml\n"
        "   = help: run `swmlc build` and commit build/\n"
        "build/ does not match the sources: run `swmlc build`\n"
    )


def test_check_writes_nothing(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    before_bytes, before_stats = snapshot(sample / "build"), stats(sample / "build")
    _edit_support(sample)
    (sample / "agents/sales.yaml").unlink()
    assert swmlc("check").exit_code == 1
    assert snapshot(sample / "build") == before_bytes
    assert stats(sample / "build") == before_stats


def test_github_format(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    _edit_support(sample)
    (sample / "build/minimal.swml.json").unlink()
    result = swmlc("check", "--format", "github")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "::error file=agents/minimal.yaml,title=SWC910 stale-build::minimal: "
        "build/minimal.swml.json is missing (help: run `swmlc build`)",
        f"::error file=agents/support.yaml,title=SWC910 stale-build::{STALE_SUPPORT} "
        "(help: run `swmlc build` and commit build/)",
    ]


def test_json_format(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    _edit_support(sample)
    result = swmlc("check", "--format", "json")
    assert result.exit_code == 1
    items = json.loads(result.output)
    assert [(i["code"], i["name"], i["severity"], i["file"], i["message"]) for i in items] == [
        ("SWC910", "stale-build", "error", "agents/support.yaml", STALE_SUPPORT)]


def test_missing_output(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    (sample / "build/sales.swml.json").unlink()
    result = swmlc("check")
    assert result.exit_code == 1
    assert "error[SWC910]: sales: build/sales.swml.json is missing\n" in result.output


def test_no_build_folder_at_all(sample: Path, swmlc) -> None:
    result = swmlc("check", "--format", "github")
    assert result.exit_code == 1
    assert [line.split("::")[2].split(" (help")[0] for line in result.output.splitlines()] == [
        f"{a}: build/{a}.swml.json is missing" for a in SAMPLE_AGENTS]
    assert not (sample / "build").exists()


def test_orphaned_output_of_a_deleted_agent(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    (sample / "agents/sales.yaml").unlink()
    result = swmlc("check", "--format", "github")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "::error file=build/sales.swml.json,title=SWC910 stale-build::sales: "
        "build/sales.swml.json is orphaned: no agent compiles to it any more "
        "(help: run `swmlc build` (it removes outputs of deleted agents))"]
    # and a build removes it
    assert swmlc("build").exit_code == 0
    assert not (sample / "build/sales.swml.json").exists()
    assert swmlc("check").exit_code == 0


def test_orphaned_fleet_row(sample: Path, swmlc) -> None:
    """A row removed from a fleet's CSV: its agent is gone, its output is orphaned."""
    assert swmlc("build").exit_code == 0
    (sample / "agents/_fleet/rows.csv").write_text("slug,city\nnorth,Northville\n")
    result = swmlc("check")
    assert result.exit_code == 1
    assert ("error[SWC910]: clinic-south: build/clinic-south.swml.json is orphaned: "
            "no agent compiles to it any more\n") in result.output


def test_change_in_a_shared_base_names_every_agent_that_extends_it(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    base = sample / "agents/_base/voice.yaml"
    base.write_text(base.read_text().replace("600", "800"))
    result = swmlc("check", "--format", "json")
    assert result.exit_code == 1
    assert [i["message"] for i in json.loads(result.output)] == [
        "sales: build/sales.swml.json is stale: param end_of_speech_timeout: 600 -> 800",
        "support: build/support.swml.json is stale: param end_of_speech_timeout: 600 -> 800",
    ]


def test_change_in_an_included_prompt_file(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    (sample / "agents/_prompts/facts.md").write_text("{{ company }} is open 8 to 6.")
    result = swmlc("check", "--format", "json")
    assert result.exit_code == 1
    assert [i["message"] for i in json.loads(result.output)] == [
        "support: build/support.swml.json is stale: prompt section 'Facts' changed"]


def test_sources_changed_but_outputs_identical(sample: Path, swmlc) -> None:
    """A comment changes no output, but the manifest's input hashes are then out of date."""
    assert swmlc("build").exit_code == 0
    with (sample / "agents/minimal.yaml").open("a") as fh:
        fh.write("# a comment\n")
    result = swmlc("check", "--format", "json")
    assert result.exit_code == 1
    assert [(i["file"], i["message"]) for i in json.loads(result.output)] == [
        ("build/manifest.json",
         "build/manifest.json is out of date (sources changed, outputs identical)")]
    assert swmlc("build").exit_code == 0
    assert swmlc("check").exit_code == 0


def test_hand_edited_output(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    path = sample / "build/sales.swml.json"
    doc = json.loads(path.read_text())
    doc["sections"]["main"][1]["ai"]["params"]["end_of_speech_timeout"] = 1
    path.write_text(json.dumps(doc, indent=2) + "\n")
    result = swmlc("check", "--format", "json")
    assert result.exit_code == 1
    assert [i["message"] for i in json.loads(result.output)] == [
        "sales: build/sales.swml.json is stale: param end_of_speech_timeout: 1 -> 600"]


def test_formatting_only_change(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    path = sample / "build/minimal.swml.json"
    path.write_text(json.dumps(json.loads(path.read_text())) + "\n")  # one line, same data
    result = swmlc("check", "--format", "json")
    assert [i["message"] for i in json.loads(result.output)] == [
        "minimal: build/minimal.swml.json is stale: formatting changed"]


def test_compile_error_fails_check(sample: Path, swmlc) -> None:
    assert swmlc("build").exit_code == 0
    (sample / "agents/minimal.yaml").write_text("prompt:\n  txt: typo\n")
    result = swmlc("check", "--format", "json")
    assert result.exit_code == 1
    items = json.loads(result.output)
    assert items and all(i["file"] == "agents/minimal.yaml" for i in items)
    assert all(i["code"] != "SWC910" for i in items)


def test_check_from_a_subfolder(sample: Path, swmlc, monkeypatch) -> None:
    assert swmlc("build").exit_code == 0
    _edit_support(sample)
    monkeypatch.chdir(sample / "agents/_prompts")
    result = swmlc("check", "--format", "json")
    assert result.exit_code == 1
    assert [i["message"] for i in json.loads(result.output)] == [STALE_SUPPORT]


def test_check_with_relay_target_from_the_project_file(project, swmlc) -> None:
    root = project({
        "swmlc.yaml": "targets: [swml, relay]\n",
        "agents/support.yaml": "prompt:\n  text: Hello.\n",
    })
    assert swmlc("build").exit_code == 0
    assert sorted(p.name for p in (root / "build").iterdir()) == [
        "manifest.json", "support.relay.json", "support.swml.json"]
    assert swmlc("check").exit_code == 0
    (root / "agents/support.yaml").write_text("prompt:\n  text: Hello there.\n")
    result = swmlc("check", "--format", "json")
    assert [i["message"] for i in json.loads(result.output)] == [
        "support: build/support.relay.json is stale: prompt text changed",
        "support: build/support.swml.json is stale: prompt text changed",
    ]


def test_check_after_a_yaml_build_is_fresh(sample: Path, swmlc) -> None:
    """`swmlc build --format yaml` then `swmlc check`: check must compare with the build as it
    was made (the manifest records its outputs), not report every .swml.yaml as orphaned and
    every .swml.json as missing."""
    assert swmlc("build", "--format", "yaml").exit_code == 0
    result = swmlc("check")
    assert result.exit_code == 0, result.output


def test_custom_build_folder_is_named_in_every_message(project, swmlc) -> None:
    """`build: dist` in swmlc.yaml: check speaks of dist/, never of build/."""
    root = project({"swmlc.yaml": "build: dist\n",
                    "agents/a.yaml": "prompt:\n  text: A.\n"})
    assert swmlc("build").exit_code == 0
    assert (root / "dist/a.swml.json").exists() and not (root / "build").exists()
    fresh = swmlc("check")
    assert fresh.exit_code == 0
    assert fresh.output == "dist/ is up to date (1 agent)\n"
    (root / "agents/a.yaml").write_text("prompt:\n  text: B.\n")
    stale = swmlc("check")
    assert stale.exit_code == 1
    assert stale.output == (
        "error[SWC910]: a: dist/a.swml.json is stale: prompt text changed\n"
        "  --> agents/a.yaml\n"
        "   = help: run `swmlc build` and commit dist/\n"
        "dist/ does not match the sources: run `swmlc build`\n")


def test_environment_variables_the_project_declares(project, swmlc, monkeypatch) -> None:
    project({"swmlc.yaml": "env: [REGION]\n",
             "agents/a.yaml": "prompt:\n  text: \"Region {{ env('REGION') }}.\"\n"})
    monkeypatch.setenv("REGION", "us")
    assert swmlc("build").exit_code == 0
    assert swmlc("check").exit_code == 0
    monkeypatch.setenv("REGION", "eu")
    result = swmlc("check", "--format", "json")
    assert [i["message"] for i in json.loads(result.output)] == [
        "a: build/a.swml.json is stale: prompt text changed"]

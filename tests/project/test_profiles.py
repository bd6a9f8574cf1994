"""Issue 11, points 2 and 3: environments (profiles) from one repository, and a build that
records how it was made so that check, diff, lint, explain and watch agree with it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import interruptible

CONFIG = """\
vars:
  line: "+15035550100"
profiles:
  staging:
    vars: {line: "+15035550199"}
    targets: [swml]
  production:
    targets: [swml, relay]
    build: deploy/production
"""
AGENT = "prompt: {text: \"Call {{ line }}.\"}\n"


def _text(root: Path, folder: str, agent: str = "a") -> str:
    doc = json.loads((root / folder / f"{agent}.swml.json").read_text())
    return str(doc["sections"]["main"][1]["ai"]["prompt"]["text"])


def test_two_profiles_build_into_two_folders_and_check_catches_a_stale_one(
        project: Callable[..., Path], swmlc: Callable[..., Any]) -> None:
    root = project({"swmlc.yaml": CONFIG, "agents/a.yaml": AGENT})
    built = swmlc("build", "--all-profiles")
    assert built.exit_code == 0, built.stderr
    assert "in build-staging/" in built.stderr and "in deploy/production/" in built.stderr
    assert _text(root, "build-staging") == "Call +15035550199."
    assert _text(root, "deploy/production") == "Call +15035550100."
    assert sorted(p.name for p in (root / "build-staging").iterdir()) == [
        "a.swml.json", "manifest.json"]
    assert (root / "deploy/production/a.relay.json").exists()
    assert swmlc("check").exit_code == 0

    (root / "agents/a.yaml").write_text("prompt: {text: \"Ring {{ line }}.\"}\n")
    assert swmlc("build", "--profile", "production").exit_code == 0
    checked = swmlc("check")
    assert checked.exit_code == 1
    assert "a: build-staging/a.swml.json is stale: prompt text changed" in checked.stderr
    assert "deploy/production/ is up to date (1 agent)" in checked.stderr
    assert "build-staging/ does not match the sources: run `swmlc build --profile staging`" \
        in checked.stderr
    assert swmlc("check", "--profile", "production").exit_code == 0


def test_the_profile_comes_from_the_environment_too(
        project: Callable[..., Path], swmlc: Callable[..., Any]) -> None:
    root = project({"swmlc.yaml": CONFIG, "agents/a.yaml": AGENT})
    assert swmlc("build", env={"SWMLC_PROFILE": "staging"}).exit_code == 0
    assert _text(root, "build-staging") == "Call +15035550199."
    assert not (root / "build").exists()


def test_default_profile(project: Callable[..., Path], swmlc: Callable[..., Any]) -> None:
    root = project({"swmlc.yaml": CONFIG + "default_profile: staging\n", "agents/a.yaml": AGENT})
    assert swmlc("build").exit_code == 0
    assert _text(root, "build-staging") == "Call +15035550199."
    assert swmlc("check").exit_code == 1  # production was never built: its folder is missing
    assert swmlc("build", "--all-profiles").exit_code == 0
    assert swmlc("check").exit_code == 0


def test_an_unknown_profile_is_an_error_with_a_guess(
        project: Callable[..., Path], swmlc: Callable[..., Any]) -> None:
    project({"swmlc.yaml": CONFIG, "agents/a.yaml": AGENT})
    result = swmlc("build", "--profile", "stagin", "--error-format", "json")
    assert result.exit_code == 1
    [diag] = json.loads(result.stdout)
    assert (diag["code"], diag["file"], diag["line"], diag["message"], diag["help"]) == (
        "SWC902", "swmlc.yaml", 3, "no profile named 'stagin' in swmlc.yaml",
        "did you mean 'staging'?")


def test_profiles_need_folders_of_their_own(project: Callable[..., Path],
                                            swmlc: Callable[..., Any]) -> None:
    project({"swmlc.yaml": "profiles:\n  a: {build: out}\n  b: {build: out/b}\n",
             "agents/a.yaml": AGENT.replace("{{ line }}", "x")})
    result = swmlc("build", "--profile", "a", "--error-format", "json")
    assert result.exit_code == 1
    [diag] = json.loads(result.stdout)
    assert diag["line"] == 3
    assert diag["message"] == "profile 'b' builds into out/b/, which overlaps profile 'a''s " \
        "folder (out/)"


def test_all_profiles_without_profiles(project: Callable[..., Path],
                                       swmlc: Callable[..., Any]) -> None:
    project({"agents/a.yaml": "prompt: {text: hi}\n"})
    result = swmlc("build", "--all-profiles")
    assert result.exit_code == 1
    assert "--all-profiles: swmlc.yaml declares no profiles" in result.stderr


# -- the build records how it was made ---------------------------------------------------------

def test_a_var_given_to_build_is_replayed_by_check(project: Callable[..., Path],
                                                   swmlc: Callable[..., Any]) -> None:
    root = project({"agents/a.yaml": "prompt: {text: \"In {{ region }}.\"}\n",
                    "agents/b.yaml": "prompt: {text: b}\n"})
    assert swmlc("build", "--var", "region=eu").exit_code == 0
    manifest = json.loads((root / "build/manifest.json").read_text())
    assert manifest["options"]["vars"] == {"region": "eu"}
    assert swmlc("check").exit_code == 0
    changed = swmlc("check", "--var", "region=us")
    assert changed.exit_code == 1
    assert "a: build/a.swml.json is stale: prompt text changed" in changed.stderr
    assert "b:" not in changed.stderr
    assert swmlc("lint").exit_code == 0  # the variable is defined: no SWC301
    explained = swmlc("explain", "a", "/sections/main/1/ai/prompt/text")
    assert explained.exit_code == 0 and "In eu." in explained.stdout


def test_a_vars_file_is_recorded_with_its_hash(project: Callable[..., Path],
                                               swmlc: Callable[..., Any]) -> None:
    root = project({"agents/a.yaml": "prompt: {text: \"In {{ region }}.\"}\n",
                    "vars/eu.yaml": "region: eu\n"})
    assert swmlc("build", "--vars-file", "vars/eu.yaml").exit_code == 0
    options = json.loads((root / "build/manifest.json").read_text())["options"]
    assert list(options["vars_files"]) == ["vars/eu.yaml"]
    assert len(options["vars_files"]["vars/eu.yaml"]) == 64
    assert swmlc("check").exit_code == 0
    (root / "vars/eu.yaml").write_text("region: EU\n")
    assert swmlc("check").exit_code == 1


@pytest.mark.parametrize("args", [["--target", "relay"], ["--format", "yaml"],
                                  ["--target", "bedrock", "--target", "swml", "--source-map"]])
def test_targets_and_format_given_to_build_are_replayed(
        project: Callable[..., Path], swmlc: Callable[..., Any], args: list[str]) -> None:
    project({"agents/a.yaml": "prompt: {text: hi}\n"})
    assert swmlc("build", *args).exit_code == 0
    result = swmlc("check")
    assert result.exit_code == 0, result.stderr
    assert "build/ is up to date (1 agent)" in result.stderr


def test_a_change_to_swmlc_yaml_still_shows(project: Callable[..., Path],
                                            swmlc: Callable[..., Any]) -> None:
    """Only what the command line said is recorded: targets set in swmlc.yaml are read anew."""
    root = project({"swmlc.yaml": "targets: [swml]\n", "agents/a.yaml": "prompt: {text: hi}\n"})
    assert swmlc("build").exit_code == 0
    (root / "swmlc.yaml").write_text("targets: [swml, relay]\n")
    result = swmlc("check")
    assert result.exit_code == 1
    assert "a: build/a.relay.json is missing" in result.stderr


def test_diff_replays_the_recorded_build(project: Callable[..., Path],
                                         swmlc: Callable[..., Any]) -> None:
    """Without the recorded --var, both sides of the diff would fail on an undefined region."""
    import subprocess

    root = project({"agents/a.yaml": "prompt: {text: \"In {{ region }}.\"}\n"})
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "a"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    assert swmlc("build", "--var", "region=eu").exit_code == 0
    (root / "agents/a.yaml").write_text("prompt: {text: \"Now in {{ region }}.\"}\n")
    result = swmlc("diff", "--against", "HEAD")
    assert result.exit_code == 0, result.stderr
    assert "error" not in result.stderr
    assert result.stdout == ("a:\n  prompt:\n    prompt text changed\n"
                             "      [-In-]{+Now in+} eu.\n")  # the words (issue 13, point 15)
    (root / "build/manifest.json").unlink()  # nothing recorded: region is undefined
    unrecorded = swmlc("diff", "--against", "HEAD")
    assert unrecorded.exit_code == 1 and "SWC301" in unrecorded.stderr


@pytest.mark.slow
def test_watch_replays_the_recorded_build(project: Callable[..., Path]) -> None:
    import os
    import signal
    import subprocess
    import sys

    root = project({"agents/a.yaml": "prompt: {text: \"In {{ region }}.\"}\n"})
    subprocess.run([sys.executable, "-m", "compiler", "build", "--var", "region=eu"], cwd=root,
                   check=True, capture_output=True)
    proc = subprocess.Popen([sys.executable, "-m", "compiler", "watch"], cwd=root,
                            env=dict(os.environ, NO_COLOR="1"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, preexec_fn=interruptible)
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline().strip()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        finally:
            proc.kill()  # a no-op once it stopped; never left running if it did not
    assert proc.returncode == 130
    assert first == "1 agent in build/: 0 compiled, 1 up to date (0 written, 2 unchanged)"


def test_a_profile_sets_format_vars_files_and_the_swaig_server(
        project: Callable[..., Path], swmlc: Callable[..., Any]) -> None:
    """Each key a profile may set, beyond vars and targets: format and vars_files replace the
    top-level ones; swaig is merged key by key (the profile's URL, the top-level credentials)."""
    import yaml

    root = project({
        "swmlc.yaml": (
            "secrets: [SWAIG_USER]\n"
            "swaig: {base_url: https://hooks.example.com/swaig,"
            " auth_user: \"{{ secret('SWAIG_USER') }}\"}\n"
            "vars_files: [vars/prod.yaml]\n"
            "profiles:\n"
            "  staging:\n"
            "    format: yaml\n"
            "    vars_files: [vars/staging.yaml]\n"
            "    swaig: {base_url: https://hooks.staging.example.com/swaig}\n"),
        "vars/prod.yaml": "region: prod\n",
        "vars/staging.yaml": "region: staging\n",
        "agents/a.yaml": (
            "prompt: {text: \"In {{ region }}.\"}\n"
            "functions:\n"
            "  - {function: transfer, description: Transfer the caller, webhook: /transfer}\n")})
    assert swmlc("build").exit_code == 0
    assert swmlc("build", "--profile", "staging").exit_code == 0
    top = json.loads((root / "build/a.swml.json").read_text())
    staging = yaml.safe_load((root / "build-staging/a.swml.yaml").read_text())
    assert not (root / "build-staging/a.swml.json").exists()

    def ai(doc: Any) -> Any:
        return doc["sections"]["main"][1]["ai"]

    assert ai(top)["prompt"]["text"] == "In prod."
    assert ai(staging)["prompt"]["text"] == "In staging."
    assert ai(top)["SWAIG"]["functions"][0]["web_hook_url"] == (
        "https://<<secret:SWAIG_USER>>@hooks.example.com/swaig/transfer")
    assert ai(staging)["SWAIG"]["functions"][0]["web_hook_url"] == (
        "https://<<secret:SWAIG_USER>>@hooks.staging.example.com/swaig/transfer")
    assert swmlc("check").exit_code == 0

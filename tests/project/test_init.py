"""Issue 11, point 1: ``swmlc init`` scaffolds a repository that builds, passes ``swmlc check``
and runs its pre-commit hook with no edit; it refuses to overwrite unless told; ``swmlc build``
keeps the editor schemas in step with the swmlc that builds."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

EXPECTED = [".github/workflows/agents.yml", ".gitignore", ".pre-commit-config.yaml",
            ".swmlc/schemas/README.md", ".swmlc/schemas/agent-test.schema.json",
            ".swmlc/schemas/agent.schema.json", ".swmlc/schemas/http-fixtures.schema.json",
            ".swmlc/schemas/project.schema.json", "agents/_base/voice.yaml",
            "agents/_functions/tools.yaml", "agents/support.yaml", "swmlc.yaml",
            "tests/agents/fixtures/weather.yaml", "tests/agents/support.test.yaml"]


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_init_then_build_and_check(tmp_path: Path, swmlc: Callable[..., Any],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    made = swmlc("init", "repo", "--repo-url", "https://git.example.com/tools/swmlc",
                 "--rev", "v0.3.0")
    assert made.exit_code == 0, made.stderr
    root = tmp_path / "repo"
    assert _files(root) == EXPECTED
    assert [line.split()[1] for line in made.stderr.splitlines()
            if line.startswith("wrote ")] == [f"repo/{p}" for p in (
                "swmlc.yaml", "agents/_base/voice.yaml", "agents/support.yaml",
                "agents/_functions/tools.yaml", "tests/agents/support.test.yaml",
                "tests/agents/fixtures/weather.yaml", ".gitignore", ".pre-commit-config.yaml",
                ".github/workflows/agents.yml", ".swmlc/schemas/agent.schema.json",
                ".swmlc/schemas/project.schema.json", ".swmlc/schemas/agent-test.schema.json",
                ".swmlc/schemas/http-fixtures.schema.json", ".swmlc/schemas/README.md")]
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())["repos"][0]
    assert (hooks["repo"], hooks["rev"]) == ("https://git.example.com/tools/swmlc", "v0.3.0")
    workflow = (root / ".github/workflows/agents.yml").read_text()
    assert 'pip install "swmlc @ git+https://git.example.com/tools/swmlc@v0.3.0"' in workflow
    monkeypatch.chdir(root)
    built = swmlc("build")
    assert built.exit_code == 0, built.stderr
    assert swmlc("check").exit_code == 0
    linted = swmlc("lint")
    assert linted.exit_code == 0 and "no problems in 1 agent" in linted.stderr
    doc = json.loads((root / "build/support.swml.json").read_text())
    ai = doc["sections"]["main"][1]["ai"]
    assert [f["function"] for f in ai["SWAIG"]["functions"]] == ["get_weather", "transfer"]
    assert ai["prompt"]["pom"][0]["body"].startswith("You answer the phone for Example Co.")
    tested = swmlc("test", "--min-coverage", "100")
    assert tested.exit_code == 0, tested.output
    assert tested.stdout.splitlines()[-1].startswith("2 passed in ")
    assert "swmlc test --coverage --format github" in workflow


def test_every_file_points_at_the_schemas_it_ships(tmp_path: Path) -> None:
    from compiler.features.scaffold import init_project

    init_project(tmp_path)
    for rel in ("swmlc.yaml", "agents/_base/voice.yaml", "agents/support.yaml",
                "agents/_functions/tools.yaml", "tests/agents/support.test.yaml",
                "tests/agents/fixtures/weather.yaml"):
        first = (tmp_path / rel).read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        schema = (tmp_path / rel).parent / first.split("=", 1)[1]
        assert schema.resolve().is_file(), rel
    assert (tmp_path / ".swmlc/schemas/agent.schema.json").read_bytes() == \
        (REPO / "schemas/agent.schema.json").read_bytes()


def test_init_refuses_to_overwrite_unless_told(tmp_path: Path, swmlc: Callable[..., Any],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "swmlc.yaml").write_text("agents: mine\n")
    (tmp_path / ".gitignore").write_text("mine\n")
    refused = swmlc("init")
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "error: . already holds .gitignore, swmlc.yaml: nothing was written "
        "(pass --force to overwrite them)")
    assert _files(tmp_path) == [".gitignore", "swmlc.yaml"]
    forced = swmlc("init", "--force")
    assert forced.exit_code == 0
    assert _files(tmp_path) == EXPECTED
    assert "agents: agents" in (tmp_path / "swmlc.yaml").read_text()


def test_build_refreshes_the_editor_schemas(tmp_path: Path, swmlc: Callable[..., Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from compiler.features.scaffold import init_project

    init_project(tmp_path)
    old = tmp_path / ".swmlc/schemas/agent.schema.json"
    old.write_text('{"description": "written by an older swmlc"}\n')
    monkeypatch.chdir(tmp_path)
    built = swmlc("build")
    assert built.exit_code == 0
    assert "refreshed .swmlc/schemas/agent.schema.json for swmlc's version" in built.stderr
    assert old.read_bytes() == (REPO / "schemas/agent.schema.json").read_bytes()
    assert "refreshed" not in swmlc("build").stderr


@pytest.mark.slow
def test_the_scaffold_runs_its_pre_commit_hook(tmp_path: Path, released_clone: Path,
                                               pre_commit_home: Path) -> None:
    """The real pre-commit installs the hook from a clone of this repository at the release tag
    (the URL replaced by the clone's path) and refuses a commit whose build is stale."""
    from tests.project.recipes import TAG, commit, git, pre_commit_env

    root = tmp_path / "agents-repo"
    subprocess.run([sys.executable, "-m", "compiler", "init", str(root), "--repo-url",
                    str(released_clone), "--rev", TAG], check=True, capture_output=True)
    git(root, "init", "-q")
    subprocess.run([sys.executable, "-m", "compiler", "build"], cwd=root, check=True,
                   capture_output=True)
    env = pre_commit_env(pre_commit_home)
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=root, env=env,
                   check=True, capture_output=True)
    git(root, "add", ".")
    first = commit(root, env, "agents")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "swmlc check" in first.stdout + first.stderr
    agent = root / "agents/support.yaml"
    agent.write_text(agent.read_text().replace("Be brief and friendly.", "Be brief."))
    git(root, "add", "agents")
    refused = commit(root, env, "edit the role")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert "support: build/support.swml.json is stale: prompt section 'Role' changed" in out


def test_the_scaffold_gitignore_keeps_secrets_and_call_records_out_of_git(
        tmp_path: Path, swmlc: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Asked of real git: what `git add .` (which init suggests) would leave out, and what it
    must keep (the build, the editor schemas the files point to)."""
    monkeypatch.chdir(tmp_path)
    assert swmlc("init", "repo").exit_code == 0
    root = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    paths = ["deploy/support.swml.json", ".swmlc/calls.db", ".swmlc/calls.db-wal",
             ".swmlc-build.lock", ".swmlc-stat-cache", "build/support.swml.json",
             ".swmlc/schemas/agent.schema.json", "agents/support.yaml"]
    result = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=root,
                            capture_output=True, text=True)
    assert result.stdout.split() == paths[:5]

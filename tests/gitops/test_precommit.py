"""Issue 5, point 5: the hooks in .pre-commit-hooks.yaml, run by the real pre-commit tool.

A temporary git repository of agents points its .pre-commit-config.yaml at a clone of this
repository (`repo:` its path, `rev:` the release tag, made on HEAD: the `released_clone`
fixture), installs the hook with `pre-commit install`, and commits:
a commit whose agent changed but whose build/ did not is refused, with a message naming the
agent and saying to run `swmlc build`; after `swmlc build` and `git add build` it passes.

pre-commit builds the hook's environment from PyPI (swmlc's dependencies) the first time: every
test of the suite that runs pre-commit shares one PRE_COMMIT_HOME and that clone, so that happens
once a run (see `pre_commit_home` in tests/conftest.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gitops_helpers import REPO, commit_all, git, git_env, git_init, run_swmlc, write_files

from tests.project.recipes import TAG

# Each test runs the real pre-commit in a real git repository: seconds each.
pytestmark = pytest.mark.slow

AGENTS = {
    "agents/_base/voice.yaml": "languages:\n  - {name: English, code: en-US, voice: rime.spore}\n",
    "agents/support.yaml": (
        "extends: _base/voice.yaml\n"
        "prompt:\n"
        "  sections:\n"
        "    - title: Role\n"
        "      body: You are Acme support.\n"
    ),
    "agents/sales.yaml": "prompt:\n  text: You sell.\n",
}


def test_hook_manifest_at_the_repository_root() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    by_id = {h["id"]: h for h in hooks}
    assert sorted(by_id) == ["swmlc-build", "swmlc-check"]
    assert by_id["swmlc-build"]["entry"] == "swmlc build --fail-on-change"
    assert by_id["swmlc-check"]["entry"] == "swmlc check"
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False


def _env(home: Path) -> dict[str, str]:
    env = git_env()
    env["PRE_COMMIT_HOME"] = str(home)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["NO_COLOR"] = "1"
    return env


def _config(hook_id: str, hooks: Path) -> str:
    return yaml.safe_dump({"repos": [{"repo": str(hooks), "rev": TAG,
                                      "hooks": [{"id": hook_id}]}]}, sort_keys=False)


def _repo(root: Path, hook_id: str, home: Path, hooks: Path) -> Path:
    git_init(root)
    write_files(root, {**AGENTS, ".pre-commit-config.yaml": _config(hook_id, hooks),
                       ".gitignore": ".swmlc-*\n"})
    assert run_swmlc("build", cwd=root).returncode == 0
    commit_all(root, "agents and their build")
    install = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=root,
                             env=_env(home), capture_output=True, text=True, timeout=120)
    assert install.returncode == 0, install.stdout + install.stderr
    assert (root / ".git/hooks/pre-commit").is_file()
    return root


def _commit(root: Path, home: Path, message: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "commit", "-m", message], cwd=root, env=_env(home),
                          capture_output=True, text=True, timeout=900)


def _count(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD").stdout)


def _edit_role(root: Path, body: str) -> None:
    path = root / "agents/support.yaml"
    path.write_text(path.read_text().replace("You are Acme support.", body))


def test_swmlc_check_refuses_a_commit_with_a_stale_build(tmp_path: Path, pre_commit_home: Path,
        released_clone: Path) -> None:
    root = _repo(tmp_path / "agents-repo", "swmlc-check", pre_commit_home, released_clone)
    _edit_role(root, "You are Acme support. Be brief.")
    git(root, "add", "agents")
    refused = _commit(root, pre_commit_home, "change the role")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert _count(root) == 1
    assert "swmlc check" in out and "Failed" in out
    assert "support: build/support.swml.json is stale: prompt section 'Role' changed" in out
    assert "run `swmlc build`" in out
    assert out.count("error[SWC910]") == 1, out  # only support is stale

    # the fix the message asks for
    assert run_swmlc("build", cwd=root).returncode == 0
    git(root, "add", "build")
    accepted = _commit(root, pre_commit_home, "change the role, rebuilt")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout + accepted.stderr
    assert _count(root) == 2
    assert git(root, "status", "--porcelain").stdout == ""


def test_swmlc_check_refuses_an_orphaned_output(tmp_path: Path, pre_commit_home: Path,
        released_clone: Path) -> None:
    """A commit that only deletes an agent. pre-commit hands a hook only added or modified
    files, so with a `files:` filter and without `always_run: true` the hook is skipped
    ("(no files to check)") and the orphaned output is committed."""
    root = _repo(tmp_path / "agents-repo", "swmlc-check", pre_commit_home, released_clone)
    git(root, "rm", "-q", "agents/sales.yaml")
    refused = _commit(root, pre_commit_home, "drop sales")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert "build/sales.swml.json is orphaned" in out
    assert "swmlc build" in out
    assert run_swmlc("build", cwd=root).returncode == 0
    git(root, "add", "-A", "build")
    assert _commit(root, pre_commit_home, "drop sales, rebuilt").returncode == 0
    assert not (root / "build/sales.swml.json").exists()


def test_swmlc_build_rebuilds_and_refuses_until_build_is_staged(
        tmp_path: Path, pre_commit_home: Path, released_clone: Path) -> None:
    root = _repo(tmp_path / "agents-repo", "swmlc-build", pre_commit_home, released_clone)
    _edit_role(root, "You are Acme support. Be kind.")
    git(root, "add", "agents")
    refused = _commit(root, pre_commit_home, "change the role")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert _count(root) == 1
    assert "swmlc build" in out and "Failed" in out
    assert ("build/ changed (manifest.json, support.swml.json): review and stage it "
            "(git add build/), then commit again") in out
    # the hook rebuilt build/: it now matches the sources, unstaged
    assert run_swmlc("check", cwd=root).returncode == 0
    assert sorted(git(root, "diff", "--name-only").stdout.split()) == [
        "build/manifest.json", "build/support.swml.json"]
    git(root, "add", "build")
    accepted = _commit(root, pre_commit_home, "change the role, rebuilt")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert _count(root) == 2
    assert git(root, "status", "--porcelain").stdout == ""


def test_the_snippet_in_docs_ci_md(tmp_path: Path, pre_commit_home: Path,
        released_clone: Path) -> None:
    """The configuration docs/ci.md recommends (with signalwire-sdk in the hook's environment,
    so the official schema is used), pointed at this repository."""
    doc = (REPO / "docs/ci.md").read_text(encoding="utf-8")
    (snippet,) = [b for b in re.findall(r"^```yaml\n(.*?)^```", doc, flags=re.S | re.M)
                  if b.startswith("repos:")]
    config = yaml.safe_load(snippet)
    config["repos"][0].update(repo=str(released_clone), rev=TAG)
    root = _repo(tmp_path / "agents-repo", "swmlc-check", pre_commit_home, released_clone)
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    git(root, "add", ".pre-commit-config.yaml")
    first = _commit(root, pre_commit_home, "the documented hook")
    assert first.returncode == 0, first.stdout + first.stderr
    _edit_role(root, "You are Acme support. Be brief.")
    git(root, "add", "agents")
    refused = _commit(root, pre_commit_home, "change the role")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert "support: build/support.swml.json is stale: prompt section 'Role' changed" in out
    assert "SWC502" not in out  # the official schema is there
    assert run_swmlc("build", cwd=root).returncode == 0
    git(root, "add", "build")
    assert _commit(root, pre_commit_home, "rebuilt").returncode == 0
    # always_run: a commit that only deletes an agent is checked too
    git(root, "rm", "-q", "agents/sales.yaml")
    refused = _commit(root, pre_commit_home, "drop sales")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert "sales: build/sales.swml.json is orphaned" in out


def test_unrelated_commit_passes(tmp_path: Path, pre_commit_home: Path,
        released_clone: Path) -> None:
    root = _repo(tmp_path / "agents-repo", "swmlc-check", pre_commit_home, released_clone)
    write_files(root, {"notes.py": "print('not an agent input')\n"})
    git(root, "add", "notes.py")
    done = _commit(root, pre_commit_home, "notes")
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert re.search(r"^swmlc check\.+(\(no files to check\))?(Skipped|Passed)$", out, re.M), out

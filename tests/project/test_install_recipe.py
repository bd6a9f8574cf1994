"""Issue 11, point 6: docs/ci.md's recipe can be followed. Its install command and its
pre-commit configuration are taken from the page as written, with only the repository URL
replaced by a local clone of this repository (at the release tag the page pins)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from compiler.core.version import __version__
from tests.conftest import REPO
from tests.project.recipes import TAG, commit, git, pre_commit_env

DOC = (REPO / "docs/ci.md").read_text(encoding="utf-8")
URL = "https://github.com/<org>/swmlc"


def test_the_page_pins_this_release() -> None:
    installs = re.findall(r'pip install "swmlc @ git\+(\S+)@(\S+)" signalwire-sdk', DOC)
    assert len(installs) >= 5
    assert set(installs) == {(URL, TAG)}
    (config,) = [yaml.safe_load(b) for b in re.findall(r"^```yaml\n(.*?)^```", DOC, re.S | re.M)
                 if b.startswith("repos:")]
    assert (config["repos"][0]["repo"], config["repos"][0]["rev"]) == (URL, TAG)
    hooks = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert f"rev: {TAG}" in hooks


@pytest.mark.slow
def test_the_install_command_installs_this_release(tmp_path: Path, released_clone: Path) -> None:
    (block,) = [b for b in re.findall(r"^```sh\n(.*?)^```", DOC, re.S | re.M)
                if "pip install" in b]
    # file://localhost/...: pip before 24 refuses a file URL without a host in a requirement
    command = block.strip().replace(URL, f"file://localhost{released_clone}")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                               env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin",
                                    "PIP_DISABLE_PIP_VERSION_CHECK": "1"}, timeout=900)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    version = subprocess.run([str(venv / "bin/swmlc"), "--version"], capture_output=True,
                             text=True)
    assert version.stdout.strip() == f"swmlc {__version__}"
    judge = subprocess.run([str(venv / "bin/python"), "-c", "import signalwire"],
                           capture_output=True)
    assert judge.returncode == 0


@pytest.mark.slow
def test_the_pre_commit_configuration_runs_the_hook(tmp_path: Path, released_clone: Path,
                                                    pre_commit_home: Path) -> None:
    (snippet,) = [b for b in re.findall(r"^```yaml\n(.*?)^```", DOC, re.S | re.M)
                  if b.startswith("repos:")]
    root = tmp_path / "agents-repo"
    (root / "agents").mkdir(parents=True)
    (root / "agents/support.yaml").write_text("prompt: {text: You are Acme support.}\n")
    (root / ".pre-commit-config.yaml").write_text(snippet.replace(URL, str(released_clone)))
    (root / ".gitignore").write_text(".swmlc-*\n")
    git(root, "init", "-q")
    subprocess.run([sys.executable, "-m", "compiler", "build"], cwd=root, check=True,
                   capture_output=True)
    env = pre_commit_env(pre_commit_home)
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=root, env=env,
                   check=True, capture_output=True)
    git(root, "add", ".")
    first = commit(root, env, "agents")
    assert first.returncode == 0, first.stdout + first.stderr
    (root / "agents/support.yaml").write_text("prompt: {text: You are Acme sales.}\n")
    git(root, "add", "agents")
    refused = commit(root, env, "stale")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "support: build/support.swml.json is stale" in out

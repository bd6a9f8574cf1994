"""Helpers for the git-ops tests (issue 5): a sample project whose agents read every kind of
input (extends, include, use:, {% include %}, a fleet CSV, swmlc.yaml), snapshots of build/,
and runners for swmlc and git as subprocesses."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: A project using every way an agent reads a file. ``support`` and ``sales`` extend the shared
#: base; ``clinic`` is a fleet of two; ``minimal`` reads nothing but itself and swmlc.yaml.
SAMPLE: dict[str, str] = {
    "swmlc.yaml": "agents: agents\nbuild: build\nvars:\n  company: Acme\n",
    "agents/_base/voice.yaml": (
        "languages:\n"
        "  - {name: English, code: en-US, voice: rime.spore}\n"
        "params:\n"
        "  end_of_speech_timeout: 600\n"
    ),
    "agents/_shared/hints.yaml": "hints: [Acme]\n",
    "agents/_functions/lib.yaml": (
        "- function: transfer\n"
        "  description: Transfer the caller\n"
        "  web_hook_url: https://tools.example.com/transfer\n"
        "- function: lookup\n"
        "  description: Look up an order\n"
        "  web_hook_url: https://tools.example.com/lookup\n"
    ),
    "agents/_prompts/facts.md": "{{ company }} is open 9 to 5.",
    "agents/_fleet/rows.csv": "slug,city\nnorth,Northville\nsouth,Southport\n",
    "agents/support.yaml": (
        "extends: _base/voice.yaml\n"
        "include: [_shared/hints.yaml]\n"
        "prompt:\n"
        "  sections:\n"
        "    - title: Role\n"
        "      body: You are {{ company }} support.\n"
        "    - title: Facts\n"
        "      body: \"{% include '_prompts/facts.md' %}\"\n"
        "functions:\n"
        "  - use: _functions/lib.yaml#lookup\n"
    ),
    "agents/sales.yaml": (
        "extends: _base/voice.yaml\n"
        "prompt:\n"
        "  text: You sell {{ company }} products.\n"
    ),
    "agents/clinic.yaml": (
        "agent: \"clinic-{{ slug }}\"\n"
        "instances: _fleet/rows.csv\n"
        "prompt:\n"
        "  text: You book visits in {{ city }}.\n"
    ),
    "agents/minimal.yaml": "prompt:\n  text: You are a minimal agent.\n",
}

SAMPLE_AGENTS = ("clinic-north", "clinic-south", "minimal", "sales", "support")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative POSIX path, with its bytes."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime_ns) of the folder itself ('.') and of every file under it."""
    out = {".": (folder.stat().st_ino, folder.stat().st_mtime_ns)}
    for p in sorted(folder.rglob("*")):
        st = p.stat()
        out[p.relative_to(folder).as_posix()] = (st.st_ino, st.st_mtime_ns)
    return out


def leftovers(parent: Path) -> list[str]:
    """Staging or swap folders a build left beside build/ (the lock file does not count)."""
    return sorted(p.name for p in parent.iterdir()
                  if p.name.startswith((".swmlc-new-", ".swmlc-old-")))


def write_files(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def run_swmlc(*args: str, cwd: Path, env: dict[str, str] | None = None,
              timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``swmlc ARGS`` as a separate process (``python -m compiler``)."""
    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd,
                          env=env if env is not None else dict(os.environ),
                          capture_output=True, text=True, timeout=timeout)


def swmlc_here(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``swmlc ARGS`` run in this process from ``cwd``: for the builds around the one a test
    kills or races, whose own process is not the point (a tenth of the cost of a new
    interpreter). The compiler keeps no process-wide state, so one run cannot colour the next."""
    from click.testing import CliRunner

    from compiler.cli import cli

    before = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(["swmlc", *args], result.exit_code, result.stdout,
                                       result.stderr)


def git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.com",
               GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.com",
               GIT_CONFIG_NOSYSTEM="1")
    return env


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=git_env(), capture_output=True,
                          text=True, check=check)


def git_init(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "commit.gpgsign", "false")
    return root


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").stdout.strip()

"""Shared by the tests that follow swmlc's own install recipes: a clone of this repository at
its release tag, and the git and pre-commit plumbing around it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from compiler.core.version import __version__
from tests.conftest import REPO

TAG = f"v{__version__}"


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True,
                          text=True)


def release_clone(into: Path) -> Path:
    """A clone of this repository's HEAD with the release tag on it, so that the recipes run
    the code under test: the tag is (re)made on HEAD in the clone, whether the checkout has
    none (CI clones without tags) or has it on an older commit; the docs pin that tag."""
    clone = into / "swmlc"
    git(into, "clone", "-q", "--no-hardlinks", str(REPO), str(clone))
    git(clone, "tag", "-f", TAG, "HEAD")
    return clone


def pre_commit_env(home: Path) -> dict[str, str]:
    return {**os.environ, "PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "NO_COLOR": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}


def commit(root: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900)

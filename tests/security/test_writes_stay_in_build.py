"""Issue 12, points 3, 4, 5, 6 and 17: no file outside the build folders swmlc owns is touched."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.project.conftest import snapshot

AGENT = {"agents/a.yaml": "prompt: {text: hi}\n"}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.mark.parametrize("out", [".", "..", "agents", "agents/more", ".git"])
@pytest.mark.parametrize("bind", [False, True])
def test_an_output_folder_holding_the_sources_is_refused(
        tmp_path: Path, swmlc: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, out: str,
        bind: bool) -> None:
    # the project sits one folder down, so that "-o .." names a folder this test owns and can
    # snapshot whole (pytest's tmp_path.parent holds every earlier test's files)
    root = tmp_path / "repo"
    files = {**AGENT, "swmlc.yaml": "secrets: [K]\n", "build/keep.txt": "committed\n"}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    before = _tree(tmp_path)
    args = ["build", "-o", out, *(["--bind-secrets"] if bind else [])]
    result = swmlc(*args, env={"K": "v"})
    assert result.exit_code == 1
    assert "error: the output folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree(tmp_path) == before


def test_a_build_folder_that_is_a_link_out_of_the_project_is_refused(
        tmp_path: Path, swmlc: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "fakehome/.ssh"
    home.mkdir(parents=True)
    (home / "id_rsa").write_text("PRIVATE KEY\n")
    root = tmp_path / "repo"
    (root / "agents").mkdir(parents=True)
    (root / "agents/a.yaml").write_text(AGENT["agents/a.yaml"])
    (root / "build").symlink_to(home)
    monkeypatch.chdir(root)
    result = swmlc("build")
    assert result.exit_code == 1
    assert "leads outside the project through a symlink" in result.stderr
    assert (root / "build").is_symlink()
    assert sorted(p.name for p in home.iterdir()) == ["id_rsa"]
    assert os.stat(home / "id_rsa").st_nlink == 1  # never hard-linked into a build


def test_a_committed_link_in_place_of_a_temporary_file_is_not_followed(
        project: Callable[..., Path], swmlc: Callable[..., Any], tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch\n")
    root = project(AGENT)
    assert swmlc("build").exit_code == 0
    (root / "agents/a.yaml").write_text("prompt: {text: changed}\n")
    for name in (".swmlc-build.stat.tmp", ".swmlc-build.stat", ".swmlc-build.lock"):
        (root / name).unlink(missing_ok=True)
    (root / ".swmlc-build.stat.tmp").symlink_to(victim)
    (root / ".swmlc-build.stat").symlink_to(victim)
    result = swmlc("build")
    assert victim.read_text() == "do not touch\n"
    assert "Traceback" not in result.stderr


def test_a_link_in_place_of_the_lock_is_refused(project: Callable[..., Path],
                                                swmlc: Callable[..., Any], tmp_path: Path
                                                ) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch\n")
    root = project(AGENT)
    (root / ".swmlc-build.lock").symlink_to(victim)
    result = swmlc("build")
    assert result.exit_code == 1 and "cannot create the build lock" in result.stderr
    assert victim.read_text() == "do not touch\n"


def test_diff_refs_cannot_be_options(project: Callable[..., Path], swmlc: Callable[..., Any]
                                     ) -> None:
    root = project(AGENT)
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c",
                                                "user.email=t@example.com", "commit", "-qm",
                                                "x"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    (root / "victim.txt").write_text("do not touch\n")
    for ref in ("--output=victim.txt", "-ovictim.txt", "HEAD --output=victim.txt"):
        result = swmlc("diff", "--against", ref)
        assert result.exit_code == 1, ref
        assert "Traceback" not in result.stderr
    assert (root / "victim.txt").read_text() == "do not touch\n"
    assert swmlc("diff", "--against", "HEAD").exit_code == 0


def test_a_read_only_build_folder_is_not_replaced(project: Callable[..., Path],
                                                  swmlc: Callable[..., Any]) -> None:
    root = project(AGENT)
    assert swmlc("build").exit_code == 0
    (root / "agents/a.yaml").write_text("prompt: {text: changed}\n")
    before = snapshot(root / "build")
    (root / "build").chmod(0o555)
    try:
        result = swmlc("build")
        assert result.exit_code == 1 and "build is read-only" in result.stderr
        assert snapshot(root / "build") == before
        assert [p.name for p in root.iterdir() if p.name.startswith(".swmlc-new")] == []
    finally:
        (root / "build").chmod(0o755)

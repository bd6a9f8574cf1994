"""Issue 17, point 5: the content-addressed cache of compiled units (SWMLC_CACHE_DIR). A build
from the cache writes the bytes a -j 1 build without it writes; a changed base recompiles only
its users; the key covers the options and the environment; the folder is written the way
docs/security.md says, and an entry that was tampered with, or is a link, is a miss."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from gitops_helpers import SAMPLE, snapshot

PROJECT = {**SAMPLE, "swmlc.yaml": "agents: agents\nbuild: build\nenv: [REGION]\n"
                                   "vars:\n  company: Acme\n",
           "agents/sales.yaml": "extends: _base/voice.yaml\nprompt:\n  text: You sell "
                                "{{ company }} products in {{ env('REGION') }}.\n"}
N = 5


@pytest.fixture
def repo(project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch,
         tmp_path_factory: pytest.TempPathFactory) -> Path:
    monkeypatch.setenv("SWMLC_CACHE_DIR", str(tmp_path_factory.mktemp("cache") / "swmlc"))
    monkeypatch.setenv("REGION", "north")
    return project(PROJECT)


def _build(swmlc: Callable[..., Result], *args: str) -> str:
    shutil.rmtree("build", ignore_errors=True)
    result = swmlc("build", "-v", *args)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[-1]


def test_a_build_from_the_cache_is_byte_identical_to_one_without(
        repo: Path, swmlc: Callable[..., Result], monkeypatch: pytest.MonkeyPatch,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    assert _build(swmlc) == f"cache: 0 of {N} compiled agents from the cache (0.0% hit rate)"
    assert _build(swmlc) == f"cache: {N} of {N} compiled agents from the cache " \
                            "(100.0% hit rate)"
    cached = snapshot(repo / "build")
    alone = tmp_path_factory.mktemp("alone")
    shutil.copytree(repo, alone, dirs_exist_ok=True)
    shutil.rmtree(alone / "build")
    monkeypatch.delenv("SWMLC_CACHE_DIR")
    monkeypatch.chdir(alone)
    assert _build(swmlc, "-j", "1") == "cache: off (set SWMLC_CACHE_DIR to a folder to keep " \
                                       "compiled agents between builds)"
    assert snapshot(alone / "build") == cached


def test_a_changed_base_recompiles_only_the_agents_that_read_it(
        repo: Path, swmlc: Callable[..., Result]) -> None:
    _build(swmlc)
    hints = repo / "agents/_shared/hints.yaml"
    hints.write_text("hints: [Acme, Globex]\n")
    assert _build(swmlc) == f"cache: {N - 1} of {N} compiled agents from the cache (80.0% hit " \
                            "rate)"  # support alone includes it
    assert '"Globex"' in (repo / "build/support.swml.json").read_text()
    hints.write_text("hints: [Acme]\n")  # back as it was: the old entry serves again
    assert _build(swmlc).startswith(f"cache: {N} of {N}")


def test_the_key_covers_options_variables_and_the_environment(
        repo: Path, swmlc: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    _build(swmlc)
    assert _build(swmlc, "--var", "company=Globex").startswith(f"cache: 0 of {N}")
    assert "Globex" in (repo / "build/sales.swml.json").read_text()
    monkeypatch.setenv("REGION", "south")  # a declared env variable: part of every key
    assert _build(swmlc).startswith(f"cache: 0 of {N}")
    assert "in south" in (repo / "build/sales.swml.json").read_text()
    assert _build(swmlc, "--format", "yaml").startswith(f"cache: 0 of {N}")
    monkeypatch.setenv("REGION", "north")
    assert _build(swmlc).startswith(f"cache: {N} of {N}")
    assert "in north" in (repo / "build/sales.swml.json").read_text()


def _entries(kind: str) -> list[Path]:
    root = Path(os.environ["SWMLC_CACHE_DIR"])
    return sorted(root.rglob(f"*.{kind}"))


def test_the_folder_is_private_and_a_tampered_or_linked_entry_is_a_miss(
        repo: Path, swmlc: Callable[..., Result], tmp_path: Path) -> None:
    _build(swmlc)
    root = Path(os.environ["SWMLC_CACHE_DIR"])
    for folder in [root / "v1", *(p for p in (root / "v1").iterdir())]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    units = _entries("unit")
    assert len(units) == 4  # one per definition file: the fleet's two rows are one entry
    good = snapshot(repo / "build")
    for entry in units:  # an attacker edits the documents inside every entry
        entry.write_bytes(entry.read_bytes().replace(b"You ", b"Evil "))
    assert _build(swmlc).startswith(f"cache: 0 of {N}")
    assert snapshot(repo / "build") == good
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    for entry in _entries("unit"):  # and replaces every entry with a link
        entry.unlink()
        entry.symlink_to(victim)
    assert _build(swmlc).startswith(f"cache: 0 of {N}")  # links are not followed...
    assert snapshot(repo / "build") == good
    assert victim.read_text() == "keep me"  # ...nor written through: replaced by new entries
    assert not any(p.is_symlink() for p in _entries("unit"))


def test_a_definition_with_a_warning_is_compiled_again_and_says_it_again(
        repo: Path, swmlc: Callable[..., Result]) -> None:
    (repo / "agents/minimal.yaml").write_text(
        "prompt:\n  text: You are minimal.\nparams:\n  frobnicate_level: 3\n")
    first = swmlc("build", "-v")
    assert "warning[" in first.output and first.exit_code == 0
    shutil.rmtree("build")
    second = swmlc("build", "-v")
    assert second.output.count("warning[") == first.output.count("warning[")
    assert second.output.splitlines()[-1] == \
        f"cache: {N - 1} of {N} compiled agents from the cache (80.0% hit rate)"

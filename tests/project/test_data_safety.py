"""Issue 11, point 4: a build never removes an output because of an input it could not read, a
project where the lock or the staging folder cannot be created is a clear error, and a full disk
during staging leaves the old build whole."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.project.conftest import open_to_all, snapshot, swmlc_cmd, unprivileged

AGENTS = {
    "agents/a.yaml": "extends: _base/voice.yaml\nprompt: {text: A}\n",
    "agents/b.yaml": "prompt: {text: B}\n",
    "agents/_base/voice.yaml": "languages:\n  - {name: English, code: en-US, voice: rime.spore}\n",
}


def _project(root: Path, files: dict[str, str] = AGENTS) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _built(root: Path) -> dict[str, bytes]:
    result = unprivileged(swmlc_cmd("build"), root)
    assert result.returncode == 0, result.stderr
    return snapshot(root / "build")


@pytest.mark.parametrize(("unreadable", "where"), [
    ("agents", "cannot read the folder agents: Permission denied"),
    ("agents/_base", "cannot read agents/_base/voice.yaml: Permission denied"),
    ("agents/b.yaml", "cannot read agents/b.yaml: Permission denied"),
])
@pytest.mark.slow
def test_an_unreadable_input_leaves_build_byte_identical(open_dir: Path, unreadable: str,
                                                         where: str) -> None:
    root = _project(open_dir)
    open_to_all(root, writable=True)
    before = _built(root)
    assert sorted(before) == ["a.swml.json", "b.swml.json", "manifest.json"]
    (root / unreadable).chmod(0)
    result = unprivileged(swmlc_cmd("build"), root)
    assert result.returncode == 1, result.stderr
    assert where in result.stderr
    assert "SWC007" in result.stderr and "Traceback" not in result.stderr
    assert "nothing was written" in result.stderr
    (root / unreadable).chmod(0o777 if (root / unreadable).is_dir() else 0o666)
    assert snapshot(root / "build") == before


def test_a_read_only_project_is_a_clear_error(open_dir: Path) -> None:
    root = _project(open_dir)
    open_to_all(root, writable=False)  # readable by all, writable by root only
    result = unprivileged(swmlc_cmd("build"), root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "error: cannot create the build lock" in result.stderr
    assert "Permission denied" in result.stderr
    assert not (root / "build").exists()


def test_a_full_disk_while_staging_leaves_the_old_build_whole(
        project: Callable[..., Path], swmlc: Callable[..., Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC injected at the second file written into the staging folder (a real small file
    system needs mount rights this machine does not give)."""
    root = project(AGENTS)
    assert swmlc("build").exit_code == 0
    before = snapshot(root / "build")
    (root / "agents/a.yaml").write_text("extends: _base/voice.yaml\nprompt: {text: A2}\n")
    (root / "agents/b.yaml").write_text("prompt: {text: B2}\n")
    writes: list[Path] = []
    original = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        writes.append(self)
        if len(writes) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    result = swmlc("build")
    monkeypatch.setattr(Path, "write_bytes", original)
    assert result.exit_code == 1
    assert "error: cannot write" in result.stderr and "No space left on device" in result.stderr
    assert len(writes) == 2 and ".swmlc-new-build-" in str(writes[0])
    assert snapshot(root / "build") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".swmlc-new")] == []

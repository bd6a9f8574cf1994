"""Helpers for the tests of a team's own project (issue 11): running swmlc as a user that
cannot read or write what root can, and snapshots of folders."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

NOBODY = 65534


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (a missing folder is empty)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def unprivileged(cmd: list[str], cwd: Path, env: dict[str, str] | None = None
                 ) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` as a user whom permissions bind. Tests run as root here, which no
    ``chmod 000`` stops; root runs the command as nobody through setpriv, and any other user runs
    it as itself."""
    full_env = {**os.environ, "HOME": str(cwd), "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1",
                **(env or {})}
    if os.getuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot drop privileges for this test")
        drop = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        refused = _nobody_cannot_import(tuple(drop))
        if refused:  # e.g. a checkout under a 0700 folder (mktemp -d)
            pytest.skip("the unprivileged user (nobody) cannot import swmlc from this checkout: "
                        + refused)
        cmd = [*drop, *cmd]
    return subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=300)


@functools.cache
def _nobody_cannot_import(drop: tuple[str, ...]) -> str:
    """Why the dropped user cannot import the compiler ("" when it can): asked once a run."""
    probe = subprocess.run([*drop, sys.executable, "-c", "import compiler"],
                           cwd=tempfile.gettempdir(), capture_output=True, text=True,
                           timeout=120)
    return "" if probe.returncode == 0 else probe.stderr.strip().splitlines()[-1]


def swmlc_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "compiler", *args]


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder the unprivileged user may enter (pytest's own tmp_path is root's, mode 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="swmlc-open-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            with contextlib.suppress(OSError):
                path.chmod(path.stat().st_mode | stat.S_IRWXU)
        shutil.rmtree(folder, ignore_errors=True)


def open_to_all(folder: Path, *, writable: bool) -> None:
    """World-readable (and, if asked, world-writable) files and folders under ``folder``."""
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o777 if writable else 0o755)
        else:
            path.chmod(0o666 if writable else 0o644)

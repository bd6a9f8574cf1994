"""A git ref's tracked files, exported into a folder to compile them (``swmlc diff``)."""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

from compiler.core.errors import SwmlcError


def export_tree(root: Path, ref: str, into: Path) -> None:
    """The tracked files of ``ref`` into a folder (git archive: no checkout, no index touched).

    ``ref`` comes from a user or a CI variable: it is first resolved to a commit, after
    ``--end-of-options`` (so ``--output=x`` is a ref that does not exist, never an option), and
    only the commit's hash reaches ``git archive``.
    """
    if not ref or ref.startswith("-"):
        raise SwmlcError(f"'{ref}' is not a git ref (refs do not start with '-')")
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, check=True,
                             capture_output=True, text=True).stdout.strip()
        prefix = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root, check=True,
                                capture_output=True, text=True).stdout.strip()
        commit = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
            cwd=top, capture_output=True, text=True).stdout.strip()
        if not commit:
            raise SwmlcError(f"git cannot read '{ref}': it names no commit")
        archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=top,
                                 check=True, capture_output=True)
    except FileNotFoundError:
        raise SwmlcError("swmlc diff needs git on PATH") from None
    except subprocess.CalledProcessError as exc:
        message = (exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr) or ""
        raise SwmlcError(f"git cannot read '{ref}': {message.strip()}") from None
    tmp = into / "tree.tar"
    tmp.write_bytes(archive.stdout)
    with tarfile.open(tmp) as tar:
        tar.extractall(into / "repo", filter="data")
    (into / "root").symlink_to(into / "repo" / prefix if prefix else into / "repo")

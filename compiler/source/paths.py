"""Resolving the paths a definition names (extends, include, use, instances, file(),
{% include %}): relative to the file that names them, and never outside the project root."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Span


def resolve_path(root: Path, from_file: str, target: str, site: Span,
                 memo: dict[tuple[str, str], str] | None = None) -> str | Diagnostic:
    """The root-relative path of ``target`` named in ``from_file``, or why it cannot be used.

    The real path is checked, so a symlink pointing out of the repository is refused as surely
    as a ``..`` that climbs out of it: a build must depend on the repository and nothing else.

    ``memo`` (one per run, kept by :class:`~compiler.source.files.SourceFiles`) remembers the
    paths that resolved, by (folder, target): a thousand agents naming the same base resolved
    it a thousand times (8% of a build, measured), through ``realpath`` and ``stat``. A path
    that failed is not remembered, so its diagnostic always names its own site.
    """
    if not target or not isinstance(target, str):
        return codes.MISSING_FILE.at(site, "expected a path")
    key = (os.path.dirname(from_file), target)
    if memo is not None and key in memo:
        return memo[key]
    found = _resolve(root, from_file, target, site)
    if memo is not None and isinstance(found, str):
        memo[key] = found
    return found


def _resolve(root: Path, from_file: str, target: str, site: Span) -> str | Diagnostic:
    base = (root / from_file).parent
    candidate = Path(os.path.normpath(base / target))
    real_root = root.resolve()
    try:
        candidate.resolve().relative_to(real_root)
        rel = candidate.relative_to(root).as_posix()
    except ValueError:
        return codes.PATH_ESCAPE.at(
            site, f"'{target}' resolves outside the project root",
            help="keep shared files inside the repository (e.g. agents/_shared/)")
    try:
        mode = candidate.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return codes.MISSING_FILE.at(site, f"file not found: {rel}", help=_nearby(candidate))
    except OSError as exc:  # a folder on the way that cannot be searched, a loop of links
        return codes.UNREADABLE.at(site, f"cannot read {rel}: {exc.strerror or exc}")
    if stat.S_ISDIR(mode):
        return codes.MISSING_FILE.at(site, f"{rel} is a directory, not a file",
                                     help=_inside(candidate, rel))
    return rel


def _inside(folder: Path, rel: str) -> str:
    """The help for a path naming a directory: the files it holds that could be meant."""
    try:
        names = sorted(p.name for p in folder.iterdir()
                       if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".csv"))
    except OSError:
        names = []
    if not names:
        return "name a file; this directory holds no YAML file"
    shown = ", ".join(f"{rel}/{n}" for n in names[:3])
    return f"name a file inside it: {shown}" + (" ..." if len(names) > 3 else "")


def _nearby(path: Path) -> str | None:
    from compiler.core.suggest import did_you_mean

    folder = path.parent
    try:
        names = [p.name for p in folder.iterdir() if p.is_file()]
    except OSError:
        return None
    match = did_you_mean(path.name, names)
    return f"did you mean '{match}'?" if match else None

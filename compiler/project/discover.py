"""Which files are agents: everything under the agents folder except partials.

A folder that cannot be read is an error, not an empty folder: a build that silently found no
agents would remove every output from build/ ("A build never deletes what it could not read").
A definition that is a symlink must resolve inside the project root, like every other path a
build reads.
"""

from __future__ import annotations

import os
from pathlib import Path

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Span
from compiler.source.files import display_path

YAML_SUFFIXES = (".yaml", ".yml")


def _is_definition_name(name: str) -> bool:
    # partials: a folder or file whose name starts with "_" (and hidden ones)
    return name.endswith(YAML_SUFFIXES) and not name.startswith((".", "_"))


def _walk(folder: str, rel: str, real_root: str, found: set[str],
          diags: list[Diagnostic]) -> None:
    """Add the definitions under ``folder`` (shown as ``rel``) to ``found``, depth first, in name
    order. Only symlinks are resolved: resolving each of thousands of files cost more than the
    rest of a no-op build's discovery."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        diags.append(codes.UNREADABLE.at(
            Span(rel or ".", 0, 0, 0, 0), f"cannot read the folder {rel or '.'}: "
            f"{exc.strerror or exc}", help="swmlc builds nothing rather than build without it: "
            "make it readable (or move it out of the agents folder)"))
        return
    for entry in entries:
        path = f"{rel}/{entry.name}" if rel else entry.name
        if entry.is_symlink():
            real = os.path.realpath(entry.path)
            if real != real_root and not real.startswith(real_root + os.sep):
                if _is_definition_name(entry.name):
                    diags.append(codes.PATH_ESCAPE.at(
                        Span(path, 0, 0, 0, 0), f"{path} is a link to a file outside the "
                        "project root", help="keep definitions inside the repository"))
                continue
            if entry.is_file() and _is_definition_name(entry.name):
                found.add(path)
            continue  # a linked folder is not walked: a link loop would never end
        if entry.is_dir(follow_symlinks=False):
            if not entry.name.startswith((".", "_")):
                _walk(entry.path, path, real_root, found, diags)
        elif _is_definition_name(entry.name):
            found.add(path)


def find_definitions(root: Path, paths: list[str], site: Span | None = None
                     ) -> tuple[list[str], list[Diagnostic]]:
    """Root-relative paths of agent definitions, sorted, so the order never depends on the file
    system's listing order. ``site`` is where the paths were named (swmlc.yaml's ``agents:``),
    for the error when one does not exist."""
    found: set[str] = set()
    diags: list[Diagnostic] = []
    real_root = os.path.realpath(root)
    for raw in paths:
        path = Path(raw) if Path(raw).is_absolute() else root / raw
        try:
            is_dir = path.is_dir()
            is_file = not is_dir and path.is_file()
        except OSError:  # pragma: no cover - is_dir/is_file report most errors as False
            is_dir = is_file = False
        if is_file:
            found.add(display_path(path, root))
        elif is_dir:
            base = display_path(path, root)
            _walk(str(path), "" if base in ("", ".") else base, real_root, found, diags)
        elif os.path.lexists(path) or _unreadable_parent(path):
            diags.append(codes.UNREADABLE.at(
                Span(raw, 0, 0, 0, 0), f"cannot read {raw}",
                help="swmlc builds nothing rather than build without it: make it readable"))
        else:
            diags.append(codes.PATH_NOT_FOUND.at(
                site or Span(raw, 0, 0, 0, 0), f"no such file or folder: {raw}",
                help="set agents: in swmlc.yaml to the folder of your agent definitions"
                if site else None))
    return sorted(found), diags


def _unreadable_parent(path: Path) -> bool:
    """Is ``path`` invisible because a folder above it cannot be searched?"""
    for parent in path.parents:
        if parent.exists():
            return not os.access(parent, os.X_OK | os.R_OK)
    return False

"""Which files are agents: everything under the agents folder except partials."""

from __future__ import annotations

import os
from pathlib import Path

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Span
from compiler.source.files import display_path

YAML_SUFFIXES = (".yaml", ".yml")


def find_definitions(root: Path, paths: list[str]) -> tuple[list[str], list[Diagnostic]]:
    """Root-relative paths of agent definitions, sorted, so the order never depends on the file
    system's listing order."""
    found: set[str] = set()
    diags: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw) if Path(raw).is_absolute() else root / raw
        if path.is_file():
            found.add(display_path(path, root))
        elif path.is_dir():
            # One resolve for the folder, then string joins: resolving each of thousands of
            # files cost more than the rest of a no-op build's discovery.
            base = display_path(path, root)
            prefix = "" if base in ("", ".") else base + "/"
            for folder, dirs, files in os.walk(path):
                # partials: a folder or file whose name starts with "_" (or hidden ones)
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                rel_folder = os.path.relpath(folder, path)
                sub = "" if rel_folder == "." else rel_folder.replace(os.sep, "/") + "/"
                for name in files:
                    if name.endswith(YAML_SUFFIXES) and not name.startswith((".", "_")):
                        found.add(f"{prefix}{sub}{name}")
        else:
            diags.append(codes.PATH_NOT_FOUND.at(
                Span(raw, 0, 0, 0, 0), f"no such file or folder: {raw}"))
    return sorted(found), diags

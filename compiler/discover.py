"""Which files are agents: everything under the agents folder except partials."""

from __future__ import annotations

import os
from pathlib import Path

from compiler import codes
from compiler.diagnostics import Diagnostic
from compiler.sources import display_path
from compiler.tree import Span

YAML_SUFFIXES = (".yaml", ".yml")


def is_partial(rel_parts: tuple[str, ...]) -> bool:
    """A file whose name, or a folder on whose path, starts with ``_`` is a partial."""
    return any(part.startswith("_") for part in rel_parts)


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
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                for name in files:
                    if not name.endswith(YAML_SUFFIXES) or name.startswith((".", "_")):
                        continue
                    rel_parts = Path(folder, name).relative_to(path).parts
                    if not is_partial(rel_parts):
                        found.add(display_path(Path(folder, name), root))
        else:
            diags.append(codes.PATH_NOT_FOUND.at(
                Span(raw, 0, 0, 0, 0), f"no such file or folder: {raw}"))
    return sorted(found), diags

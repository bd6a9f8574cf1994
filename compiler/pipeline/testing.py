"""Helpers for tests and doctests: run passes on a definition held in a string.

Lives in the package (not tests/) so the doctests of the passes can use it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from compiler.core.diagnostics import Diagnostic
from compiler.pipeline.context import Context, Session, Unit
from compiler.project.config import ProjectConfig
from compiler.project.load import Project
from compiler.project.options import Options
from compiler.source.files import SourceFiles


def context_for(root: Path) -> Context:
    """A unit's context in a project at ``root`` with no swmlc.yaml."""
    return Context(Session(Project(Options(root=root), ProjectConfig(), SourceFiles(root))))


def unit_for(text: str, name: str = "agent", root: Path | None = None) -> tuple[Unit, Context]:
    """A unit whose file holds ``text`` (in memory; nothing touches the disk)."""
    root = root or Path(tempfile.gettempdir())
    files = SourceFiles(root)
    rel = f"agents/{name}.yaml"
    files.texts[rel] = text
    project = Project(Options(root=root), ProjectConfig(), files)
    return Unit(file=rel, name=name), Context(Session(project))


def run_passes(text: str, name: str = "agent") -> tuple[Unit, list[Diagnostic]]:
    """The whole per-agent pipeline over ``text``; returns the unit and its diagnostics."""
    from compiler.pipeline.run import run_unit

    unit, ctx = unit_for(text, name)
    return run_unit(unit, ctx), ctx.diagnostics

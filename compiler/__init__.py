"""swmlc: compile SignalWire agent definitions (YAML) into SWML documents.

The library API never prints and never exits; ``compiler.cli`` is the only place that does.
ARCHITECTURE.md maps the packages. The names below are loaded on first use, so that
``swmlc --version`` pays for nothing.
"""

from __future__ import annotations

from compiler.core.version import __version__

TYPE_CHECKING = False  # not typing's: the launcher (compiler/fastpath.py) never imports typing

if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from compiler.build.compile import CompileResult, compile_project
    from compiler.core.diagnostics import Diagnostic
    from compiler.project.options import Options

__all__ = ["CompileResult", "Diagnostic", "Options", "__version__", "compile_project"]


def __getattr__(name: str) -> Any:
    if name in ("compile_project", "CompileResult"):
        from compiler.build import compile as build

        return getattr(build, name)
    if name == "Diagnostic":
        from compiler.core.diagnostics import Diagnostic

        return Diagnostic
    if name == "Options":
        from compiler.project.options import Options

        return Options
    raise AttributeError(name)

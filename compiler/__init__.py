"""swmlc: compile SignalWire agent definitions (YAML) into SWML documents.

The library API never prints and never exits; ``compiler.cli`` is the only place that does.
Imports here are lazy so that ``swmlc --version`` pays for nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from compiler.api import CompileResult, compile_project
    from compiler.diagnostics import Diagnostic
    from compiler.options import Options

__all__ = ["CompileResult", "Diagnostic", "Options", "__version__", "compile_project"]


def __getattr__(name: str) -> Any:
    if name in ("compile_project", "CompileResult"):
        from compiler import api

        return getattr(api, name)
    if name == "Diagnostic":
        from compiler.diagnostics import Diagnostic

        return Diagnostic
    if name == "Options":
        from compiler.options import Options

        return Options
    raise AttributeError(name)

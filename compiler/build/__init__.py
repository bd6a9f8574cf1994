"""The build: compiling a project's agents (:mod:`.compile`, :mod:`.workers`), what is remembered
between builds (:mod:`.incremental`), output files (:mod:`.outputs`, :mod:`.serialize`), the
atomic build folder (:mod:`.build_dir`) and deploy copies with secrets bound (:mod:`.deploy`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from compiler.build.compile import CompileResult, compile_project

__all__ = ["CompileResult", "compile_project"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from compiler.build import compile as build

        return getattr(build, name)
    raise AttributeError(name)

"""The static checks, one module per rule, in an explicit registry (no plugin discovery).

Each rule module declares ``CODE`` (a :class:`compiler.diagnostics.Code`) and
``check(tree, ctx) -> Iterator[Diagnostic]``, which only yields. Its module docstring is its
documentation (What it does / Why / Example / Use instead). The driver in
``compiler.passes.check`` applies configured severities, ``off``, and inline
``# swmlc: ignore[CODE]`` comments; a rule never does.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Protocol

from compiler.context import Context
from compiler.diagnostics import Code, Diagnostic
from compiler.tree import Map


class Rule(Protocol):
    CODE: Code

    def check(self, tree: Map, ctx: Context) -> Iterator[Diagnostic]: ...


def rules() -> list[ModuleType]:
    """Every rule module, in code order. Imported lazily: ``--version`` pays for none of them."""
    from compiler.lints import _registry

    return list(_registry.RULES)

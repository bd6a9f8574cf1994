"""The static checks, one module per rule, in an explicit registry (no plugin discovery).

Each rule module declares ``CODE`` (a :class:`compiler.core.diagnostics.Code`) and
``check(model) -> Iterator[Diagnostic]``, which only yields. Its module docstring is its
documentation (What it does / Why / Example / Use instead). The check pass
(``compiler.pipeline.check``) applies configured severities, ``off``, and inline
``# swmlc: ignore[CODE]`` comments; a rule never does.
"""

from __future__ import annotations

from collections.abc import Sequence

from compiler.lints.rule import Rule

__all__ = ["Rule", "rules"]


def rules() -> Sequence[Rule]:
    """Every rule module, in code order. Imported lazily: ``--version`` pays for none of them."""
    from compiler.lints import _registry

    return _registry.RULES

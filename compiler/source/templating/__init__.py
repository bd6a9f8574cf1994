"""Compile-time templating: Jinja2, sandboxed, strict, bounded, rendered once.

Every string of a definition may hold Jinja (``{{ company }}``, ``{% if %}``). SignalWire's own
runtime templates (``${global_data.x}``, ``%{args.x}``, ``@{...}``) are not Jinja syntax, so they
pass through byte for byte. Undefined names are errors (StrictUndefined), the sandbox refuses
attribute tricks, and everything a template builds is bounded (:mod:`.sandbox`), so a definition
can neither reach into the compiler nor exhaust the machine. A string that is one whole
expression keeps the expression's type: ``"{{ timeout }}"`` gives 700, not "700".

The modules: :mod:`.text` (is it a template? no Jinja imported), :mod:`.scope` (what templates
may reach), :mod:`.sandbox` (the bounded environment), :mod:`.engine` (one render, and its
errors), :mod:`.values` (every string of a tree, and variables). The names below load on first
use, so that asking :func:`has_template` imports no Jinja.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from compiler.source.templating.text import FUNCTIONS, has_template

if TYPE_CHECKING:  # pragma: no cover
    from compiler.source.templating.engine import Templates
    from compiler.source.templating.scope import RenderScope, TemplateFailure
    from compiler.source.templating.values import (
        referenced_names,
        render_value,
        resolve_values,
        wrap,
    )

__all__ = ["FUNCTIONS", "RenderScope", "TemplateFailure", "Templates", "has_template",
           "referenced_names", "render_value", "resolve_values", "wrap"]

_WHERE = {"Templates": "engine", "RenderScope": "scope", "TemplateFailure": "scope",
          "referenced_names": "values", "render_value": "values", "resolve_values": "values",
          "wrap": "values"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(name)

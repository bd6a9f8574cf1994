"""The passes, in order, in one place.

Each pass is ``(Unit, Context) -> Unit``. The pipeline stops a unit after the first pass that
reported an error: later passes may assume what earlier ones checked.
"""

from __future__ import annotations

from typing import Protocol

from compiler.context import Context, Unit
from compiler.passes.check import check
from compiler.passes.check_shape import check_shape, unknown_keys
from compiler.passes.compose import compose
from compiler.passes.load_definition import load_definition
from compiler.passes.lower import lower
from compiler.passes.render_templates import render_templates
from compiler.passes.resolve_refs import resolve_refs
from compiler.passes.validate_schema import validate_schema


class Pass(Protocol):
    __name__: str

    def __call__(self, unit: Unit, ctx: Context, /) -> Unit: ...


PIPELINE: tuple[Pass, ...] = (
    load_definition,   # YAML text -> positioned tree (duplicate keys, YAML 1.2, alias bombs)
    compose,           # extends/include/use -> one tree (cycles, diamonds, paths in the repo)
    render_templates,  # vars + Jinja2 -> concrete values (sandboxed; runtime ${...} untouched)
    resolve_refs,      # webhook paths -> URLs with the project's SWAIG base URL and auth
    check_shape,       # the source format: unknown keys, types, required keys
    check,             # static analysis: runtime refs, the steps graph, names (compiler/lints)
    lower,             # agent model -> SWML / RELAY / Bedrock documents
    validate_schema,   # every document against the official SWML schema
)


#: Passes after which errors do not stop the unit: the checks after them still run, so that all
#: of an agent's problems are reported at once and a rule can say better what the shape check
#: found (see compiler/passes/check.py).
CONTINUE_AFTER_ERRORS = frozenset({"check_shape"})


def run_unit(unit: Unit, ctx: Context, passes: tuple[Pass, ...] = PIPELINE) -> Unit:
    for i, step in enumerate(passes):
        unit = step(unit, ctx)
        if ctx.failed() and step.__name__ not in CONTINUE_AFTER_ERRORS:
            if check_shape in passes[i + 1:] and unit.tree is not None:
                # failed before the shape check: a misspelt key (vars, extends) is often why
                for diag in unknown_keys(unit.tree):
                    ctx.report(diag)
            break
    return unit

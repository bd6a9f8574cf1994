"""The passes, in order, in one place.

Each pass is ``(Unit, Context) -> Unit``. The pipeline stops a unit after the first pass that
reported an error, unless that pass keeps going (its own ``keep_going`` attribute): later passes
may assume what earlier ones checked.
"""

from __future__ import annotations

from collections.abc import Collection

from compiler.pipeline.check import check
from compiler.pipeline.check_shape import check_shape
from compiler.pipeline.compose import compose
from compiler.pipeline.context import Context, Pass, Unit
from compiler.pipeline.load_definition import load_definition
from compiler.pipeline.lower import lower
from compiler.pipeline.render_templates import render_templates
from compiler.pipeline.resolve_refs import resolve_refs
from compiler.pipeline.validate_schema import validate_schema

PIPELINE: tuple[Pass, ...] = (
    load_definition,   # YAML text -> positioned tree (duplicate keys, YAML 1.2, alias bombs)
    compose,           # extends/include/use -> one tree (cycles, diamonds, paths in the repo)
    render_templates,  # vars + Jinja2 -> concrete values (sandboxed; runtime ${...} untouched)
    resolve_refs,      # webhook paths -> URLs with the project's SWAIG base URL and auth
    check_shape,       # the source format: unknown keys, types, required keys (keeps going)
    check,             # static analysis: runtime refs, the steps graph, names (compiler/lints)
    lower,             # agent model -> SWML / RELAY / Bedrock documents
    validate_schema,   # every document against the official SWML schema
)


def run_unit(unit: Unit, ctx: Context, passes: tuple[Pass, ...] = PIPELINE, *,
             keep_going: Collection[Pass] = ()) -> Unit:
    """Run ``passes`` over one unit, in order, stopping after a pass that reported an error
    (unless the pass, or the caller through ``keep_going``, says it keeps going). The passes the
    unit did not reach may still say what they can (``when_skipped``)."""
    for i, step in enumerate(passes):
        unit = step(unit, ctx)
        if ctx.failed() and not (step.keep_going or step in keep_going):
            for later in passes[i + 1:]:
                if later.when_skipped is not None:
                    later.when_skipped(unit, ctx)
            break
    return unit

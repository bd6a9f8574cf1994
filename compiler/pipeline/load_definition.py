"""Pass 1: read an agent definition into a positioned tree."""

from __future__ import annotations

from dataclasses import replace

from compiler.core import codes
from compiler.core.tree import Map, Span
from compiler.pipeline.context import Context, Unit, pipeline_pass


@pipeline_pass()
def load_definition(unit: Unit, ctx: Context) -> Unit:
    """Parse the unit's file (YAML 1.2, strict) and require one mapping.

    Example:
        >>> from compiler.pipeline.testing import unit_for
        >>> unit, ctx = unit_for("prompt: {text: hi}\\n")
        >>> load_definition(unit, ctx).tree["prompt"]["text"]
        'hi'
    """
    result = ctx.project.files.load(unit.file)
    for diag in result.diagnostics:
        ctx.report(diag)
    if result.diagnostics:
        return unit
    if result.value is None:
        ctx.report(codes.NOT_A_MAPPING.at(
            Span(unit.file, 1, 1, 1, 1), "the definition is empty",
            help="an agent needs at least a prompt, e.g. 'prompt: {text: You are ...}'"))
        return unit
    if not isinstance(result.value, Map):
        span = getattr(result.value, "span", Span(unit.file, 1, 1, 1, 1))
        ctx.report(codes.NOT_A_MAPPING.at(
            span, "an agent definition must be a mapping of keys to values",
            help="start with keys such as 'prompt:'; see docs/source-format.md"))
        return unit
    return replace(unit, tree=result.value, inputs=(*unit.inputs, unit.file))

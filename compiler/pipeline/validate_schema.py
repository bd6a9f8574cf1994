"""Pass: every output document against SignalWire's official schema, before anything is written."""

from __future__ import annotations

from dataclasses import replace

from compiler.core import codes
from compiler.core.tree import Span
from compiler.pipeline.context import Context, Unit, pipeline_pass
from compiler.signalwire.official_schema import official_problems
from compiler.targets import TARGETS


@pipeline_pass()
def validate_schema(unit: Unit, ctx: Context) -> Unit:
    """Report each place the official schema refuses, at the YAML behind the JSON pointer.

    Each target says which SWML document stands for it (a relay target is checked as the ``ai``
    verb ``call.ai()`` sends), and a target holding the same ``ai`` verb as another one built
    alongside is not checked twice.
    """
    schema = ctx.session.official_schema
    if schema is None:
        if not ctx.session.schema_missing_said:
            ctx.session.schema_missing_said = True
            ctx.report(codes.SCHEMA_UNAVAILABLE.at(
                Span(unit.file, 1, 1, 1, 1),
                "official SWML schema not found: checked with swmlc's own rules only",
                help="pip install signalwire-sdk (or: pip install 'swmlc[test]')"))
        return unit
    for name, doc in unit.documents.items():
        target = TARGETS[name]
        if target.same_ai_as in unit.documents:
            continue  # that document holds the very same ai verb: say things once
        for diag in official_problems(schema, target.as_swml(doc)):
            ctx.report(replace(diag, notes=(*diag.notes, *target.notes)) if target.notes
                       else diag)
    return unit

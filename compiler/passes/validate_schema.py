"""Pass: every output document against SignalWire's official schema, before anything is written."""

from __future__ import annotations

from dataclasses import replace

from compiler import codes
from compiler.context import Context, Unit
from compiler.official_schema import OFFICIAL_CODES, official_schema
from compiler.tree import Span

#: Targets whose documents are SWML (the relay target holds call.ai() keyword arguments).
SWML_TARGETS = ("swml", "bedrock")


def validate_schema(unit: Unit, ctx: Context) -> Unit:
    """Report each place the official schema refuses, at the YAML behind the JSON pointer."""
    schema = official_schema()
    if schema is None:
        if not ctx.project.cache.get("schema-missing-said"):
            ctx.project.cache["schema-missing-said"] = True
            ctx.report(codes.SCHEMA_UNAVAILABLE.at(
                Span(unit.file, 1, 1, 1, 1),
                "official SWML schema not found: checked with swmlc's own rules only",
                help="pip install signalwire-sdk (or: pip install 'swmlc[test]')"))
        return unit
    for target, doc in unit.documents.items():
        notes: tuple[str, ...] = ()
        if target == "relay":
            if "swml" in unit.documents:
                continue  # the swml document holds the very same ai verb: say things once
            from compiler.relay import relay_as_swml

            # call.ai() keyword arguments are checked as the ai verb the SDK sends for them
            doc = relay_as_swml(doc)
            notes = ("checked as the ai verb that call.ai() sends for the relay target",)
        elif target not in SWML_TARGETS:
            continue
        for diag in schema.problems(doc, OFFICIAL_CODES):
            ctx.report(replace(diag, notes=(*diag.notes, *notes)) if notes else diag)
    return unit

"""Pass: every output document against SignalWire's official schema, before anything is written."""

from __future__ import annotations

from compiler import codes
from compiler.context import Context, Unit
from compiler.official_schema import OFFICIAL_CODES, official_schema
from compiler.tree import Map, Span, span_at

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
        if target not in SWML_TARGETS or schema.is_valid(doc):
            continue
        ctx.project.cache["schema-failures"] = ctx.project.cache.get("schema-failures", 0) + 1
        for diag in schema.explain(doc, _span_of(doc), OFFICIAL_CODES):
            ctx.report(diag)
    return unit


def _span_of(doc: Map):  # type: ignore[no-untyped-def]
    def span_of(path: tuple[str | int, ...], key: bool) -> Span:
        return span_at(doc, path, key=key) or doc.span

    return span_of

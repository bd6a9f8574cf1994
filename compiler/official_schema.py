"""SignalWire's official SWML schema: found, compiled once, and used as the judge.

The schema ships inside the ``signalwire-sdk`` package as ``signalwire/schema.json``. It is located
with ``importlib.util.find_spec``, which finds the package without importing it (importing the SDK
costs most of a second). jsonschema-rs decides valid/invalid (tens of microseconds per document);
only a failing document pays for the pure-Python ``jsonschema`` library, which gives the detail.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from compiler import codes
from compiler.diagnostics import Diagnostic
from compiler.schema_errors import SchemaExplainer, SpanOf
from compiler.tree import Map, Span, span_at

OFFICIAL_CODES = {k: codes.OFFICIAL_SCHEMA for k in ("unknown", "type", "missing", "value")}


def locate_official_schema() -> Path | None:
    """Path of signalwire/schema.json, or None when signalwire-sdk is not installed."""
    try:
        spec = importlib.util.find_spec("signalwire")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / "schema.json"
        if candidate.is_file():
            return candidate
    return None


@dataclass
class JsonSchema:
    """A schema with a fast validator and a lazily built explainer for failures."""

    schema: dict[str, Any]
    path: Path

    def __post_init__(self) -> None:
        import jsonschema_rs

        # Formats are annotations in draft 2020-12 unless a vocabulary asserts them, which is how
        # the reference `jsonschema` library reads this schema: agree with it.
        self._fast = jsonschema_rs.validator_for(self.schema, validate_formats=False)
        self._explainer: SchemaExplainer | None = None

    def is_valid(self, instance: Any) -> bool:
        return bool(self._fast.is_valid(instance))

    def explain(self, instance: Any, span_of: SpanOf, codes_by_kind: dict[str, Any],
                context: str = "") -> list[Diagnostic]:
        if self._explainer is None:
            self._explainer = SchemaExplainer(self.schema)
        return self._explainer.explain(instance, span_of, codes_by_kind, context=context)

    def problems(self, tree: Map, codes_by_kind: dict[str, Any], context: str = "",
                 span_of: SpanOf | None = None) -> list[Diagnostic]:
        """Nothing for a valid tree (the fast path); otherwise each problem, placed by the
        tree's own spans unless ``span_of`` says otherwise."""
        if self.is_valid(tree):
            return []

        def own_span(path: tuple[str | int, ...], key: bool) -> Span:
            return span_at(tree, path, key=key) or tree.span

        return self.explain(tree, span_of or own_span, codes_by_kind, context)


@cache
def official_schema() -> JsonSchema | None:
    path = locate_official_schema()
    if path is None:
        return None
    return JsonSchema(json.loads(path.read_text(encoding="utf-8")), path)


@cache
def bundled_schema(name: str) -> JsonSchema:
    """One of swmlc's own schemas (agent source format, project file), shipped in the package."""
    path = Path(__file__).parent / "data" / name
    return JsonSchema(json.loads(path.read_text(encoding="utf-8")), path)

"""Checking a positioned tree against a JSON Schema, with each problem at its file:line:col.

jsonschema-rs decides valid/invalid (tens of microseconds per document); only a failing document
pays for the pure-Python ``jsonschema`` library, which :mod:`.explain` turns into diagnostics a
person can act on. The same machinery checks agent definitions (swmlc's own source format),
swmlc.yaml and, in :mod:`compiler.signalwire.official_schema`, the compiled documents.

A :class:`SchemaSet` holds the schemas one run uses, each compiled on first use: it belongs to
the run (a build, a validate, an import), never to the process.
"""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compiler.core.diagnostics import Code, Diagnostic
from compiler.core.tree import Map, Span, span_at

if TYPE_CHECKING:  # pragma: no cover - the explainer loads on the first failure only
    from compiler.source.schema.explain import SchemaExplainer, SpanOf

#: A document with more values than this is explained one failing part at a time.
FOCUS_ABOVE = 5_000

#: swmlc's own schemas (agent source format, project file), shipped in the package.
BUNDLED = Path(__file__).resolve().parent.parent.parent / "data"


class JsonSchema:
    """A schema with a fast validator and a lazily built explainer for failures."""

    def __init__(self, schema: dict[str, Any], path: Path) -> None:
        import jsonschema_rs

        self.schema = schema
        self.path = path
        # Formats are annotations in draft 2020-12 unless a vocabulary asserts them, which is how
        # the reference `jsonschema` library reads this schema: agree with it.
        self._fast = jsonschema_rs.validator_for(schema, validate_formats=False)
        self._explainer: SchemaExplainer | None = None

    def is_valid(self, instance: Any) -> bool:
        return bool(self._fast.is_valid(instance))

    @property
    def explainer(self) -> SchemaExplainer:
        """The pure-Python side, built on the first failure (it costs tens of milliseconds, and
        its modules are not even imported by a run whose documents are all valid)."""
        if self._explainer is None:
            from compiler.source.schema.explain import SchemaExplainer

            self._explainer = SchemaExplainer(self.schema)
        return self._explainer

    def explain(self, instance: Any, span_of: SpanOf, codes_by_kind: dict[str, Code],
                context: str = "") -> list[Diagnostic]:
        if _more_nodes_than(instance, FOCUS_ABOVE):
            parts = self._failing_parts(instance)
            if parts is not None:
                return self.explainer.explain_at(parts, span_of, codes_by_kind, context=context)
        return self.explainer.explain(instance, span_of, codes_by_kind, context=context)

    def _failing_parts(self, instance: Any
                       ) -> list[tuple[tuple[str | int, ...], Any, str]] | None:
        """Each failing subtree of ``instance`` with the schema location that refused it, as
        the fast validator reports them; None when a failure is not under a named definition
        (then the whole document is explained, as for a small one)."""
        parts: list[tuple[tuple[str | int, ...], Any, str]] = []
        for error in islice(self._fast.iter_errors(instance), 20):
            location = list(error.schema_path)[:-1]
            if len(location) < 2 or location[0] not in ("$defs", "definitions"):
                return None
            where = tuple(error.instance_path)
            value = instance
            for step in where:
                value = value[step]
            parts.append((where, value, "/".join(str(step) for step in location)))
        return parts or None

    def problems(self, tree: Any, codes_by_kind: dict[str, Code], context: str = "",
                 span_of: SpanOf | None = None) -> list[Diagnostic]:
        """Nothing for a valid tree (the fast path); otherwise each problem, placed by the
        tree's own spans unless ``span_of`` says otherwise."""
        if self.is_valid(tree):
            return []

        def own_span(path: tuple[str | int, ...], key: bool) -> Span:
            found = span_at(tree, path, key=key)
            return found or (tree.span if isinstance(tree, Map) else Span("<document>", 1, 1, 1, 1))

        return self.explain(tree, span_of or own_span, codes_by_kind, context)


def _more_nodes_than(value: Any, limit: int) -> bool:
    """Whether ``value`` holds more than ``limit`` values, stopping as soon as it knows."""
    seen = 0
    stack = [value]
    while stack:
        item = stack.pop()
        seen += 1
        if seen > limit:
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class SchemaSet:
    """The schemas of one run, by path, each read and compiled once."""

    def __init__(self) -> None:
        self._loaded: dict[Path, JsonSchema] = {}

    def load(self, path: Path) -> JsonSchema:
        found = self._loaded.get(path)
        if found is None:
            found = self._loaded[path] = JsonSchema(
                json.loads(path.read_text(encoding="utf-8")), path)
        return found

    def bundled(self, name: str) -> JsonSchema:
        """One of swmlc's own schemas: ``agent.schema.json`` or ``project.schema.json``."""
        return self.load(BUNDLED / name)

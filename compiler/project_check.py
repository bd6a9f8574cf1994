"""swmlc.yaml against its schema (schemas/project.schema.json)."""

from __future__ import annotations

from compiler import codes
from compiler.diagnostics import Diagnostic
from compiler.official_schema import bundled_schema
from compiler.tree import Map, Span, span_at

PROJECT_CODES = {k: codes.PROJECT_CONFIG for k in ("unknown", "type", "missing", "value")}


def check_project_tree(tree: Map) -> list[Diagnostic]:
    schema = bundled_schema("project.schema.json")
    if schema.is_valid(tree):
        return []

    def span_of(path: tuple[str | int, ...], key: bool) -> Span:
        return span_at(tree, path, key=key) or tree.span

    return schema.explain(tree, span_of, PROJECT_CODES, context="swmlc.yaml")

"""swmlc.yaml against its schema (schemas/project.schema.json)."""

from __future__ import annotations

from compiler import codes
from compiler.diagnostics import Diagnostic
from compiler.official_schema import bundled_schema
from compiler.tree import Map

PROJECT_CODES = {k: codes.PROJECT_CONFIG for k in ("unknown", "type", "missing", "value")}


def check_project_tree(tree: Map) -> list[Diagnostic]:
    return bundled_schema("project.schema.json").problems(tree, PROJECT_CODES, "swmlc.yaml")

"""SignalWire's official SWML schema: found, compiled once per run, and used as the judge.

The schema ships inside the ``signalwire-sdk`` package as ``signalwire/schema.json``. It is located
with ``importlib.util.find_spec``, which finds the package without importing it (importing the SDK
costs most of a second).
"""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.signalwire.actions import PLATFORM_ACTIONS
from compiler.source.schema import JsonSchema, SchemaSet

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


def official_schema(schemas: SchemaSet) -> JsonSchema | None:
    """The official schema, compiled in ``schemas`` (None when signalwire-sdk is absent)."""
    path = locate_official_schema()
    return None if path is None else schemas.load(path)


def official_problems(schema: JsonSchema, doc: Any) -> list[Diagnostic]:
    """The official schema's problems with ``doc``, said with what swmlc knows of the platform
    besides the schema: an action the platform runs but the schema does not list
    (``back_to_back_functions``) is said to be one, not taken for a misspelt listed one."""
    problems = schema.problems(doc, OFFICIAL_CODES)
    return [_unlisted_action(d, schema) for d in problems] if problems else problems


def schema_actions(schema: JsonSchema) -> list[str]:
    """The actions the official schema lists (the required key of each branch of its
    ``Action`` union)."""
    defs = schema.schema.get("$defs", {})
    names: list[str] = []
    for branch in defs.get("Action", {}).get("anyOf", []):
        ref = str(branch.get("$ref", "")).rsplit("/", 1)[-1]
        names += [str(n) for n in defs.get(ref, {}).get("required", [])]
    return names


def _unlisted_action(diag: Diagnostic, schema: JsonSchema) -> Diagnostic:
    parts = (diag.pointer or "").split("/")
    name = parts[-1]
    in_action = len(parts) >= 3 and ("action" in (parts[-2], parts[-3]))
    if not (in_action and diag.message.startswith(f"unknown key '{name}'")
            and name in PLATFORM_ACTIONS):
        return diag
    return replace(
        diag, message=f"'{name}' is an action the platform runs, but the official schema "
        "does not list it",
        help="a document that must pass the official schema can only use the actions it "
             "lists: " + ", ".join(schema_actions(schema)))

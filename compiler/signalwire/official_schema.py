"""SignalWire's official SWML schema: found, compiled once per run, and used as the judge.

The schema ships inside the ``signalwire-sdk`` package as ``signalwire/schema.json``. It is located
with ``importlib.util.find_spec``, which finds the package without importing it (importing the SDK
costs most of a second).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from compiler.core import codes
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

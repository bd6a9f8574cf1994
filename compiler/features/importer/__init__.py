"""``swmlc import``: SWML documents (JSON or YAML, one ``ai`` verb) to agent definitions.

The library entry points; ``compiler.cli.import_`` is the thin command over them. See
docs/import.md for what is migrated and why.
"""

from __future__ import annotations

from compiler.features.importer.compare import describe_difference, first_difference
from compiler.features.importer.core import (
    ImportedDocument,
    ImportResult,
    agent_name,
    import_files,
    import_text,
    round_trip_difference,
)
from compiler.features.importer.migrate import Change, Migrated, migrate

__all__ = [
    "Change", "ImportResult", "ImportedDocument", "Migrated", "agent_name",
    "describe_difference", "first_difference", "import_files", "import_text", "migrate",
    "round_trip_difference",
]

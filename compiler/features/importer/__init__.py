"""``swmlc import``: SWML documents (JSON or YAML, one ``ai`` verb each; files or folders) to a
project: agent definitions, the bases and function libraries they share, swmlc.yaml.

The library entry points; ``compiler.cli.import_`` is the thin command over them. See
docs/import.md for what is migrated, how credentials become secrets, how agents are factored,
and the proof that the project builds back to every document.
"""

from __future__ import annotations

from compiler.features.importer.compare import (
    describe_difference,
    first_difference,
    round_trip_difference,
)
from compiler.features.importer.document import Document, analyse
from compiler.features.importer.migrate import Change, Migrated, migrate
from compiler.features.importer.names import agent_name, unique_names
from compiler.features.importer.project import (
    ImportRequest,
    ProjectImport,
    import_entries,
    import_project,
    import_text,
)

__all__ = [
    "Change", "Document", "ImportRequest", "Migrated", "ProjectImport", "agent_name", "analyse",
    "describe_difference", "first_difference", "import_entries", "import_project",
    "import_text", "migrate", "round_trip_difference", "unique_names",
]

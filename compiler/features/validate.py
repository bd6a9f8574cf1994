"""``swmlc validate``: any SWML document, written by hand or by any tool, against the official
schema, with each failure at the file:line:col of the offending value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.limits import Limits
from compiler.core.tree import Map, Seq, Span, Tagged, walk
from compiler.signalwire.official_schema import OFFICIAL_CODES, official_schema
from compiler.source.files import SourceFiles, display_path
from compiler.source.schema import SchemaSet


@dataclass
class ValidateResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    checked: int = 0
    schema_found: bool = True

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def validate_documents(paths: list[str], root: Path) -> ValidateResult:
    """Validate each file; never raises, never prints."""
    files = SourceFiles(root, jail=False)  # the files a user names are theirs to choose
    files.max_bytes = Limits.from_config(None).file_bytes
    result = ValidateResult(texts=files.texts)
    schema = official_schema(SchemaSet())
    result.schema_found = schema is not None
    for raw in paths:
        rel = display_path(Path(raw) if Path(raw).is_absolute() else root / raw, root)
        loaded = files.load(rel)
        result.checked += 1
        result.diagnostics += loaded.diagnostics
        doc = loaded.value
        if loaded.diagnostics:
            continue
        if not isinstance(doc, Map):
            span = doc.span if isinstance(doc, Map | Seq) else Span(rel, 1, 1, 1, 1)
            result.diagnostics.append(codes.NOT_A_MAPPING.at(
                span, "a SWML document is a mapping with 'version' and 'sections'"))
            continue
        # merge tags sit on scalars (Tagged) and on mappings and lists (their .tag)
        tags = [(v.tag, v.span) for _, v in walk(doc)
                if isinstance(v, Tagged) or (isinstance(v, Map | Seq) and v.tag)]
        if tags:
            tag, span = tags[0]
            result.diagnostics.append(codes.UNKNOWN_TAG.at(
                span, f"tag '{tag}' belongs in agent definitions, not SWML"))
            continue
        if schema is not None:
            result.diagnostics += schema.problems(doc, OFFICIAL_CODES)
    if schema is None:
        result.diagnostics.append(codes.SCHEMA_UNAVAILABLE.at(
            Span("", 0, 0, 0, 0), "official SWML schema not found: nothing was validated",
            help="pip install signalwire-sdk"))
    return result


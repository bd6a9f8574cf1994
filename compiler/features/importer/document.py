"""One document, before it joins a project: read with positions, its one ``ai`` verb found, the
documented migrations applied (a warning at each place), and what still stops it found, each
fault at its line in the original.

A fault the official schema finds outside the ``ai`` verb (a verb around it, another section)
does not touch the agent: with ``--keep-going`` the document is kept, those sections as
written, and the definition carries a ``# swmlc: TODO`` at each fault. Everything else that
is wrong (the ``ai`` verb itself, what the source format cannot hold) refuses the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from compiler.core import codes
from compiler.core.diagnostics import Code, Diagnostic, Label, Severity
from compiler.core.tree import Map, Span, parse_pointer, span_at, to_plain
from compiler.features.importer.definition import build_definition, doc_path
from compiler.features.importer.migrate import Change, Migrated, ai_verbs, migrate
from compiler.source.schema import SchemaSet

Path = tuple[str | int, ...]
Status = Literal["imported", "kept", "refused"]

#: Keys the migrations renamed: a place in the migrated document, found in the original.
_ALIASES = {"description": "purpose", "parameters": "argument", "name": "language"}

#: Migrations that remove what the platform never reads or applies (said in their help).
_REMOVALS = frozenset({"unread key removed", "knob-only post_prompt removed",
                       "empty post_prompt removed", "data_map error_keys removed"})


@dataclass
class Fault:
    """Something that stops a document, at ``path`` in the migrated document."""

    path: Path
    diagnostic: Diagnostic
    outside_ai: bool


@dataclass
class Document:
    """One input document and what the import made of it."""

    source: str
    folder: str
    text: str = ""
    tree: Any = None
    ai_index: int | None = None
    migrated: Migrated | None = None
    faults: list[Fault] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    status: Status = "refused"
    #: Set once the project is put together.
    name: str | None = None
    expected: Any = None
    definition: dict[str, Any] | None = None
    compiled: Any = None
    todos: list[str] = field(default_factory=list)
    secret_names: list[str] = field(default_factory=list)
    #: This document's own value for each secret it uses (held in memory, never written).
    secret_values: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def changes(self) -> list[Change]:
        return self.migrated.changes if self.migrated is not None else []

    def span(self, path: Path, key: bool = False) -> Span:
        """The span at ``path`` of the original document, following the migrations' renames."""
        found = span_at(self.tree, path, key=key, aliases=_ALIASES)
        return found if found is not None else Span(self.source, 1, 1, 1, 1)

    def refuse(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)
        self.status = "refused"


def analyse(text: str, source: str, folder: str, schemas: SchemaSet, *,
            keep_going: bool = False) -> Document:
    """Read, find the ai verb, migrate, and judge one document (``source`` is how diagnostics
    name it; ``folder`` the input folder it came from, for the report)."""
    from compiler.source.files import read_source

    doc = Document(source, folder, text)
    loaded = read_source(text, source)
    if loaded.diagnostics:
        doc.diagnostics += loaded.diagnostics
        return doc
    doc.tree = loaded.value
    plain = to_plain(doc.tree)
    index = _the_ai_verb(doc, plain)
    if index is None:
        return doc
    doc.ai_index = index
    doc.migrated = migrate(plain, schemas)
    for change in doc.migrated.changes:
        doc.diagnostics.append(codes.IMPORT_MIGRATED.at(
            doc.span(change.path, change.key), change.message,
            help="see docs/import.md: " + ("the platform does the same without it"
                                            if change.kind in _REMOVALS else
                                            "the platform reads both forms the same way")))
    doc.faults = _faults(doc, doc.migrated, index, schemas)
    stopping = [f for f in doc.faults if not (f.outside_ai and keep_going)]
    if stopping:
        doc.diagnostics += [f.diagnostic for f in doc.faults]
        return doc
    doc.status = "kept" if doc.faults else "imported"
    for fault in doc.faults:
        doc.diagnostics.append(codes.IMPORT_TODO.at(
            fault.diagnostic.span, f"kept as written with a TODO: {fault.diagnostic.message}",
            help="the build refuses it until it is fixed; the ai verb is imported whole",
            notes=fault.diagnostic.notes))
    return doc


def _the_ai_verb(doc: Document, plain: Any) -> int | None:
    """The index of the one ``ai`` verb in ``sections.main``; None (and why) when there is none
    to import, or several."""
    main_ais = [i for section, i, _ in ai_verbs(plain) if section == "main"]
    if not main_ais:
        others = [f"{s}[{i}]" for s, i, _ in ai_verbs(plain)]
        doc.refuse(codes.IMPORT_NO_AI.at(
            doc.span(("sections", "main"), True) if isinstance(doc.tree, Map)
            else Span(doc.source, 1, 1, 1, 1),
            "no ai verb in sections.main: nothing to import as an agent"
            + (f" (there is one in sections.{others[0]})" if others else ""),
            help="swmlc import reads SWML documents whose main section runs the ai verb"))
        return None
    if len(main_ais) > 1:
        first = doc.span(("sections", "main", main_ais[0]))
        doc.refuse(codes.IMPORT_NO_AI.at(
            doc.span(("sections", "main", main_ais[1])),
            f"sections.main runs the ai verb {len(main_ais)} times; an agent definition holds "
            "one", labels=(Label(first, "the first ai verb"),),
            help="split the document, one ai verb per file"))
        return None
    return main_ais[0]


def _explain(schema: Any, instance: Any, doc: Document, code: Code, note: str,
             to_doc: Any = None) -> list[tuple[Path, Diagnostic]]:
    kinds = dict.fromkeys(("unknown", "type", "missing", "value"), code)

    def span_of(path: Path, key: bool) -> Span:
        return doc.span(to_doc(path) if to_doc else path, key)

    out: list[tuple[Path, Diagnostic]] = []
    for d in schema.problems(instance, kinds, "the document", span_of=span_of):
        path = parse_pointer(d.pointer or "")
        out.append((to_doc(path) if to_doc else path, replace(d, notes=(*d.notes, note))))
    return out


def _faults(doc: Document, migrated: Migrated, index: int, schemas: SchemaSet) -> list[Fault]:
    """What the official schema refuses after the migrations, and what the source format cannot
    hold, each at its place in the original document (one fault per place)."""
    from compiler.signalwire.official_schema import official_schema

    ai_path: Path = ("sections", "main", index)
    found: list[Fault] = []
    official = official_schema(schemas)
    if official is not None:
        for path, diag in _explain(official, migrated.doc, doc, codes.IMPORT_REFUSED,
                                   "the official SWML schema refuses this, and no documented "
                                   "migration applies (docs/import.md)"):
            found.append(Fault(path, diag, path[:3] != ai_path))
    built = build_definition(migrated.doc, index)
    source_format = [(p.path, codes.IMPORT_UNSUPPORTED.at(doc.span(p.path, p.key), p.message))
                     for p in built.problems]
    source_format += _explain(
        schemas.bundled("agent.schema.json"), _without_faulty_verbs(built.definition, found),
        doc, codes.IMPORT_UNSUPPORTED,
        "swmlc's source format (docs/source-format.md) has no form for this",
        to_doc=lambda p: doc_path(p, index))
    said = {(f.diagnostic.span.line, f.diagnostic.span.col) for f in found}
    found += [Fault(path, d, False) for path, d in source_format
              if (d.span.line, d.span.col) not in said]
    return sorted(found, key=lambda f: f.diagnostic.sort_key())


def _without_faulty_verbs(definition: dict[str, Any], faults: list[Fault]) -> dict[str, Any]:
    """The definition for the source-format check: the verbs around ``ai`` are SWML as written,
    which the official schema has judged already (a fault there is a kept TODO, not also a
    second fault of the source format)."""
    if not any(f.outside_ai for f in faults) or "swml" not in definition:
        return definition
    return {k: v for k, v in definition.items() if k != "swml"}


def error_count(doc: Document) -> int:
    return sum(d.severity is Severity.ERROR for d in doc.diagnostics)

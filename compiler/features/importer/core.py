"""``swmlc import``: existing SWML documents to agent definitions, checked by compiling them back.

For each document: read it with positions; find its one ``ai`` verb; apply the documented
migrations (warning at each place); refuse what the official schema still refuses, and what the
source format cannot hold (an error at the place, in the original document); build the
definition; move credentials into secrets; write clean YAML; and compile that YAML with the real
pipeline, in memory, to check that it gives back the migrated document (the ``ai`` verb key for
key). Only a definition that round-trips is written. Never prints.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from compiler.core import codes
from compiler.core.bind import bind
from compiler.core.diagnostics import Code, Diagnostic, Label, Severity
from compiler.core.tree import Map, Seq, Span, span_at, to_plain
from compiler.features.importer.compare import Path as TreePath
from compiler.features.importer.compare import describe_difference
from compiler.features.importer.definition import (
    build_definition,
    doc_path,
    escape_templates,
    extract_secrets,
)
from compiler.features.importer.migrate import Migrated, ai_verbs, migrate
from compiler.project.config import ProjectConfig
from compiler.project.load import Project
from compiler.project.options import Options
from compiler.source.files import SourceFiles
from compiler.source.schema import SchemaSet

_ALIASES = {"description": "purpose", "parameters": "argument"}
_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class ImportedDocument:
    """One input document and what became of it."""

    source: str
    output: str | None = None
    text: str | None = None
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    secret_names: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    migrated: Any = None
    compiled: Any = None
    round_trips: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        """Imported with no error at all (a lint error in the agent counts too)."""
        return self.round_trips and not any(
            d.severity is Severity.ERROR for d in self.diagnostics)


@dataclass
class ImportResult:
    documents: list[ImportedDocument] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for doc in self.documents for d in doc.diagnostics]

    @property
    def secret_names(self) -> list[str]:
        return sorted({n for doc in self.documents if doc.written for n in doc.secret_names})


def agent_name(file: str) -> str:
    """The definition's name for an input file: its stem, without a ``.swml`` suffix, made a
    valid agent name (so the file stem is the agent name and no ``agent:`` key is needed).

    Example:
        >>> agent_name("hooks/agent.swml.json"), agent_name("_My Agent.yaml")
        ('agent', 'My-Agent')
    """
    stem = Path(file).stem
    stem = stem[:-5] if stem.lower().endswith(".swml") and len(stem) > 5 else stem
    name = _NAME_CHARS.sub("-", stem).lstrip("._-")[:128]
    return name or "agent"


def _span_in(tree: Any, path: TreePath, key: bool) -> Span:
    """The span at ``path`` of the original document, following the migrations' renames back."""
    found = span_at(tree, path, key=key, aliases=_ALIASES)
    return found if found is not None else Span("<import>", 1, 1, 1, 1)


def _explain(schema: Any, instance: Any, span_of: Any, code: Code, note: str) -> list[Diagnostic]:
    kinds = dict.fromkeys(("unknown", "type", "missing", "value"), code)
    return [replace(d, notes=(*d.notes, note))
            for d in schema.problems(instance, kinds, "the document", span_of=span_of)]


def import_text(text: str, file: str, *, name: str | None = None, output: str | None = None,
                root: Path | None = None, schema_line: str | None = None,
                schemas: SchemaSet | None = None) -> ImportedDocument:
    """Import one document held in ``text`` (``file`` is how diagnostics name it).

    ``output`` is the definition's path as diagnostics should show it; ``root`` the project the
    check-compile runs in; ``schema_line`` the ``$schema`` path for editors, when there is one;
    ``schemas`` the schemas compiled for this run (several documents share them).
    """
    from compiler.source.yaml_reader import read_yaml

    schemas = schemas or SchemaSet()
    result = ImportedDocument(source=file, output=output)
    name = name or agent_name(file)
    loaded = read_yaml(text, file)
    result.diagnostics += loaded.diagnostics
    tree = loaded.value
    if loaded.diagnostics:
        return result
    plain = to_plain(tree)
    index = _the_ai_verb(tree, plain, file)
    if isinstance(index, Diagnostic):
        result.diagnostics.append(index)
        return result
    migrated = migrate(plain, schemas)
    result.migrated = migrated.doc
    for change in migrated.changes:
        result.diagnostics.append(codes.IMPORT_MIGRATED.at(
            _span_in(tree, change.path, change.key), change.message,
            help="see docs/import.md: the platform reads both forms the same way"))
    errors = _refusals(tree, migrated, index, schemas)
    result.diagnostics += errors
    if errors:
        return result
    _write_definition(result, tree, migrated, index, name, schema_line)
    _check_round_trip(result, tree, migrated, name, root, schemas)
    return result


def _the_ai_verb(tree: Any, plain: Any, file: str) -> int | Diagnostic:
    """The index of the one ``ai`` verb in ``sections.main``, or why there is none to import."""
    main_ais = [i for section, i, _ in ai_verbs(plain) if section == "main"]
    if not main_ais:
        others = [f"{s}[{i}]" for s, i, _ in ai_verbs(plain)]
        return codes.IMPORT_NO_AI.at(
            _span_in(tree, ("sections", "main"), True) if isinstance(tree, Map)
            else Span(file, 1, 1, 1, 1),
            "no ai verb in sections.main: nothing to import as an agent"
            + (f" (there is one in sections.{others[0]})" if others else ""),
            help="swmlc import reads SWML documents whose main section runs the ai verb")
    if len(main_ais) > 1:
        first = _span_in(tree, ("sections", "main", main_ais[0]), False)
        return codes.IMPORT_NO_AI.at(
            _span_in(tree, ("sections", "main", main_ais[1]), False),
            f"sections.main runs the ai verb {len(main_ais)} times; an agent definition holds "
            "one", labels=(Label(first, "the first ai verb"),),
            help="split the document, one ai verb per file")
    return main_ais[0]


def _write_definition(result: ImportedDocument, tree: Any, migrated: Migrated, index: int,
                      name: str, schema_line: str | None) -> None:
    """The definition's YAML text, credentials moved into secrets (each said where it was)."""
    from compiler.features.importer.yamlout import dump_yaml

    built = build_definition(migrated.doc, index)
    defn = escape_templates(built.definition)
    defn, secrets, uses = extract_secrets(defn, name)
    result.secrets = secrets
    result.secret_names = sorted({n for use in uses for n in use.names})
    for use in uses:
        said = ("secret placeholders are written as secret() templates" if use.placeholder
                else "credentials in this URL are written as secrets")
        result.diagnostics.append(codes.IMPORT_SECRET.at(
            _span_in(tree, doc_path(use.path, index), False),
            f"{said} {' and '.join(use.names)}",
            help=f"declare them in swmlc.yaml (secrets: [{', '.join(use.names)}]) and set "
                 "their values where the build is deployed"))
    header = ([f"yaml-language-server: $schema={schema_line}"] if schema_line else []) + [
        f"Imported from {Path(result.source).name} by swmlc import."]
    if result.secret_names:
        header.append(f"Secrets (declare them under secrets: in swmlc.yaml): "
                      f"{', '.join(result.secret_names)}")
    result.text = dump_yaml(defn, header)


def _refusals(tree: Any, migrated: Migrated, index: int, schemas: SchemaSet
              ) -> list[Diagnostic]:
    """What the official schema refuses after the migrations, and what the source format cannot
    hold, each at its place in the original document (one diagnostic per place)."""
    from compiler.signalwire.official_schema import official_schema

    out: list[Diagnostic] = []
    official = official_schema(schemas)
    if official is not None:
        out += _explain(official, migrated.doc, lambda p, k: _span_in(tree, p, k),
                        codes.IMPORT_REFUSED,
                        "the official SWML schema refuses this, and no documented migration "
                        "applies (docs/import.md)")
    built = build_definition(migrated.doc, index)
    source_format: list[Diagnostic] = [
        codes.IMPORT_UNSUPPORTED.at(_span_in(tree, p.path, p.key), p.message)
        for p in built.problems]
    source_format += _explain(
        schemas.bundled("agent.schema.json"), built.definition,
        lambda p, k: _span_in(tree, doc_path(p, index), k), codes.IMPORT_UNSUPPORTED,
        "swmlc's source format (docs/source-format.md) has no form for this")
    said = {(d.span.line, d.span.col) for d in out}
    out += [d for d in source_format if (d.span.line, d.span.col) not in said]
    return out


def _check_round_trip(result: ImportedDocument, tree: Any, migrated: Migrated, name: str,
                      root: Path | None, schemas: SchemaSet) -> None:
    """Compile the new definition with the real pipeline, in memory, and compare.

    The static checks (``compiler/lints``) run apart: what they find is about the agent (a step
    naming a function that does not exist), not about the translation, so it is reported as the
    build would report it but does not make the translation wrong.
    """
    import tempfile

    from compiler.lints import rules
    from compiler.pipeline.check import check
    from compiler.pipeline.context import Context, Session, Unit
    from compiler.pipeline.run import run_unit

    assert result.text is not None
    rel = result.output or f"agents/{name}.yaml"
    files = SourceFiles(root or Path(tempfile.gettempdir()))
    files.texts[rel] = result.text
    project = Project(Options(root=files.root, targets=("swml",)),
                      ProjectConfig(secrets=tuple(result.secret_names)), files, schemas)
    ctx = Context(Session(project))
    unit = run_unit(Unit(file=rel, name=name), ctx, keep_going=(check,))
    lint_codes = {rule.CODE.code for rule in rules()}
    said = [d for d in ctx.diagnostics if d.severity is not Severity.INFO]
    note = "found by swmlc's checks in the imported agent (the import itself is exact)"
    result.diagnostics += [replace(d, notes=(*d.notes, note)) for d in said
                           if d.code in lint_codes]
    result.diagnostics += [d for d in said if d.code not in lint_codes]
    if any(d.severity is Severity.ERROR for d in said if d.code not in lint_codes) \
            or "swml" not in unit.documents:
        return
    missing: set[str] = set()  # placeholders that came in as placeholders stay so
    result.compiled = bind(to_plain(unit.documents["swml"]), result.secrets, missing)
    difference = round_trip_difference(result.compiled, migrated.doc)
    if difference is not None:
        result.diagnostics.append(codes.IMPORT_UNSUPPORTED.at(
            tree.span if isinstance(tree, Map | Seq) else Span(result.source, 1, 1, 1, 1),
            f"the imported definition does not compile back to this document ({difference})",
            help="this is a bug in swmlc import; please report it with the document"))
        return
    result.round_trips = True


def round_trip_difference(compiled: Any, original: Any) -> str | None:
    """How a compiled document differs from the (migrated) original, or None.

    The ``ai`` verb and every verb compare strictly (types, values, key order); the order of the
    top-level keys and of the sections does not count, since swmlc writes ``version`` first and
    ``main`` first.
    """
    if not isinstance(compiled, dict) or not isinstance(original, dict):
        return describe_difference(compiled, original)
    if set(compiled) != set(original):
        return f"top-level keys {sorted(compiled)} != {sorted(original)}"
    for key in compiled:
        got, want = compiled[key], original[key]
        if key == "sections" and isinstance(got, dict) and isinstance(want, dict):
            if set(got) != set(want):
                return f"sections {sorted(got)} != {sorted(want)}"
            for section in got:
                found = describe_difference(got[section], want[section])
                if found is not None:
                    return f"in sections.{section} {found}"
        else:
            found = describe_difference(got, want)
            if found is not None:
                return f"in {key} {found}"
    return None


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def import_files(paths: Sequence[str | Path], *, out_dir: Path, root: Path,
                 cwd: Path | None = None, force: bool = False, write: bool = True
                 ) -> ImportResult:
    """Import each file into ``out_dir/<name>.yaml``; write only what round-trips.

    A definition that exists already is left alone unless ``force``; two inputs with the same
    name (``SWML.json`` and ``SWML.yaml``) are an error for the second.
    """
    from compiler.core.fs import write_if_changed

    cwd = cwd or Path.cwd()
    out = ImportResult()
    schemas = SchemaSet()
    schema_file = root / "schemas" / "agent.schema.json"
    taken: dict[str, str] = {}
    for raw in paths:
        path = Path(raw) if Path(raw).is_absolute() else cwd / raw
        shown = _display(path, cwd)
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            out.documents.append(ImportedDocument(shown, diagnostics=[codes.UNREADABLE.at(
                Span(shown, 1, 1, 1, 1), f"cannot read {shown}: {reason}")]))
            continue
        text = text.removeprefix("\ufeff")
        out.texts[shown] = text
        name = agent_name(path.name)
        target = out_dir / f"{name}.yaml"
        target_shown = _display(target, cwd)
        schema_line = None
        if schema_file.is_file():
            import os

            schema_line = Path(os.path.relpath(schema_file, out_dir.resolve())).as_posix()
        doc = import_text(text, shown, name=name, output=target_shown, root=root,
                          schema_line=schema_line, schemas=schemas)
        out.documents.append(doc)
        if doc.text is not None:
            out.texts[target_shown] = doc.text
        if not doc.round_trips:
            continue
        if target_shown in taken:
            doc.diagnostics.append(codes.IMPORT_CONFLICT.at(
                Span(shown, 1, 1, 1, 1),
                f"{taken[target_shown]} is also imported as {target_shown}",
                help="import one of them, or rename one file"))
            continue
        taken[target_shown] = shown
        if target.exists() and not force:
            doc.diagnostics.append(codes.IMPORT_CONFLICT.at(
                Span(shown, 1, 1, 1, 1), f"{target_shown} exists already",
                help="pass --force to overwrite it, or -o DIR to write elsewhere"))
            continue
        if write:
            assert doc.text is not None
            write_if_changed(target, doc.text.encode("utf-8"))
            doc.written = True
    return out



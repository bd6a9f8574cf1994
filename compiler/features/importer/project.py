"""``swmlc import FILE_OR_FOLDER... -o DIR``: SWML documents in, a project a team would keep out.

Each document is read, migrated and judged on its own (:mod:`.document`); then the project is
put together: one agent per document, named after its file; every credential a declared
secret with a name saying what it is (:mod:`.secrets`); the SWAIG server most functions use in
swmlc.yaml, with ``webhook:`` paths (:mod:`.swaig`); a base per family of agents and libraries
for the functions they share (:mod:`.factor`, :mod:`.plan`). The project is then built, in a
scratch folder, by the real build, and each agent's document compared with the one it came
from (:mod:`.prove`): only what comes back the same is written, and nothing at all is written
while a file it would replace exists (unless ``force``). Never prints.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Label, Severity
from compiler.core.tree import Span
from compiler.features.importer.definition import build_definition
from compiler.features.importer.document import Document, analyse
from compiler.features.importer.layout import existing_swaig, new_config, updated_config
from compiler.features.importer.names import unique_names
from compiler.features.importer.plan import Comments, Plan, make_plan
from compiler.features.importer.prove import build_scratch, compare, note_findings
from compiler.features.importer.secrets import (
    Found,
    Secret,
    apply,
    find,
    name_secrets,
    placeholders_in,
    secret_value,
)
from compiler.features.importer.swaig import SwaigBase, choose_base, use_webhooks
from compiler.source.schema import SchemaSet

SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True)
class ImportRequest:
    paths: Sequence[str | Path]
    out: Path
    cwd: Path
    force: bool = False
    keep_going: bool = False
    name: str | None = None
    write: bool = True


@dataclass
class ProjectImport:
    """What an import found, made, proved and (maybe) wrote."""

    root: Path
    documents: list[Document] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    secrets: list[Secret] = field(default_factory=list)
    swaig: SwaigBase | None = None
    plan: Plan | None = None
    notes: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [*self.notes, *(d for doc in self.documents for d in doc.diagnostics)]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def shown(path: Path, cwd: Path) -> str:
    return os.path.relpath(path, cwd) if path.is_absolute() else path.as_posix()


def collect(paths: Sequence[str | Path], cwd: Path, out: Path
            ) -> tuple[list[tuple[Path, str, bool]], list[Diagnostic]]:
    """(file, the input folder it came from, whether a folder's walk found it) for each
    document named, folders walked (sorted, hidden and ``_`` entries and the output folder
    skipped); a path that does not exist is an error."""
    found: list[tuple[Path, str, bool]] = []
    said: list[Diagnostic] = []
    skip = out.resolve()
    for raw in paths:
        path = Path(raw) if Path(raw).is_absolute() else cwd / raw
        if path.is_file():
            found.append((path, shown(path.parent, cwd), False))
        elif path.is_dir():
            for folder, dirs, files in os.walk(path):
                here = Path(folder)
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_"))
                                 and (here / d).resolve() != skip)
                found += [(here / f, shown(path, cwd), True) for f in sorted(files)
                          if f.lower().endswith(SUFFIXES) and not f.startswith((".", "_"))]
        else:
            said.append(codes.PATH_NOT_FOUND.at(Span(str(raw), 0, 0, 0, 0),
                                                f"no such file or folder: {raw}"))
    return found, said


def _read(path: Path, source: str) -> str | Diagnostic:
    """A document's text, read whole: up to the file limit (core/limits.py; raised with
    ``SWMLC_MAX_FILE_BYTES``), and a regular file only."""
    from compiler.core.limits import Limits

    limit = Limits.from_config(None).file_bytes
    try:
        if not path.is_file():
            return codes.UNREADABLE.at(Span(source, 1, 1, 1, 1),
                                       f"{source} is not a regular file: not read")
        if path.stat().st_size > limit:
            return codes.UNREADABLE.at(
                Span(source, 1, 1, 1, 1),
                f"{source} holds {path.stat().st_size} bytes, more than the limit of {limit}: "
                "not read",
                help="a SWML document is a few hundred kilobytes at most; set "
                     "SWMLC_MAX_FILE_BYTES to read a larger one")
        return path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        return codes.UNREADABLE.at(Span(source, 1, 1, 1, 1), f"cannot read {source}: {reason}")


def _looks_like_swml(doc: Document) -> bool:
    """A file in a folder that is no SWML document at all (a docker-compose.yml) is skipped,
    not refused."""
    tree = doc.tree
    return isinstance(tree, dict) and ("sections" in tree or "version" in tree)


def import_project(req: ImportRequest) -> ProjectImport:
    """Import the documents ``req`` names (files, folders) into the project at ``req.out``."""
    inputs, said = collect(req.paths, req.cwd, req.out)
    entries: list[tuple[str, str, str | Diagnostic]] = []
    walked: set[str] = set()
    for path, folder, found_by_walk in inputs:
        source = shown(path, req.cwd)
        entries.append((source, folder, _read(path, source)))
        if found_by_walk:
            walked.add(source)
    result = import_entries(entries, req, walked=frozenset(walked))
    result.notes[:0] = said
    return result


def import_text(text: str, source: str, *, name: str | None = None,
                keep_going: bool = False) -> ProjectImport:
    """Import one document held in ``text`` into a project in memory (nothing is written):
    ``result.documents[0]`` says what became of it, ``result.files`` holds the project."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="swmlc-import-") as tmp:
        req = ImportRequest((), Path(tmp), Path(tmp), keep_going=keep_going, name=name,
                            write=False)
        return import_entries([(source, ".", text)], req)


def import_entries(entries: Sequence[tuple[str, str, str | Diagnostic]], req: ImportRequest,
                   *, walked: frozenset[str] = frozenset()) -> ProjectImport:
    """The import itself, over documents already read: (source, folder, text or why not).
    A file found by walking a folder (``walked``) that is no SWML document is skipped."""
    result = ProjectImport(req.out)
    schemas = SchemaSet()
    for source, folder, text in entries:
        if isinstance(text, Diagnostic):
            doc = Document(source, folder)
            doc.refuse(text)
        else:
            result.texts[source] = text
            doc = analyse(text, source, folder, schemas, keep_going=req.keep_going)
            if source in walked and doc.status == "refused" and doc.tree is not None \
                    and not _looks_like_swml(doc):
                result.skipped.append(source)
                continue
        result.documents.append(doc)
    if req.name is not None and len(result.documents) != 1:
        raise ValueError("--name names the agent of one document")
    config = _existing_config(req.out)
    accepted = [d for d in result.documents if d.status != "refused"]
    _name(accepted, req.name)
    result.secrets, result.swaig = _secrets(accepted, config)
    agents = str(config.get("agents", "agents")) if isinstance(config, dict) else "agents"
    if accepted:
        _prove(result, accepted, agents, config, req)
        _say_todos(result, req)
    if req.write and result.files:
        _write(result, req)
    return result


def _existing_config(out: Path) -> Any:
    from compiler.core.tree import to_plain
    from compiler.source.yaml_reader import read_yaml

    path = out / "swmlc.yaml"
    if not path.is_file():
        return None
    loaded = read_yaml(path.read_text(encoding="utf-8"), "swmlc.yaml")
    return to_plain(loaded.value) if not loaded.diagnostics else {}


def _name(docs: list[Document], name: str | None) -> None:
    names = [name] if name is not None else unique_names([d.source for d in docs])
    for doc, agent in zip(docs, names, strict=True):
        doc.name = agent


def _secrets(docs: list[Document], config: Any) -> tuple[list[Secret], SwaigBase | None]:
    """Name every credential across the documents (the SWAIG server's own, once it is known,
    keeping the short names), write each document's expected output and definition with the
    placeholders, and choose the SWAIG server; one warning per document lists its secrets."""
    found: dict[str, list[Found]] = {str(d.name): find(d.migrated.doc) for d in docs
                                     if d.migrated is not None}
    everything = [f for fs in found.values() for f in fs]
    secrets = name_secrets(everything)
    _placeholders(docs, found, secrets)
    base = _swaig_base(docs, config)
    if base is not None and not (isinstance(config, dict) and "swaig" in config):
        own = {role for role, s in secrets.items() if s.name in (base.user, base.password)}
        renamed = name_secrets(everything, first=own)
        if any(renamed[r].name != secrets[r].name for r in secrets):
            secrets = renamed
            _placeholders(docs, found, secrets)
            base = _swaig_base(docs, config)
    for doc in docs:
        _say_secrets(doc, found[str(doc.name)], secrets)
    if base is not None:
        for doc in docs:
            if doc.definition is not None and doc.status == "imported":
                doc.definition = use_webhooks(doc.definition, base)
    return sorted(secrets.values(), key=lambda s: s.name), base


def _placeholders(docs: list[Document], found: dict[str, list[Found]],
                  secrets: dict[Any, Secret]) -> None:
    for secret in secrets.values():
        secret.values.clear()
        secret.places = 0
    for doc in docs:
        assert doc.migrated is not None and doc.ai_index is not None
        mine = found[str(doc.name)]
        doc.expected = apply(doc.migrated.doc, mine, secrets)
        doc.definition = build_definition(doc.expected, doc.ai_index).definition
        doc.secret_names = sorted({secrets[f.role].name for f in mine}
                                  | placeholders_in(doc.migrated.doc))
        doc.secret_values = {secrets[f.role].name: secret_value(f) for f in mine}


def _say_secrets(doc: Document, mine: list[Found], secrets: dict[Any, Secret]) -> None:
    if not mine:
        return
    spans = list(dict.fromkeys(doc.span(f.path) for f in mine))
    names = list(dict.fromkeys(secrets[f.role].name for f in mine))
    doc.diagnostics.append(codes.IMPORT_SECRET.at(
        spans[0], f"credentials are written as secrets: {', '.join(names)} "
                  f"({len(mine)} credential{'s' if len(mine) != 1 else ''} in {len(spans)} "
                  f"place{'s' if len(spans) != 1 else ''})",
        labels=tuple(Label(s, "and here") for s in spans[1:4]),
        help="swmlc.yaml declares them; set their values where the build is deployed"))


def _swaig_base(docs: list[Document], config: Any) -> SwaigBase | None:
    """The project's own SWAIG server (an existing swmlc.yaml), else the one most functions
    use."""
    if isinstance(config, dict) and "swaig" in config:
        return existing_swaig(config)
    return choose_base([d.definition for d in docs if d.definition is not None])


def _config_text(result: ProjectImport, config: Any, agents: str, count: int) -> str:
    names = [s.name for s in result.secrets]
    extra = sorted({n for d in result.documents for n in d.secret_names} - set(names))
    if config is None:
        return new_config(agents, [*names, *extra], result.swaig, count)
    return updated_config(result.root / "swmlc.yaml", [*names, *extra],
                          result.swaig if "swaig" not in config else None)


def _schema_line(out: Path, agents: str) -> str | None:
    schema = out / "schemas" / "agent.schema.json"
    return os.path.relpath(schema, out / agents).replace(os.sep, "/") if schema.is_file() \
        else None


def _prove(result: ProjectImport, docs: list[Document], agents: str, config: Any,
           req: ImportRequest) -> None:
    """Build the project until every agent comes back the same: findings of the checks in
    the original agents become TODOs, an agent that does not come back through its base is
    written whole, and one that does not come back at all is refused (a bug)."""
    comments: dict[str, Comments] = {}
    standalone: set[str] = set()
    schema_line = _schema_line(req.out, agents)
    for _ in range(6):
        live = [d for d in docs if d.status != "refused"]
        plan = make_plan(live, agents, standalone, comments, schema_line)
        # the scratch build reads a swmlc.yaml of its own: an existing project's may name
        # files, variables and profiles the scratch folder does not hold
        names = sorted({n for d in live for n in d.secret_names})
        built = build_scratch({**plan.files, "swmlc.yaml": new_config(
            agents, names, result.swaig, len(live))})
        plan.files["swmlc.yaml"] = _config_text(result, config, agents, len(live))
        if note_findings(built.findings, plan, comments):
            continue
        # a finding its TODO did not silence is as wrong as an error
        failed = compare(live, plan, built.outputs, built.errors + built.findings)
        if not failed:
            result.plan, result.files = plan, plan.files
            result.notes += [_relocated(d, result, req) for d in built.warnings]
            return
        for doc, why in failed:
            if doc.name in plan.extends:
                standalone.add(str(doc.name))
            else:
                doc.refuse(codes.IMPORT_UNSUPPORTED.at(
                    doc.span(()), f"the imported definition does not compile back to this "
                                  f"document ({why})",
                    help="this is a bug in swmlc import; please report it with the document"))
    raise RuntimeError("swmlc import: the project did not settle")  # pragma: no cover


def _relocated(d: Diagnostic, result: ProjectImport, req: ImportRequest) -> Diagnostic:
    """A diagnostic of the scratch build, at its place in the project as written."""
    from dataclasses import replace

    def moved(span: Span) -> Span:
        if span.file not in result.files:
            return span
        where = shown(req.out / span.file, req.cwd)
        result.texts[where] = result.files[span.file]
        return span._replace(file=where)

    return replace(d, span=moved(d.span),
                   labels=tuple(replace(lb, span=moved(lb.span)) for lb in d.labels))


def _say_todos(result: ProjectImport, req: ImportRequest) -> None:
    """A warning for each TODO left, at its line in the file written; the file's documents
    are marked as having TODOs."""
    if result.plan is None:
        return
    owners = {f: [n] for n, f in result.plan.agent_files.items()}
    owners.update(result.plan.users)
    by_name = {d.name: d for d in result.documents}
    for rel, text in result.files.items():
        shown_path = shown(req.out / rel, req.cwd)
        for number, line in enumerate(text.split("\n"), start=1):
            if "# swmlc: TODO" not in line:
                continue
            message = line.split("# swmlc: TODO", 1)[1].strip()
            result.texts[shown_path] = text
            result.notes.append(codes.IMPORT_TODO.at(
                Span(shown_path, number, 1, number, len(line) + 1), f"TODO left: {message}"))
            for name in owners.get(rel, []):
                doc = by_name.get(name)
                if doc is not None and message not in doc.todos:
                    doc.todos.append(message)


def _write(result: ProjectImport, req: ImportRequest) -> None:
    """Write every file, or none: a file the import would replace is a conflict (unless
    ``force``); swmlc.yaml of an existing project is updated, never replaced."""
    from compiler.core.fs import write_if_changed

    conflicts = [rel for rel in result.files if rel != "swmlc.yaml"
                 and (req.out / rel).exists() and not req.force]
    for rel in conflicts:
        result.notes.append(codes.IMPORT_CONFLICT.at(
            Span(shown(req.out / rel, req.cwd), 1, 1, 1, 1),
            f"{shown(req.out / rel, req.cwd)} exists already: nothing was written",
            help="pass --force to overwrite, or -o DIR to write the project elsewhere"))
    if conflicts:
        return
    for rel, text in sorted(result.files.items()):
        if write_if_changed(req.out / rel, text.encode("utf-8")):
            result.written.append(rel)

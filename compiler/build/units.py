"""Compiling definition files into agent outputs: the loop over units that both the main process
and the workers run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compiler.build.cache import UnitCache
from compiler.build.incremental import FileHashes, ManifestEntry, build_key
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Map, Span
from compiler.pipeline.context import Context, Session, Unit
from compiler.project.fleets import read_instances
from compiler.project.load import Project

if TYPE_CHECKING:  # pragma: no cover - the pipeline (and jinja2) load only when compiling
    from compiler.pipeline.context import Pass


@dataclass
class AgentOutput:
    """One agent's result, small enough to pass between processes."""

    name: str
    file: str
    name_span: Span
    files: dict[str, bytes]
    entry: ManifestEntry | None
    reused: bool = False


def units_for(project: Project, file: str, rows: tuple[int, int] | None = None
              ) -> tuple[list[Unit], list[Diagnostic]]:
    """The units of one definition file: one, or one per row of a fleet (of the rows
    ``[start, stop)`` only, when a shard builds part of the fleet)."""
    base_inputs = tuple(x for x in (project.config.file, *project.vars_files) if x)
    loaded = project.files.load(file)
    tree = loaded.value
    if isinstance(tree, Map) and "instances" in tree:
        found, read, problems = read_instances(project.files, file, tree)
        start, stop = rows or (0, len(found))
        return [Unit(file=file, name=f"{Path(file).stem}-{i}", row=row, row_span=span,
                     inputs=(*base_inputs, *read))
                for i, (row, span) in enumerate(found, start=1) if start < i <= stop], problems
    return [Unit(file=file, name=Path(file).stem, inputs=base_inputs)], []


@dataclass
class Compiled:
    """What compiling some definition files gave."""

    outputs: list[AgentOutput] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    #: Notes said once per build (:mod:`compiler.build.notes`), each with its agent's name.
    notes: list[tuple[str, Diagnostic]] = field(default_factory=list)
    #: Definition files compiled (a worker's chunk, for the progress line).
    files: int = 0

    #: Agents taken from the cache, and agents compiled while a cache was there to look in.
    cache_hits: int = 0
    cache_misses: int = 0


def _to_json(outputs: list[AgentOutput]) -> list[dict[str, Any]]:
    assert all(o.entry is not None for o in outputs)
    return [{"name": o.name, "file": o.file, "span": list(o.name_span),
             "files": {k: v.decode("utf-8") for k, v in o.files.items()},
             "entry": o.entry.to_json() if o.entry else None} for o in outputs]


def _from_json(value: Any) -> list[AgentOutput] | None:
    """Agents as a cache entry holds them; None for anything malformed."""
    if not isinstance(value, list):
        return None
    out: list[AgentOutput] = []
    for item in value:
        if not isinstance(item, dict):
            return None
        entry = ManifestEntry.from_json(item.get("entry"))
        span, files = item.get("span"), item.get("files")
        if entry is None or not (isinstance(span, list) and len(span) == 5
                                 and isinstance(files, dict)
                                 and all(isinstance(v, str) for v in files.values())):
            return None
        out.append(AgentOutput(str(item.get("name")), str(item.get("file")), Span(*span),
                               {k: v.encode("utf-8") for k, v in files.items()}, entry))
    return out


def _cached(cache: UnitCache, hashes: FileHashes, file: str, rows: tuple[int, int] | None
            ) -> list[AgentOutput] | None:
    """The agents of ``file`` from the cache, when every file it read hashes as it did."""
    digest = hashes.of(file)
    if digest is None:
        return None
    key = cache.definition_key(file, digest, rows)
    deps = cache.read(key, "deps")
    if not isinstance(deps, list) or not all(isinstance(d, str) for d in deps):
        return None
    inputs: dict[str, str] = {}
    for dep in deps:
        found = hashes.of(dep)
        if found is None:
            return None
        inputs[dep] = found
    return _from_json(cache.read(UnitCache.unit_key(key, inputs), "unit"))


def _store(cache: UnitCache, hashes: FileHashes, file: str, rows: tuple[int, int] | None,
           outputs: list[AgentOutput]) -> None:
    digest = hashes.of(file)
    entries = [o.entry for o in outputs]
    if digest is None or not outputs or any(e is None for e in entries):
        return
    inputs = {f: h for e in entries if e is not None for f, h in e.inputs.items()}
    key = cache.definition_key(file, digest, rows)
    cache.write(key, "deps", sorted(inputs))
    cache.write(UnitCache.unit_key(key, inputs), "unit", _to_json(outputs))


def compile_files(session: Session, files: list[str], passes: tuple[Pass, ...] | None = None,
                  keep_units: bool = False, rows: dict[str, tuple[int, int]] | None = None,
                  cache: bool = False,
                  starting: Callable[[str, int], None] | None = None) -> Compiled:
    """Compile some definition files. Runs in the main process or in a worker.

    Memory stays flat as the repository grows: once an agent is compiled, its own file's text
    and tree are dropped (shared bases and libraries stay cached), and only its output bytes
    are kept, unless ``keep_units`` asks for the whole units (``explain``, tests).
    """
    project = session.project
    hashes = FileHashes(project)
    out = Compiled()
    store = UnitCache.open(project.options.env, build_key(project),
                           16 * project.config.limits.output_bytes) if cache else None
    for index, file in enumerate(files):
        if starting is not None:
            starting(file, index)
        selected = (rows or {}).get(file)
        if store is not None:
            project.files.read_text(file)  # its bytes, hashed for the key (and kept to compile)
            hit = _cached(store, hashes, file, selected)
            if hit is not None:
                out.outputs += hit
                out.cache_hits += len(hit)
                project.files.forget(file)
                continue
        first, notes = len(out.outputs), len(out.notes)
        count, mine = _compile_file(session, file, selected, hashes, passes, keep_units, out)
        out.diagnostics += mine
        if store is not None:
            out.cache_misses += count
            if not mine and len(out.notes) == notes:  # a hit has nothing to say, so only
                # what compiled silently is kept
                _store(store, hashes, file, selected, out.outputs[first:])
        if not keep_units and not any(d.span.file == file or any(lb.span.file == file
                                                                for lb in d.labels)
                                      for d in mine):
            project.files.forget(file)
    said = [*out.diagnostics, *(d for _, d in out.notes)]
    wanted = {d.span.file for d in said} | {lb.span.file for d in said for lb in d.labels}
    out.texts = {f: t for f, t in project.files.texts.items() if f in wanted}
    return out


def _compile_file(session: Session, file: str, rows: tuple[int, int] | None,
                  hashes: FileHashes, passes: tuple[Pass, ...] | None, keep_units: bool,
                  out: Compiled) -> tuple[int, list[Diagnostic]]:
    """Compile one definition's units into ``out``; (how many, what was said). The pipeline
    (and what it imports) loads with the first definition the cache does not hold."""
    from compiler.build.notes import ONCE_PER_BUILD
    from compiler.build.outputs import render_outputs
    from compiler.pipeline.run import PIPELINE, run_unit

    project = session.project
    units, problems = units_for(project, file, rows)
    mine = list(problems)
    for unit in units:
        ctx = Context(session)
        done = run_unit(unit, ctx, passes or PIPELINE)
        for diag in ctx.diagnostics:  # notes said once per build are gathered apart
            if diag.code in ONCE_PER_BUILD:
                out.notes.append((done.name, diag))
            else:
                mine.append(diag)
        if keep_units:
            out.units.append(done)
        name_span = done.tree.value_span("agent") if done.tree is not None \
            and "agent" in done.tree else Span(done.file, 1, 1, 1, 1)
        if not ctx.failed() and done.documents:
            data, entry = render_outputs(done, project.output_format,
                                         hashes.of_all(done.inputs),
                                         with_source_map=project.options.source_map)
            too_large = _too_large(data, project.config.limits.output_bytes, name_span)
            mine += too_large
            out.outputs.append(AgentOutput(done.name, done.file, name_span,
                                           {} if too_large else data,
                                           None if too_large else entry))
        else:
            out.outputs.append(AgentOutput(done.name, done.file, name_span, {}, None))
    return len(units), mine


def _too_large(files: dict[str, bytes], limit: int, span: Span) -> list[Diagnostic]:
    from compiler.core import codes

    return [codes.OUTPUT_TOO_LARGE.at(
        span, f"{name} would hold {len(data):,} bytes, more than the limit of {limit:,}",
        help="raise limits.output_bytes in swmlc.yaml if a real agent needs it")
        for name, data in sorted(files.items()) if len(data) > limit]

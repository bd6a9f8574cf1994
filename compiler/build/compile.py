"""The build: every agent of a project compiled, and build/ written only when nothing failed.

``compile_project`` reads the project once, decides which agents must be compiled (an agent whose
inputs and outputs still hash as the manifest recorded, built with the same options, is reused:
:mod:`compiler.build.incremental`), compiles them (here, or in worker processes:
:mod:`compiler.build.workers`), then writes build/ under its lock in one swap
(:mod:`compiler.build.build_dir`), or, with ``--bind-secrets``, deploy copies
(:mod:`compiler.build.deploy`). Never prints, never exits.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from compiler.build.cache import CACHE_ENV
from compiler.build.incremental import (
    FileHashes,
    Manifest,
    ManifestEntry,
    build_key,
    learn_inputs,
    read_manifest,
    recorded,
    reusable,
)
from compiler.build.notes import said_once
from compiler.build.units import AgentOutput, compile_files
from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Label, Severity
from compiler.core.stat_cache import StatCache, stat_cache_path
from compiler.core.tree import Span
from compiler.pipeline.context import Session, Unit
from compiler.project.discover import find_definitions
from compiler.project.load import Project, load_project
from compiler.project.options import Options

if TYPE_CHECKING:  # pragma: no cover - the pipeline (and jinja2) load only when compiling
    from compiler.pipeline.context import Pass

#: Below this many definitions a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 24


@dataclass
class CompileResult:
    """Everything a build produced, for the CLI to render and for tests to inspect."""

    agents: list[AgentOutput] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    manifest: Manifest = field(default_factory=Manifest)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    build_dir: Path | None = None
    #: The compiled-unit cache (SWMLC_CACHE_DIR): whether there was one, and how it served.
    cache_on: bool = False
    cache_hits: int = 0
    cache_misses: int = 0
    #: What the answer depended on besides the files read (compiler/fastpath.py's records):
    #: the folders or files discovery searched, and the environment variables swmlc.yaml
    #: declares.
    searched: list[str] = field(default_factory=list)
    env_names: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def reused(self) -> int:
        return sum(a.reused for a in self.agents)

    def sorted_diagnostics(self) -> list[Diagnostic]:
        """Sorted, and each problem once: an error in a base or library shared by many agents
        (a fleet) is one mistake in one place."""
        unique = {(d.code, d.span, d.message): d for d in self.diagnostics}
        return sorted(unique.values(), key=Diagnostic.sort_key)


@contextlib.contextmanager
def tuned_gc(*, restore: bool = True) -> Iterator[None]:
    """A build allocates millions of small acyclic objects (spans, trees) that live until the
    agent is written; the cyclic garbage collector rescans them over and over and took about
    40% of a 1,000-agent build (measured). Inside this block what is loaded is frozen and the
    collector runs far less often; leaving it restores the process as it was.

    ``restore=False`` is for a process that ends with the build (the ``swmlc`` command run by
    its launcher): putting the thresholds back makes the collector's next run a full collection
    over everything the build left alive, 10-25 ms of a one-agent or a one-file build
    (cProfile), whose result the exit throws away."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        if restore:
            gc.set_threshold(*thresholds)
            gc.unfreeze()


def _duplicates(agents: list[AgentOutput]) -> list[Diagnostic]:
    """Two agents writing the same output, or outputs whose names differ only by case (one
    file on macOS and Windows, whose file systems ignore case: a checkout there has one)."""
    seen: dict[str, AgentOutput] = {}
    out: list[Diagnostic] = []
    for agent in sorted(agents, key=lambda a: (a.file, a.name)):
        if not agent.files:  # it failed: its name may be half-rendered, and it writes nothing
            continue
        first = seen.get(agent.name.casefold())
        if first is None:
            seen[agent.name.casefold()] = agent
        elif first.name == agent.name:
            out.append(codes.DUPLICATE_AGENT.at(
                agent.name_span, f"agent '{agent.name}' is also defined by {first.file}",
                labels=(Label(first.name_span, "first defined here"),),
                help="give one of them another 'agent:' name"))
        elif first.file.casefold() != agent.file.casefold():  # else the files say it
            out.append(codes.DUPLICATE_AGENT.at(
                agent.name_span, f"agents '{first.name}' ({first.file}) and '{agent.name}' "
                f"({agent.file}) differ only by case: their outputs are one file on macOS and "
                "Windows", labels=(Label(first.name_span, f"'{first.name}' defined here"),),
                help="rename one of them (names in lower case avoid this)"))
    return out


def _case_collisions(files: list[str]) -> list[Diagnostic]:
    """Definition files whose paths differ only by case: a checkout on macOS or Windows holds
    one of them, and the other agent silently disappears there."""
    seen: dict[str, str] = {}
    out: list[Diagnostic] = []
    for file in sorted(files):
        first = seen.setdefault(file.casefold(), file)
        if first != file:
            out.append(codes.DUPLICATE_AGENT.at(
                Span(file, 1, 1, 1, 1), f"{first} and {file} differ only by case: a checkout "
                "on macOS or Windows keeps only one of them",
                labels=(Label(Span(first, 1, 1, 1, 1), "the other file"),),
                help="rename one of them (file names in lower case avoid this)"))
    return out


# -- the build --------------------------------------------------------------------------------

def _reuse(project: Project, files: list[str], old: Manifest, build_dir: Path,
           hashes: FileHashes, stats: StatCache, result: CompileResult) -> list[str]:
    """Add the agents whose outputs can be reused to ``result``; return the files to compile."""
    if old.build_key != build_key(project):
        return files
    by_source: dict[str, list[tuple[str, ManifestEntry]]] = {}
    for name, entry in old.agents.items():
        by_source.setdefault(entry.source, []).append((name, entry))
    todo: list[str] = []
    for f in files:
        fresh = reusable(by_source[f], hashes, stats, build_dir) if f in by_source else None
        if fresh is None:
            todo.append(f)
            continue
        result.agents += [AgentOutput(name, entry.source, Span(entry.source, 1, 1, 1, 1), data,
                                      entry, reused=True) for name, entry, data in fresh]
    return todo


def _compile(project: Project, todo: list[str], passes: tuple[Pass, ...] | None,
             keep_units: bool, result: CompileResult,
             rows: dict[str, tuple[int, int]] | None = None,
             progress: Progress | None = None) -> None:
    if not todo:
        return  # everything is up to date: the pipeline (and jinja2) are not even imported
    jobs = max(1, project.options.jobs)
    cache = result.cache_on
    count = _Counter(len(todo), progress)
    if jobs > 1 and len(todo) >= PARALLEL_THRESHOLD and passes is None:
        from compiler.build.workers import compile_in_workers

        done = compile_in_workers(project.options, todo, jobs, rows, cache, count.done)
    else:
        done = compile_files(Session(project), todo, passes, keep_units=keep_units, rows=rows,
                             cache=cache, starting=count.starting)
        result.units = done.units
    result.cache_hits, result.cache_misses = done.cache_hits, done.cache_misses
    result.texts.update(done.texts)
    result.agents += done.outputs
    result.diagnostics += done.diagnostics + said_once(done.notes)


#: Told how far a build is: (definition files done, files to compile, the one now compiling).
Progress = Callable[[int, int, str | None], None]


class _Counter:
    """Turns "starting this file" (one process) or "these files are done" (workers) into
    :data:`Progress` calls."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.progress, self.finished = total, progress, 0

    def starting(self, file: str, index: int) -> None:
        self.finished = index
        if self.progress is not None:
            self.progress(index, self.total, file)

    def done(self, files: int) -> None:
        self.finished += files
        if self.progress is not None:
            self.progress(self.finished, self.total, None)


def compile_project(options: Options, *, passes: tuple[Pass, ...] | None = None,
                    write: bool = True, reuse: bool = True,
                    keep_units: bool = True, progress: Progress | None = None) -> CompileResult:
    """Compile every agent the options name; write build/ only if nothing failed.

    ``keep_units=False`` (the CLI's build) keeps only each agent's output bytes, not its trees;
    ``progress`` is told how far the compiling is (the CLI shows it on a terminal).
    """
    started_ns = time.time_ns()  # before anything is read: the stat cache learns from it
    project, diags = load_project(options)
    result = CompileResult(diagnostics=list(diags), texts=project.files.texts)
    if any(d.severity is Severity.ERROR for d in diags):
        return result
    paths = list(options.paths) or [project.config.agents]
    tree = project.config.tree
    site = tree.value_span("agents") if tree is not None and "agents" in tree \
        and not options.paths else None
    files, diags = find_definitions(options.root, paths, site)
    result.searched, result.env_names = paths, tuple(project.config.env)
    result.diagnostics += diags + _case_collisions(files)
    if not files and not diags:
        result.diagnostics.append(codes.NO_AGENTS.at(
            Span(", ".join(paths), 0, 0, 0, 0),
            f"no agent definitions found in {', '.join(paths)}"))
    build_dir = result.build_dir = options.root / project.build_folder
    if write:
        from compiler.build.build_dir import build_lock, check_output_folder, needs_recovery

        check_output_folder(options.root, Path(project.build_folder),
                            agents=project.config.agents)
    if write and not options.bind_secrets and needs_recovery(build_dir):
        with build_lock(build_dir):  # repairs a build killed mid-swap before it is read
            pass
    rows: dict[str, tuple[int, int]] | None = None
    if options.shard is not None:
        from compiler.build.shards import select

        files, rows = select(project, files, options.shard)
    stats = StatCache(stat_cache_path(build_dir))
    # Reused agents are not compiled, so their warnings are not said again (as with make);
    # --strict must see every warning, so it compiles everything. `swmlc lint` never reuses.
    # A shard starts afresh: its folder is one machine's part, merged afterwards.
    reusing = reuse and write and passes is None and not options.bind_secrets \
        and not options.strict and options.shard is None
    previous = read_manifest(build_dir) if reusing else None
    hashes = FileHashes(project, stats)  # one per build: reuse and the record agree
    todo = _reuse(project, files, previous, build_dir, hashes, stats, result) \
        if previous is not None else files
    # The cache serves builds of whole agents only: not the passes a test or `lint` runs, not
    # the trees `explain` keeps, never deploy copies (they hold secret values).
    result.cache_on = passes is None and not keep_units and not options.bind_secrets \
        and bool(options.env.get(CACHE_ENV))
    _compile(project, todo, passes, keep_units, result, rows, progress)
    result.diagnostics += _duplicates(result.agents)
    if not result.ok:
        return result
    _finish(project, build_dir, stats, hashes, result, write=write, started_ns=started_ns,
            previous=previous)
    return result


def _finish(project: Project, build_dir: Path, stats: StatCache, hashes: FileHashes,
            result: CompileResult, *,
            write: bool, started_ns: int, previous: Manifest | None) -> None:
    """The manifest, then build/ (or the deploy copies) written."""
    for agent in result.agents:
        result.files.update(agent.files)
    shard = project.options.shard
    result.manifest = Manifest(build_key(project), {
        a.name: a.entry for a in sorted(result.agents, key=lambda a: a.name)
        if a.entry is not None}, options=recorded(project, hashes),
        shard=f"{shard[0]}/{shard[1]}" if shard else None)
    if project.options.bind_secrets:
        from compiler.build.deploy import bind_secrets

        said, written = bind_secrets(result.files, project, build_dir, write=write)
        result.diagnostics += said
        if written is not None:
            result.written, result.unchanged, result.removed = written
    elif write:
        _write(result, build_dir, project.build_folder.rstrip("/"),
               partial=bool(project.options.paths), previous=previous)
        learn_inputs(stats, project.options.root,
                     [a.entry for a in result.agents if a.entry is not None], started_ns)
        stats.save()


def _write(result: CompileResult, build_dir: Path, shown: str, *, partial: bool,
           previous: Manifest | None = None) -> None:
    """Write build/ under the lock. The manifest on disk is read again inside the lock, unless it
    is still the very file ``previous`` was read from: another build may have finished
    meanwhile, or the lock's recovery may have restored a build."""
    from compiler.build.build_dir import build_lock, commit_build, current_files
    from compiler.build.incremental import MANIFEST
    from compiler.build.outputs import OUTPUT_SUFFIXES

    with build_lock(build_dir):
        old = previous if previous is not None and previous.still_on_disk(build_dir) \
            else read_manifest(build_dir)
        agents = dict(result.manifest.agents)
        if partial:  # a build of some paths keeps the other agents' entries
            built = {a.file for a in result.agents}
            for name, entry in old.agents.items():
                if name not in agents and entry.source not in built:
                    agents[name] = entry
        result.manifest.agents = dict(sorted(agents.items()))
        keep = {out for e in agents.values() for out in e.outputs}
        stale = {out for e in old.agents.values() for out in e.outputs if out not in keep}
        on_disk = current_files(build_dir)
        if not partial:  # a build removes only what it wrote: the others are said, left alone
            result.diagnostics += [codes.UNKNOWN_OUTPUT.at(
                Span(f"{shown}/{name}", 0, 0, 0, 0),
                f"{shown}/{name} is not in the manifest: left alone",
                help="swmlc removes only files it wrote; delete it if it is stale")
                for name in sorted(on_disk) if name.endswith(OUTPUT_SUFFIXES)
                and name not in keep and name not in stale]
        files = dict(result.files)
        files[MANIFEST] = result.manifest.to_bytes()
        same = {name for a in result.agents if a.reused for name in a.files}  # just read back
        result.written, result.unchanged, result.removed = commit_build(
            build_dir, files, stale, existing=on_disk, known_same=same)

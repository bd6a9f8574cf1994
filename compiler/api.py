"""The library entry points. Never prints, never exits.

``compile_project`` runs the pipeline over every agent, then writes build/ only when nothing
failed. An agent whose inputs (every file it read) hash as the manifest recorded, built by the
same compiler with the same options, is not compiled again: its outputs are reused.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compiler import __version__, codes
from compiler.context import Context, Project, Unit
from compiler.diagnostics import Diagnostic, Label, Severity
from compiler.discover import find_definitions
from compiler.emit import MANIFEST, manifest_bytes, read_manifest, render_outputs, sha256
from compiler.errors import SwmlcError
from compiler.fleets import read_instances
from compiler.options import Options
from compiler.project import CONFIG_NAME, ProjectConfig, config_from_tree
from compiler.sources import SourceFiles
from compiler.stat_cache import StatCache
from compiler.tree import Map, Span

if TYPE_CHECKING:  # pragma: no cover - the pipeline (and jinja2) load only when compiling
    from compiler.pipeline import Pass

#: Below this many definitions a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 24


@dataclass
class AgentOutput:
    """One agent's result, small enough to pass between processes."""

    name: str
    file: str
    name_span: Span
    files: dict[str, bytes]
    entry: dict[str, Any]
    reused: bool = False


@dataclass
class CompileResult:
    """Everything a build produced, for the CLI to render and for tests to inspect."""

    agents: list[AgentOutput] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    build_dir: Path | None = None

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


# -- the project ------------------------------------------------------------------------------

def load_project(options: Options) -> tuple[Project, list[Diagnostic]]:
    """Read swmlc.yaml (if any) and set up the shared state of a build."""
    files = SourceFiles(options.root)
    diags: list[Diagnostic] = []
    tree: Map | None = None
    file: str | None = None
    if files.exists(CONFIG_NAME):
        file = CONFIG_NAME
        loaded = files.load(CONFIG_NAME)
        diags += loaded.diagnostics
        if isinstance(loaded.value, Map):
            tree = loaded.value
        elif loaded.value is not None:
            diags.append(codes.PROJECT_CONFIG.at(Span(CONFIG_NAME, 1, 1, 1, 1),
                                                 "swmlc.yaml must be a mapping"))
    from compiler.project_check import check_project_tree

    if tree is not None:
        diags += check_project_tree(tree)
    if tree is not None and not diags:
        tree = _render_config(tree, options, files, diags)
    config, more = config_from_tree(tree, file) if not diags else (ProjectConfig(file=file), [])
    return Project(options, config, files), diags + more


def _render_config(tree: Map, options: Options, files: SourceFiles,
                   diags: list[Diagnostic]) -> Map:
    """Render swmlc.yaml's strings (not its vars, which each agent renders in its own scope):
    ``base_url: "{{ env('TOOLS_URL') }}"``, ``auth_password: "{{ secret('SWAIG_PASSWORD') }}"``."""
    from compiler.templating import (
        RenderScope,
        Templates,
        has_template,
        referenced_names,
        render_value,
        resolve_values,
    )
    from compiler.tree import walk

    env_names = tuple(v for v in tree.get("env") or () if isinstance(v, str))
    secret_names = tuple(v for v in tree.get("secrets") or () if isinstance(v, str))
    scope = RenderScope(options.root, env_names, secret_names, options.env, files.read_text)
    body = Map(tree.span)
    for key in tree:
        if key != "vars":
            body.copy_entry(tree, key)
    templates = Templates()
    project_vars = tree.get("vars")
    raw = {k: (v, project_vars.value_span(k), project_vars.key_span(k))
           for k, v in project_vars.items()} if isinstance(project_vars, Map) else {}
    # Only the variables the config's own strings use (and what they use): a project variable
    # may name one that only agents define, rendered in each agent's scope.
    needed: set[str] = set()
    todo = [v for _, v in walk(body) if isinstance(v, str) and has_template(v)]
    while todo:
        for name in referenced_names(todo.pop(), templates):
            if name in raw and name not in needed:
                needed.add(name)
                todo += [v for _, v in walk(raw[name][0]) if isinstance(v, str)
                         and has_template(v)]
    resolved = resolve_values({k: raw[k] for k in raw if k in needed}, scope, templates,
                              diags.append)
    # the others stay in scope unrendered (no config string uses them) for did-you-mean
    variables = {**{k: v for k, (v, _, _) in raw.items()}, **resolved}
    rendered = render_value(body, tree.span, variables, scope, templates, diags.append)
    assert isinstance(rendered, Map)
    if "vars" in tree:
        rendered.copy_entry(tree, "vars")
    return rendered


def build_key(project: Project) -> str:
    """What, besides the input files, decides the outputs: if it changes, nothing is reused."""
    opts, cfg = project.options, project.config
    key = {
        "compiler": __version__, "targets": list(opts.targets or cfg.targets),
        "format": opts.output_format, "source_map": opts.source_map,
        "vars": [[k, repr(v)] for k, v in opts.cli_vars],
        "env": {name: opts.env.get(name) for name in cfg.env},
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()


# -- units ------------------------------------------------------------------------------------

def units_for(project: Project, file: str) -> tuple[list[Unit], list[Diagnostic]]:
    """The units of one definition file: one, or one per row of a fleet."""
    base_inputs = tuple(x for x in (project.config.file, *project.options.vars_files) if x)
    loaded = project.files.load(file)
    tree = loaded.value
    if isinstance(tree, Map) and "instances" in tree:
        rows, read, problems = read_instances(project.files, file, tree)
        return [Unit(file=file, name=f"{Path(file).stem}-{i}", row=row, row_span=span,
                     inputs=(*base_inputs, *read))
                for i, (row, span) in enumerate(rows, start=1)], problems
    return [Unit(file=file, name=Path(file).stem, inputs=base_inputs)], []


def compile_files(project: Project, files: list[str], passes: tuple[Pass, ...] | None = None,
                  keep_units: bool = False) -> tuple[list[AgentOutput], list[Unit],
                                                    list[Diagnostic], dict[str, str]]:
    """Compile some definition files. Runs in the main process or in a worker.

    Memory stays flat as the repository grows: once an agent is compiled, its own file's text
    and tree are dropped (shared bases and libraries stay cached), and only its output bytes
    are kept, unless ``keep_units`` asks for the whole units (``explain``, tests).
    """
    from compiler.pipeline import PIPELINE, run_unit

    passes = passes or PIPELINE
    outputs: list[AgentOutput] = []
    units_out: list[Unit] = []
    diags: list[Diagnostic] = []
    for file in files:
        units, problems = units_for(project, file)
        mine = list(problems)
        for unit in units:
            ctx = Context(project)
            done = run_unit(unit, ctx, passes)
            mine += ctx.diagnostics
            if keep_units:
                units_out.append(done)
            name_span = done.tree.value_span("agent") if done.tree is not None \
                and "agent" in done.tree else Span(done.file, 1, 1, 1, 1)
            if not ctx.failed() and done.documents:
                data, entry = render_outputs(done, project.options.output_format,
                                             _hashes(project, done.inputs),
                                             with_source_map=project.options.source_map)
                outputs.append(AgentOutput(done.name, done.file, name_span, data, entry))
            else:
                outputs.append(AgentOutput(done.name, done.file, name_span, {}, {}))
        diags += mine
        if not keep_units and not any(d.span.file == file or any(lb.span.file == file
                                                                for lb in d.labels)
                                      for d in mine):
            project.files.forget(file)
    wanted = {d.span.file for d in diags} | {lb.span.file for d in diags for lb in d.labels}
    texts = {f: t for f, t in project.files.texts.items() if f in wanted}
    return outputs, units_out, diags, texts


def _file_sha(project: Project, rel: str, stats: StatCache | None = None) -> str | None:
    """sha256 of a project file's bytes as on disk (a BOM included), once per build: from the
    bytes already read when there are some, else through the stat cache, else from disk."""
    cache: dict[str, str | None] = project.cache.setdefault("hashes", {})
    if rel not in cache:
        data = project.files.raw.get(rel)
        if data is not None:
            cache[rel] = sha256(data)
        elif stats is not None:
            cache[rel] = stats.sha256(os.path.join(project.options.root, rel))  # no Path: hot
        else:
            try:
                cache[rel] = sha256(project.files.abspath(rel).read_bytes())
            except OSError:
                cache[rel] = None
    return cache[rel]


def _hashes(project: Project, files: tuple[str, ...]) -> dict[str, str]:
    return {f: digest for f in files if (digest := _file_sha(project, f)) is not None}


def _stat_cache(project: Project, build_dir: Path) -> StatCache:
    found = project.cache.get("stat-cache")
    if not isinstance(found, StatCache):
        found = project.cache["stat-cache"] = StatCache(
            build_dir.parent / f".swmlc-{build_dir.name}.stat")
    return found


def _fresh(project: Project, entries: list[tuple[str, dict[str, Any]]], build_dir: Path
           ) -> list[AgentOutput] | None:
    """The reusable outputs of one definition's agents, or None if anything changed."""
    reused: list[AgentOutput] = []
    stats = _stat_cache(project, build_dir)
    build = str(build_dir)
    for name, entry in entries:
        for f, digest in entry.get("inputs", {}).items():
            if _file_sha(project, f, stats) != digest:
                return None
        data: dict[str, bytes] = {}
        for out, digest in entry.get("outputs", {}).items():
            path = os.path.join(build, out)
            if stats.sha256(path) != digest:
                return None
            try:
                with open(path, "rb") as fh:
                    data[out] = fh.read()
            except OSError:
                return None
        reused.append(AgentOutput(name, entry.get("source", ""), Span(entry.get("source", ""),
                                  1, 1, 1, 1), data, entry, reused=True))
    return reused


#: Definition files per task sent to a worker: small enough that results stream back (a worker
#: never holds more than one task's outputs), large enough that neighbouring files, which share
#: bases, are compiled by the same worker and its cache.
CHUNK = 32
_worker_project: Project | None = None


def _worker_init(options: Options) -> None:
    global _worker_project  # one project (and file cache) per worker process, for all its tasks
    _worker_project, _ = load_project(options)


def _worker(files: list[str]) -> tuple[list[AgentOutput], list[Diagnostic], dict[str, str]]:
    assert _worker_project is not None
    outputs, _units, diags, texts = compile_files(_worker_project, files)
    return outputs, diags, texts


def _compile_parallel(project: Project, files: list[str], jobs: int
                      ) -> tuple[list[AgentOutput], list[Diagnostic], dict[str, str]]:
    import multiprocessing

    chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    outputs: list[AgentOutput] = []
    diags: list[Diagnostic] = []
    texts: dict[str, str] = {}
    with ctx.Pool(jobs, initializer=_worker_init, initargs=(project.options,)) as pool:
        for o, d, t in pool.imap_unordered(_worker, chunks):
            outputs += o
            diags += d
            texts.update(t)
    return outputs, diags, texts


def _duplicates(agents: list[AgentOutput]) -> list[Diagnostic]:
    seen: dict[str, AgentOutput] = {}
    out: list[Diagnostic] = []
    for agent in sorted(agents, key=lambda a: (a.file, a.name)):
        if not agent.files:  # it failed: its name may be half-rendered, and it writes nothing
            continue
        if agent.name in seen:
            first = seen[agent.name]
            out.append(codes.DUPLICATE_AGENT.at(
                agent.name_span, f"agent '{agent.name}' is also defined by {first.file}",
                labels=(Label(first.name_span, "first defined here"),),
                help="give one of them another 'agent:' name"))
        else:
            seen[agent.name] = agent
    return out


def compile_project(options: Options, *, passes: tuple[Pass, ...] | None = None,
                    write: bool = True, reuse: bool = True,
                    keep_units: bool = True) -> CompileResult:
    """Compile every agent the options name; write build/ only if nothing failed.

    ``keep_units=False`` (the CLI's build) keeps only each agent's output bytes, not its trees.
    """
    project, diags = load_project(options)
    result = CompileResult(diagnostics=list(diags), texts=project.files.texts)
    if any(d.severity is Severity.ERROR for d in diags):
        return result
    paths = list(options.paths) or [project.config.agents]
    files, diags = find_definitions(options.root, paths)
    result.diagnostics += diags
    if not files and not diags:
        result.diagnostics.append(codes.NO_AGENTS.at(
            Span(", ".join(paths), 0, 0, 0, 0),
            f"no agent definitions found in {', '.join(paths)}"))
    build_dir = options.root / (options.out_dir or project.config.build)
    result.build_dir = build_dir
    if write and not options.bind_secrets:
        from compiler.build_dir import build_lock, needs_recovery

        if needs_recovery(build_dir):
            with build_lock(build_dir):  # repairs a build killed mid-swap before it is read
                pass
    old = read_manifest(build_dir)
    old_agents: dict[str, Any] = {}
    if isinstance(old.get("agents"), dict):
        old_agents = old["agents"]  # type: ignore[assignment]
    key = build_key(project)
    todo: list[str] = []
    # Reused agents are not compiled, so their warnings are not said again (as with make);
    # --strict must see every warning, so it compiles everything. `swmlc lint` never reuses.
    if reuse and write and old.get("build_key") == key and passes is None \
            and not options.bind_secrets and not options.strict:
        by_source: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for name, entry in old_agents.items():
            if isinstance(entry, dict):
                by_source.setdefault(entry.get("source", ""), []).append((name, entry))
        for f in files:
            fresh = _fresh(project, by_source[f], build_dir) if f in by_source else None
            if fresh is None:
                todo.append(f)
            else:
                result.agents += fresh
    else:
        todo = files
    jobs = max(1, options.jobs)
    if not todo:
        pass  # everything is up to date: the pipeline (and jinja2) are not even imported
    elif jobs > 1 and len(todo) >= PARALLEL_THRESHOLD and passes is None:
        outs, diags, texts = _compile_parallel(project, todo, jobs)
        result.texts.update(texts)
        result.agents += outs
        result.diagnostics += diags
    else:
        outs, units, diags, _ = compile_files(project, todo, passes, keep_units=keep_units)
        result.units = units
        result.agents += outs
        result.diagnostics += diags
    result.diagnostics += _duplicates(result.agents)
    if not result.ok:
        return result
    for agent in result.agents:
        result.files.update(agent.files)
    agents = {a.name: a.entry for a in sorted(result.agents, key=lambda a: a.name)}
    result.manifest = {"compiler": f"swmlc {__version__}", "build_key": key,
                       "agents": dict(sorted(agents.items()))}
    if options.bind_secrets:
        _bind_secrets(result, project, build_dir, write=write)
    elif write:
        _write(result, build_dir, partial=bool(options.paths))
        if "stat-cache" in project.cache:
            project.cache["stat-cache"].save()
    return result


#: Names of the files a build writes for an agent; any other file in build/ is left alone.
OUTPUT_SUFFIXES = (".swml.json", ".swml.yaml", ".relay.json", ".map.json")


def _write(result: CompileResult, build_dir: Path, *, partial: bool) -> None:
    """Write build/ under the lock. The manifest on disk is read again inside the lock: another
    build may have finished meanwhile, or the lock's recovery may have restored a build."""
    from compiler.build_dir import build_lock, commit_build, current_files

    with build_lock(build_dir):
        old = read_manifest(build_dir)
        old_agents = old.get("agents") if isinstance(old.get("agents"), dict) else {}
        assert isinstance(old_agents, dict)
        agents = dict(result.manifest["agents"])
        if partial:  # a build of some paths keeps the other agents' entries
            built = {a.file for a in result.agents}
            for name, entry in old_agents.items():
                if name not in agents and isinstance(entry, dict) \
                        and entry.get("source") not in built:
                    agents[name] = entry
        result.manifest["agents"] = dict(sorted(agents.items()))
        keep = {out for e in agents.values() for out in e.get("outputs", {})}
        stale = {out for e in old_agents.values() if isinstance(e, dict)
                 for out in e.get("outputs", {}) if out not in keep}
        on_disk = current_files(build_dir)
        if not partial:  # any output of no agent goes, manifest or not (a lost manifest, a stray)
            stale |= {name for name in on_disk
                      if name.endswith(OUTPUT_SUFFIXES) and name not in keep}
        files = dict(result.files)
        files[MANIFEST] = manifest_bytes(result.manifest)
        same = {name for a in result.agents if a.reused for name in a.files}  # just read back
        result.written, result.unchanged, result.removed = commit_build(
            build_dir, files, stale, existing=on_disk, known_same=same)


def _bind_secrets(result: CompileResult, project: Project, out_dir: Path, *, write: bool) -> None:
    """Deploy copies with secret values from the environment, written only outside build/."""
    from compiler.build_dir import build_lock, commit_build
    from compiler.secrets import bind
    from compiler.serialize import to_json, to_yaml

    build = (project.options.root / project.config.build).resolve()
    out = out_dir.resolve()
    if project.options.out_dir is None or out == build or build in out.parents:
        raise SwmlcError("--bind-secrets writes deploy copies: give -o DIR outside "
                         f"{project.config.build}/ (secrets never reach {project.config.build}/)")
    missing: set[str] = set()
    bound: dict[str, bytes] = {}
    for name, data in result.files.items():
        doc = bind(json.loads(data) if name.endswith(".json") else _yaml(data),
                   project.options.env, missing)
        bound[name] = to_json(doc) if name.endswith(".json") else to_yaml(doc)
    tree = project.config.tree
    for secret in sorted(missing):
        span = Span(CONFIG_NAME, 1, 1, 1, 1)
        if tree is not None and isinstance(tree.get("secrets"), list):
            items = tree["secrets"]
            span = items.item_span(items.index(secret)) if secret in items else items.span
        result.diagnostics.append(codes.SECRET_UNSET.at(
            span, f"secret {secret} is not set in the environment",
            help=f"export {secret}=... before swmlc build --bind-secrets"))
    if missing or not write:
        return
    with build_lock(out_dir):
        result.written, result.unchanged, result.removed = commit_build(out_dir, bound, set())


def _yaml(data: bytes) -> object:
    import yaml

    return yaml.safe_load(data)

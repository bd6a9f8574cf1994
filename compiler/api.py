"""The library entry points: ``compile_project`` and ``validate_documents``. Never prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compiler import codes
from compiler.context import Context, Project, Unit
from compiler.diagnostics import Diagnostic, Label, Severity
from compiler.discover import find_definitions
from compiler.fleets import read_instances
from compiler.emit import (
    MANIFEST, BuildOutput, manifest_bytes, read_manifest, render_outputs, write_file,
)
from compiler.errors import SwmlcError
from compiler.options import Options
from compiler.pipeline import PIPELINE, Pass, run_unit
from compiler.project import CONFIG_NAME, ProjectConfig, config_from_tree
from compiler.sources import SourceFiles
from compiler.tree import Map, Span


@dataclass
class CompileResult:
    """Everything a build produced, for the CLI to render and for tests to inspect."""

    units: list[Unit] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    output: BuildOutput = field(default_factory=BuildOutput)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    build_dir: Path | None = None

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def sorted_diagnostics(self) -> list[Diagnostic]:
        """Sorted, and each problem once: an error in a base or library shared by many agents
        (a fleet) is one mistake in one place."""
        unique = {(d.code, d.span, d.message): d for d in self.diagnostics}
        return sorted(unique.values(), key=Diagnostic.sort_key)


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
    from compiler.templating import RenderScope, Templates, render_value

    env_names = tuple(v for v in tree.get("env") or () if isinstance(v, str))
    secret_names = tuple(v for v in tree.get("secrets") or () if isinstance(v, str))
    scope = RenderScope(options.root, env_names, secret_names, options.env, files.read_text)
    body = Map(tree.span)
    for key in tree:
        if key != "vars":
            body.copy_entry(tree, key)
    variables = {k: v for k, v in (tree.get("vars") or {}).items()}
    rendered = render_value(body, tree.span, variables, scope, Templates(), diags.append)
    assert isinstance(rendered, Map)
    if "vars" in tree:
        rendered.copy_entry(tree, "vars")
    return rendered


def discover_units(project: Project) -> tuple[list[Unit], list[Diagnostic]]:
    opts = project.options
    paths = list(opts.paths) or [project.config.agents]
    files, diags = find_definitions(opts.root, paths)
    if not files and not diags:
        where = ", ".join(paths)
        diags.append(codes.NO_AGENTS.at(Span(where, 0, 0, 0, 0),
                                        f"no agent definitions found in {where}"))
    units: list[Unit] = []
    config_inputs = (project.config.file,) if project.config.file else ()
    for f in files:
        loaded = project.files.load(f)
        tree = loaded.value
        if isinstance(tree, Map) and "instances" in tree:
            rows, read, problems = read_instances(project.files, f, tree)
            diags += problems
            for i, (row, span) in enumerate(rows, start=1):
                units.append(Unit(file=f, name=f"{Path(f).stem}-{i}", row=row, row_span=span,
                                  inputs=(*config_inputs, *read)))
        else:
            units.append(Unit(file=f, name=Path(f).stem, inputs=config_inputs))
    return units, diags


def _duplicates(units: list[Unit]) -> list[Diagnostic]:
    seen: dict[str, Unit] = {}
    out: list[Diagnostic] = []
    for unit in units:
        if unit.name in seen:
            first = seen[unit.name]
            span = _name_span(unit)
            out.append(codes.DUPLICATE_AGENT.at(
                span, f"agent '{unit.name}' is also defined by {first.file}",
                labels=(Label(_name_span(first), "first defined here"),),
                help="give one of them another 'agent:' name"))
        else:
            seen[unit.name] = unit
    return out


def _name_span(unit: Unit) -> Span:
    if unit.tree is not None and "agent" in unit.tree:
        return unit.tree.value_span("agent")
    return Span(unit.file, 1, 1, 1, 1)


def compile_project(
    options: Options, *, passes: tuple[Pass, ...] = PIPELINE, write: bool = True
) -> CompileResult:
    """Compile every agent the options name; write build/ only if nothing failed."""
    project, diags = load_project(options)
    result = CompileResult(diagnostics=list(diags), texts=project.files.texts)
    if any(d.severity is Severity.ERROR for d in diags):
        return result
    units, diags = discover_units(project)
    result.diagnostics += diags
    for unit in units:
        ctx = Context(project)
        done = run_unit(unit, ctx, passes)
        result.units.append(done)
        result.diagnostics += ctx.diagnostics
    result.diagnostics += _duplicates(result.units)
    if not result.ok:
        return result
    input_bytes = {f: t.encode("utf-8") for f, t in project.files.texts.items()}
    result.output = render_outputs(result.units, options.output_format, input_bytes)
    build_dir = options.root / (options.out_dir or project.config.build)
    result.build_dir = build_dir
    if options.bind_secrets:
        _bind_secrets(result, project, build_dir, write=write)
    elif write:
        _write(result, build_dir, partial=bool(options.paths))
    return result


def _bind_secrets(result: CompileResult, project: Project, out_dir: Path, *, write: bool) -> None:
    """Deploy copies with secret values from the environment, written only outside build/."""
    import json

    from compiler.secrets import bind
    from compiler.serialize import to_json, to_yaml

    build = (project.options.root / project.config.build).resolve()
    if project.options.out_dir is None or out_dir.resolve() == build:
        raise SwmlcError("--bind-secrets writes deploy copies: give -o DIR outside "
                         f"{project.config.build}/ (secrets never reach {project.config.build}/)")
    missing: set[str] = set()
    bound: dict[str, bytes] = {}
    for name, data in result.output.files.items():
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
    for name, data in sorted(bound.items()):
        (result.written if write_file(out_dir / name, data) else result.unchanged).append(name)


def _yaml(data: bytes) -> object:
    import yaml

    return yaml.safe_load(data)


def _write(result: CompileResult, build_dir: Path, *, partial: bool) -> None:
    old = read_manifest(build_dir)
    old_agents = old.get("agents") if isinstance(old.get("agents"), dict) else {}
    assert isinstance(old_agents, dict)
    new_agents = dict(result.output.manifest["agents"])  # type: ignore[call-overload]
    if partial:  # a build of some paths keeps the other agents' entries
        built_sources = {u.file for u in result.units}
        for name, entry in old_agents.items():
            if name not in new_agents and isinstance(entry, dict) \
                    and entry.get("source") not in built_sources:
                new_agents[name] = entry
    manifest = dict(result.output.manifest, agents=dict(sorted(new_agents.items())))
    keep = {out for e in new_agents.values() if isinstance(e, dict)
            for out in e.get("outputs", {})}
    for name, data in sorted(result.output.files.items()):
        (result.written if write_file(build_dir / name, data) else result.unchanged).append(name)
    for entry in old_agents.values():
        for out in (entry.get("outputs", {}) if isinstance(entry, dict) else {}):
            if out not in keep and (build_dir / out).is_file():
                (build_dir / out).unlink()
                result.removed.append(out)
    if write_file(build_dir / MANIFEST, manifest_bytes(manifest)):
        result.written.append(MANIFEST)

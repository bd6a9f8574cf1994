"""The library entry points: ``compile_project`` and ``validate_documents``. Never prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compiler import codes
from compiler.context import Context, Project, Unit
from compiler.diagnostics import Diagnostic, Label, Severity
from compiler.discover import find_definitions
from compiler.emit import (
    MANIFEST, BuildOutput, manifest_bytes, read_manifest, render_outputs, write_file,
)
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
        return sorted(self.diagnostics, key=Diagnostic.sort_key)


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
    config, more = config_from_tree(tree, file) if not diags else (ProjectConfig(file=file), [])
    return Project(options, config, files), diags + more


def discover_units(project: Project) -> tuple[list[Unit], list[Diagnostic]]:
    opts = project.options
    paths = list(opts.paths) or [project.config.agents]
    files, diags = find_definitions(opts.root, paths)
    if not files and not diags:
        where = ", ".join(paths)
        diags.append(codes.NO_AGENTS.at(Span(where, 0, 0, 0, 0),
                                        f"no agent definitions found in {where}"))
    return [Unit(file=f, name=Path(f).stem) for f in files], diags


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
    if write:
        _write(result, build_dir, partial=bool(options.paths))
    return result


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

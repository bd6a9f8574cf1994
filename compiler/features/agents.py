"""The agents ``swmlc exec``, ``test`` and ``graph`` work on: compiled in memory from the
project's definitions (so a run always sees the sources as they are, never a stale build/), or
read from a SWML document a user names (``build/weather.swml.json``, any document from
elsewhere). Either way each value keeps its file:line:col, so a report can point at the YAML
behind a branch no test reaches.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.suggest import did_you_mean
from compiler.core.tree import Span, span_at
from compiler.project.config import ProjectConfig
from compiler.project.options import Options
from compiler.signalwire.document import find_ai, functions_of
from compiler.source.files import SourceFiles, display_path

__all__ = ["DOCUMENT_SUFFIXES", "AgentDoc", "Agents", "load_agents"]

DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True)
class AgentDoc:
    """One compiled agent: its name, the file it came from, the SWML document and its ai."""

    name: str
    file: str
    document: Any
    ai: Any

    @property
    def functions(self) -> list[Any]:
        return functions_of(self.ai)

    def function(self, name: str) -> Any | None:
        return next((f for f in self.functions
                     if isinstance(f, dict) and f.get("function") == name), None)

    def span(self, *path: str | int) -> Span:
        """The file:line:col of a value of the ai object: the deepest part of ``path`` the
        document holds, or the agent's file when it has no positions."""
        return span_at(self.ai, path) or Span(self.file, 1, 1, 1, 1)


@dataclass
class Agents:
    """What loading gave: the agents by name, what was said, and the texts for rendering."""

    by_name: dict[str, AgentDoc] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def get(self, name: str, site: Span | None = None) -> AgentDoc | Diagnostic:
        """The agent named ``name``, or an unknown-agent diagnostic at ``site``."""
        found = self.by_name.get(name)
        if found is not None:
            return found
        guess = did_you_mean(name, list(self.by_name))
        known = ", ".join(sorted(self.by_name)) or "none"
        return codes.UNKNOWN_AGENT.at(
            site or Span("<command line>", 0, 0, 0, 0), f"no agent named '{name}'",
            help=f"did you mean '{guess}'?" if guess else f"the project builds: {known}")


def _document_file(options: Options, path: str) -> Agents:
    """A SWML document (JSON or YAML) named on the command line, read with positions; a file a
    user names is theirs to choose, inside the project or not (as for ``swmlc validate``)."""
    files = SourceFiles(options.root, jail=False)
    rel = display_path(Path(path) if Path(path).is_absolute() else options.root / path,
                       options.root)
    loaded = files.load(rel)
    out = Agents(diagnostics=list(loaded.diagnostics), texts=files.texts)
    ai, _, _ = find_ai(loaded.value)
    if not loaded.diagnostics and not ai:
        out.diagnostics.append(codes.UNKNOWN_AGENT.at(
            Span(rel, 1, 1, 1, 1), f"{rel} has no ai verb in sections.main",
            help="name an agent of the project, or a SWML document holding an ai verb"))
    elif ai:
        name = Path(rel).name.split(".", 1)[0]
        out.by_name[name] = AgentDoc(name, rel, loaded.value, ai)
    return out


def is_document_path(options: Options, ref: str) -> bool:
    """Whether ``ref`` names a SWML document file rather than an agent of the project: a file
    with a document's suffix outside the project's agents folder."""
    path = Path(ref) if Path(ref).is_absolute() else Path.cwd() / ref
    if not ref.endswith(DOCUMENT_SUFFIXES) or not path.is_file():
        return False
    agents_dir = (options.root / _config(options).agents).resolve()
    return agents_dir not in path.resolve().parents


def _config(options: Options) -> ProjectConfig:
    from compiler.project.load import load_project

    return load_project(options)[0].config


def _compile(options: Options) -> Agents:
    from compiler.build.compile import compile_project

    result = compile_project(replace(options, targets=("swml",), jobs=1, source_map=False),
                             write=False, reuse=False, keep_units=True)
    out = Agents(texts=result.texts)
    if not result.ok:
        out.diagnostics = [d for d in result.sorted_diagnostics()
                           if d.severity is Severity.ERROR]
        return out
    for unit in result.units:
        doc = unit.documents.get("swml")
        if doc is not None:
            ai, _, _ = find_ai(doc)
            out.by_name[unit.name] = AgentDoc(unit.name, unit.file, doc, ai)
    return out


def load_agents(options: Options, *, document: str | None = None,
                name: str | None = None) -> Agents:
    """The agents of the project, compiled in memory (the swml target only, nothing written),
    or the one SWML document ``document`` names. Given the ``name`` wanted, only its own
    definition (``<agents>/<name>.yaml``) is compiled when that gives it, not the whole
    project."""
    if document is not None:
        return _document_file(options, document)
    if name is not None and not options.paths:
        folder = options.root / _config(options).agents
        for suffix in (".yaml", ".yml"):
            guess = folder / f"{name}{suffix}"
            if guess.is_file():
                quick = _compile(replace(options, paths=(str(guess),)))
                if name in quick.by_name or not quick.ok:
                    return quick
    return _compile(options)


def _included(ai: Any) -> dict[str, str]:
    """Functions fetched at call time through swaig_includes: name -> the include's URL."""
    swaig = ai.get("SWAIG") if isinstance(ai, dict) else None
    out: dict[str, str] = {}
    for inc in swaig.get("includes", []) if isinstance(swaig, dict) else []:
        if isinstance(inc, dict):
            for name in inc.get("functions", []):
                out.setdefault(str(name), str(inc.get("url", "")))
    return out


def find_function(agent: AgentDoc, name: str, site: Span) -> Any | Diagnostic:
    """The SWAIG function ``name`` of ``agent``, or why swmlc cannot run it: unknown (with a
    guess), native (the platform runs it), or fetched at call time through swaig_includes."""
    found = agent.function(name)
    if found is not None:
        return found
    native = agent.ai.get("SWAIG", {}).get("native_functions", []) \
        if isinstance(agent.ai.get("SWAIG"), dict) else []
    if name in native:
        return codes.UNKNOWN_FUNCTION.at(
            site, f"'{name}' is a native function: the platform runs it, swmlc cannot",
            help="test the functions the agent defines itself")
    included = _included(agent.ai)
    if name in included:
        return codes.UNKNOWN_FUNCTION.at(
            site, f"'{name}' is fetched at call time from {included[name]} (swaig_includes): "
            "swmlc does not have its definition", help="run it against that server instead")
    names = [str(f.get("function")) for f in agent.functions if isinstance(f, dict)]
    guess = did_you_mean(name, names)
    return codes.UNKNOWN_FUNCTION.at(
        site, f"agent '{agent.name}' has no function '{name}'",
        help=f"did you mean '{guess}'?" if guess else
        f"its functions: {', '.join(names) or 'none'}")


def check_arguments(function: Any, args: Any, site: Span) -> list[Diagnostic]:
    """Warnings for arguments the function's parameters do not declare, or required ones that
    are missing: the model, which follows the parameters, would not send such a call."""
    schema = function.get("parameters", function.get("argument"))
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict) or not isinstance(args, dict):
        return []
    out: list[Diagnostic] = []
    for key in args:
        if key not in props:
            guess = did_you_mean(str(key), list(props))
            out.append(codes.BAD_ARGUMENTS.at(
                site, f"'{function.get('function')}' declares no parameter '{key}'",
                help=f"did you mean '{guess}'?" if guess else
                f"its parameters: {', '.join(props) or 'none'}"))
    required = schema.get("required") if isinstance(schema, dict) else None
    for key in required if isinstance(required, list) else []:
        if key not in args:
            out.append(codes.BAD_ARGUMENTS.at(
                site, f"'{function.get('function')}' requires '{key}', which is not given",
                help="the model always sends required parameters; give it a value"))
    return out


def coerce_arguments(function: Any, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Arguments typed on a command line (``--arg city=Austin``, ``--limit 5``), read by the
    type each parameter declares: a string parameter keeps the text as typed (``zip=02134``
    stays "02134"), anything else is read as YAML (numbers, booleans, ``[a, b]``, ``{k: v}``).
    """
    from compiler.source.yaml_reader import read_yaml

    schema = function.get("parameters", function.get("argument"))
    props = schema.get("properties") if isinstance(schema, dict) else None
    out: dict[str, Any] = {}
    for key, text in pairs:
        declared = props.get(key) if isinstance(props, dict) else None
        kind = declared.get("type") if isinstance(declared, dict) else None
        if kind == "string":
            out[key] = text
            continue
        parsed = read_yaml(text, "--arg")
        out[key] = text if parsed.diagnostics or (parsed.value is None and text) else parsed.value
    return out

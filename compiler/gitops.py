"""``swmlc check`` and ``swmlc diff``: is build/ what the sources compile to, and what changed
between two states of the repository, said in words."""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from compiler import codes
from compiler.api import CompileResult, compile_project
from compiler.build_dir import current_files
from compiler.diagnostics import Diagnostic
from compiler.emit import MANIFEST, read_manifest
from compiler.errors import SwmlcError
from compiler.options import Options
from compiler.semantic_diff import Change, describe, diff_documents
from compiler.tree import Span

OUTPUT_SUFFIXES = (".swml.json", ".swml.yaml", ".relay.json")


def _load(name: str, data: bytes) -> Any:
    if name.endswith(".json"):
        return json.loads(data)
    import yaml

    return yaml.safe_load(data)


def _agent_of(result: CompileResult, output: str) -> tuple[str, str]:
    for agent in result.agents:
        if output in agent.files:
            return agent.name, agent.file
    return output.split(".", 1)[0], ""


@dataclass
class CheckResult:
    compile: CompileResult
    diagnostics: list[Diagnostic] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return self.compile.ok and not self.diagnostics


def _built_format(options: Options) -> Literal["json", "yaml"]:
    """The format build/ was written in (``--format yaml`` leaves .swml.yaml files), read from
    its manifest, so ``check`` compares like with like without being told."""
    from compiler.api import load_project

    project, _ = load_project(options)
    manifest = read_manifest(options.root / (options.out_dir or project.config.build))
    agents = manifest.get("agents")
    for entry in agents.values() if isinstance(agents, dict) else ():
        outputs = entry.get("outputs", {}) if isinstance(entry, dict) else {}
        if any(name.endswith(".swml.yaml") for name in outputs):
            return "yaml"
    return "json"


def check_build(options: Options) -> CheckResult:
    """Compile in memory and compare with build/, naming each agent and what changed."""
    result = compile_project(replace(options, output_format=_built_format(options)),
                             write=False, reuse=False)
    out = CheckResult(result, checked=len(result.agents))
    if not result.ok or result.build_dir is None:
        return out
    build_dir = result.build_dir
    shown = build_dir.name
    on_disk = current_files(build_dir)
    for name, data in sorted(result.files.items()):
        agent, source = _agent_of(result, name)
        span = Span(source or name, 0, 0, 0, 0)
        path = on_disk.get(name)
        if path is None:
            out.diagnostics.append(codes.STALE_BUILD.at(
                span, f"{agent}: {shown}/{name} is missing", help="run `swmlc build`"))
            continue
        old = path.read_bytes()
        if old == data:
            continue
        try:
            what = describe(diff_documents(_load(name, old), _load(name, data)))
        except ValueError:
            what = "the file is not valid"
        out.diagnostics.append(codes.STALE_BUILD.at(
            span, f"{agent}: {shown}/{name} is stale: {what or 'formatting changed'}",
            help=f"run `swmlc build` and commit {shown}/"))
    built_by = _built_by(build_dir)
    for name in sorted(on_disk):
        if name.endswith(OUTPUT_SUFFIXES) and name not in result.files:
            out.diagnostics.append(codes.STALE_BUILD.at(
                Span(f"{shown}/{name}", 0, 0, 0, 0),
                f"{built_by.get(name, name.split('.', 1)[0])}: {shown}/{name} is orphaned: "
                "no agent compiles to it any more",
                help="run `swmlc build` (it removes outputs of deleted agents)"))
    manifest = on_disk.get(MANIFEST)
    if not out.diagnostics and (manifest is None or _manifest_differs(manifest, result)):
        out.diagnostics.append(codes.STALE_BUILD.at(
            Span(f"{shown}/{MANIFEST}", 0, 0, 0, 0),
            f"{shown}/{MANIFEST} is out of date (sources changed, outputs identical)",
            help="run `swmlc build`"))
    return out


def _built_by(build_dir: Path) -> dict[str, str]:
    """Output name -> the agent that wrote it, from the manifest of the build on disk."""
    agents = read_manifest(build_dir).get("agents")
    return {out: agent for agent, entry in agents.items() if isinstance(entry, dict)
            for out in entry.get("outputs", {})} if isinstance(agents, dict) else {}


def _manifest_differs(path: Path, result: CompileResult) -> bool:
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return bool(old.get("agents") != result.manifest.get("agents"))


# -- diff ---------------------------------------------------------------------------------------

@dataclass
class AgentDiff:
    agent: str
    status: str  # "changed", "added", "removed"
    changes: list[Change] = field(default_factory=list)


def _export(root: Path, ref: str, into: Path) -> None:
    """The tracked files of ``ref`` into a folder (git archive: no checkout, no index touched)."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, check=True,
                             capture_output=True, text=True).stdout.strip()
        prefix = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root, check=True,
                                capture_output=True, text=True).stdout.strip()
        archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=top, check=True,
                                 capture_output=True)
    except FileNotFoundError:
        raise SwmlcError("swmlc diff needs git on PATH") from None
    except subprocess.CalledProcessError as exc:
        message = (exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr) or ""
        raise SwmlcError(f"git cannot read '{ref}': {message.strip()}") from None
    tmp = into / "tree.tar"
    tmp.write_bytes(archive.stdout)
    with tarfile.open(tmp) as tar:
        tar.extractall(into / "repo", filter="data")
    (into / "root").symlink_to(into / "repo" / prefix if prefix else into / "repo")


def _documents(result: CompileResult) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for agent in result.agents:
        for name, data in agent.files.items():
            if name.endswith(OUTPUT_SUFFIXES):
                docs.setdefault(agent.name, {})[name] = _load(name, data)
    return docs


def diff_states(options: Options, against: str) -> tuple[list[AgentDiff], list[Diagnostic]]:
    """The semantic difference of the compiled agents at ``against`` and in the work tree."""
    new = compile_project(options, write=False, reuse=False)
    if not new.ok:
        return [], new.diagnostics
    with tempfile.TemporaryDirectory(prefix="swmlc-diff-") as tmp:
        _export(options.root, against, Path(tmp))
        old_root = (Path(tmp) / "root").resolve()
        old = compile_project(replace(options, root=old_root, paths=()), write=False,
                              reuse=False) if (old_root / "agents").exists() \
            or (old_root / "swmlc.yaml").exists() else CompileResult()
    a, b = _documents(old), _documents(new)
    out: list[AgentDiff] = []
    for agent in sorted({*a, *b}):
        if agent not in a:
            out.append(AgentDiff(agent, "added"))
        elif agent not in b:
            out.append(AgentDiff(agent, "removed"))
        else:
            changes: list[Change] = []
            for name in sorted({*a[agent], *b[agent]}):
                if a[agent].get(name) != b[agent].get(name):
                    changes += diff_documents(a[agent].get(name, {}), b[agent].get(name, {}))
            if changes:
                out.append(AgentDiff(agent, "changed", _unique(changes)))
    return out, [d for d in new.diagnostics]


def _unique(changes: list[Change]) -> list[Change]:
    seen: set[tuple[str, str]] = set()
    out = []
    for c in changes:
        if (c.group, c.text) not in seen:
            seen.add((c.group, c.text))
            out.append(c)
    return out


def render_diff(diffs: list[AgentDiff], fmt: str, against: str) -> str:
    if fmt == "markdown":
        if not diffs:
            return f"**swmlc**: no agent changes against `{against}`.\n"
        lines = [f"### swmlc: {len(diffs)} agent{'s' if len(diffs) != 1 else ''} changed "
                 f"against `{against}`", ""]
        for d in diffs:
            if d.status != "changed":
                lines.append(f"- **`{d.agent}`** {d.status}")
                continue
            lines.append(f"- **`{d.agent}`**")
            group = None
            for c in d.changes:
                if c.group != group:
                    group = c.group
                    lines.append(f"  - *{group}*")
                lines.append(f"    - {c.text}")
        return "\n".join(lines) + "\n"
    if not diffs:
        return f"no agent changes against {against}\n"
    lines = []
    for d in diffs:
        lines.append(f"{d.agent}: {d.status}" if d.status != "changed" else f"{d.agent}:")
        group = None
        for c in d.changes:
            if c.group != group:
                group = c.group
                lines.append(f"  {group}:")
            lines.append(f"    {c.text}")
    return "\n".join(lines) + "\n"

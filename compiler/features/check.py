"""``swmlc check``: is build/ what the sources compile to? Each stale, missing or orphaned output is
named with its agent and what changed, in words."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from compiler.build.build_dir import current_files
from compiler.build.compile import CompileResult, compile_project
from compiler.build.incremental import MANIFEST, read_manifest
from compiler.build.outputs import is_document, load_document
from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Span
from compiler.features.diff.semantic import describe, diff_documents
from compiler.project.load import load_project
from compiler.project.options import Options


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
    project, _ = load_project(options)
    manifest = read_manifest(options.root / (options.out_dir or project.config.build))
    for entry in manifest.agents.values():
        if any(name.endswith(".swml.yaml") for name in entry.outputs):
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
    owner = {name: agent for agent in result.agents for name in agent.files}
    for name, data in sorted(result.files.items()):
        agent, source = (owner[name].name, owner[name].file) if name in owner \
            else (name.split(".", 1)[0], "")
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
            what = describe(diff_documents(load_document(name, old), load_document(name, data)))
        except ValueError:
            what = "the file is not valid"
        out.diagnostics.append(codes.STALE_BUILD.at(
            span, f"{agent}: {shown}/{name} is stale: {what or 'formatting changed'}",
            help=f"run `swmlc build` and commit {shown}/"))
    built_by = read_manifest(build_dir).outputs_of()
    for name in sorted(on_disk):
        if is_document(name) and name not in result.files:
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


def _manifest_differs(path: Any, result: CompileResult) -> bool:
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    mine = {name: e.to_json() for name, e in result.manifest.agents.items()}
    return bool(old.get("agents") != mine) if isinstance(old, dict) else True

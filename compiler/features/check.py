"""``swmlc check``: is build/ what the sources compile to? Each stale, missing or orphaned output is
named with its agent and what changed, in words."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from typing import Any

from compiler.build.build_dir import current_files
from compiler.build.compile import CompileResult, compile_project
from compiler.build.incremental import MANIFEST, as_recorded, read_manifest
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
    #: The profile the folder was built with (None: the top-level settings).
    profile: str | None = None
    #: The build folder, from the project root.
    folder: str = "build"

    @property
    def ok(self) -> bool:
        return self.compile.ok and not self.diagnostics


def check_project(options: Options) -> list[CheckResult]:
    """Every build folder the project builds to, each compiled as its manifest says it was
    made: the one of ``options.profile`` when it is given; else the default folder (when it
    was built, or when swmlc.yaml declares no profiles) and every profile's folder."""
    if options.profile:
        return [check_build(options)]
    project, _ = load_project(options)
    folders: list[str | None] = list(project.config.profiles)
    default = options.root / project.build_folder
    if project.config.profile is None and (not folders or (default / MANIFEST).exists()):
        folders.insert(0, None)
    return [check_build(replace(options, profile=name)) for name in folders] if folders \
        else [check_build(options)]


def check_build(options: Options) -> CheckResult:
    """Compile in memory, as the build in the folder was made, and compare with the folder,
    naming each agent and what changed."""
    replayed = as_recorded(options)
    result = compile_project(replayed, write=False, reuse=False, keep_units=False)
    out = CheckResult(result, checked=len(result.agents), profile=replayed.profile)
    if result.build_dir is not None:
        out.folder = os.path.relpath(result.build_dir, options.root).replace(os.sep, "/")
    if not result.ok or result.build_dir is None:
        return out
    build_dir = result.build_dir
    shown = out.folder
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
            known = name in built_by
            out.diagnostics.append(codes.STALE_BUILD.at(
                Span(f"{shown}/{name}", 0, 0, 0, 0),
                f"{built_by.get(name, name.split('.', 1)[0])}: {shown}/{name} is orphaned: "
                "no agent compiles to it any more",
                help="run `swmlc build` (it removes outputs of deleted agents)" if known else
                "swmlc did not write it (it is not in the manifest): delete it"))
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

"""``swmlc diff``: what changed in the compiled agents between a git ref and the work tree, said
in words (:mod:`.semantic`), as text or as markdown for a pull-request comment (:mod:`.render`)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from compiler.analysis.flow import Flow, ai_flow
from compiler.build.compile import CompileResult, compile_project
from compiler.build.outputs import is_document, load_document
from compiler.core.diagnostics import Diagnostic
from compiler.features.diff.git import export_tree
from compiler.features.diff.semantic import AgentDiff, Change, diff_documents
from compiler.features.graph import flow_key, render_mermaid
from compiler.project.options import Options
from compiler.signalwire.document import find_ai
from compiler.targets import parse_output_name


def _documents(result: CompileResult) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for agent in result.agents:
        for name, data in agent.files.items():
            if is_document(name):
                docs.setdefault(agent.name, {})[name] = load_document(name, data)
    return docs


def diff_states(options: Options, against: str) -> tuple[list[AgentDiff], list[Diagnostic]]:
    """The semantic difference of the compiled agents at ``against`` and in the work tree."""
    new = compile_project(options, write=False, reuse=False)
    if not new.ok:
        return [], new.diagnostics
    with tempfile.TemporaryDirectory(prefix="swmlc-diff-") as tmp:
        export_tree(options.root, against, Path(tmp))
        old_root = (Path(tmp) / "root").resolve()
        old = compile_project(replace(options, root=old_root, paths=()), write=False,
                              reuse=False) if (old_root / "agents").exists() \
            or (old_root / "swmlc.yaml").exists() else CompileResult()
    a, b = _documents(old), _documents(new)
    out: list[AgentDiff] = []
    for agent in sorted({*a, *b}):
        if agent not in a:
            out.append(AgentDiff(agent, "added", flow=_flow_change({}, b[agent])))
        elif agent not in b:
            out.append(AgentDiff(agent, "removed"))
        else:
            changes: list[Change] = []
            for name in sorted({*a[agent], *b[agent]}):
                if a[agent].get(name) != b[agent].get(name):
                    changes += diff_documents(a[agent].get(name, {}), b[agent].get(name, {}))
            if changes:
                out.append(AgentDiff(agent, "changed", _unique(changes),
                                     _flow_change(a[agent], b[agent])))
    return out, [d for d in new.diagnostics]


def _flow(docs: dict[str, Any]) -> Flow | None:
    """The conversation graph of an agent's SWML document, None without contexts."""
    for name, doc in sorted(docs.items()):
        parsed = parse_output_name(name)
        if parsed is not None and parsed[1] == "swml":
            flow = ai_flow(find_ai(doc)[0])
            return flow if flow.contexts else None
    return None


def _flow_change(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    """The new flow in Mermaid, when it differs from the old one."""
    before, after = _flow(old), _flow(new)
    if after is None or (before is not None and flow_key(before) == flow_key(after)):
        return None
    return render_mermaid(after)


def _unique(changes: list[Change]) -> list[Change]:
    seen: set[tuple[str, str]] = set()
    out = []
    for c in changes:
        if (c.group, c.text) not in seen:
            seen.add((c.group, c.text))
            out.append(c)
    return out

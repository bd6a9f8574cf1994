"""The proof that an imported project is right: it is written to a scratch folder, built by the
real build (``compile_project``), and each agent's SWML document is compared with the document
it came from, migrated, its credentials as secret placeholders.

What the build says is sorted three ways: findings of swmlc's checks in the original agents
(the platform runs them so today: each becomes a ``# swmlc: TODO`` silenced where it is), the
official schema refusing a fault kept with ``--keep-going`` (expected, at its TODO), and
anything else (a bug in the import: the agent is not written).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.tree import to_plain
from compiler.features.importer.compare import round_trip_difference
from compiler.features.importer.document import Document
from compiler.features.importer.plan import Comments, Plan, path_at
from compiler.features.importer.todos import Notes


@dataclass
class Build:
    """What building the scratch project gave."""

    outputs: dict[str, Any] = field(default_factory=dict)
    findings: list[Diagnostic] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


def _lint_codes() -> frozenset[str]:
    from compiler.lints import rules

    return frozenset(rule.CODE.code for rule in rules())


def build_scratch(files: dict[str, str]) -> Build:
    """Write ``files`` (root-relative paths) to a fresh folder and build it, in memory."""
    from compiler.build.compile import compile_project
    from compiler.project.options import Options

    lint = _lint_codes()
    out = Build()
    with tempfile.TemporaryDirectory(prefix="swmlc-import-") as tmp:
        root = Path(tmp)
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        result = compile_project(Options(root=root, targets=("swml",)), write=False,
                                 reuse=False)
    for unit in result.units:
        if "swml" in unit.documents:
            out.outputs[unit.name] = to_plain(unit.documents["swml"])
    for d in result.diagnostics:
        if d.severity is not Severity.ERROR:
            out.warnings.append(d)
        elif d.code in lint:
            out.findings.append(d)
        else:
            out.errors.append(d)
    return out


def note_findings(findings: list[Diagnostic], plan: Plan,
                   comments: dict[str, Comments]) -> bool:
    """Each finding of the checks becomes a TODO silenced where it is; True when any new."""
    from compiler.source.yaml_reader import read_yaml

    added = False
    for d in findings:
        text = plan.files.get(d.span.file)
        if text is None:
            continue
        where = path_at(read_yaml(text, d.span.file).value, d.span.line, d.span.col)
        if where is None:
            continue
        notes = comments.setdefault(d.span.file, {}).setdefault(where, Notes())
        if d.code not in notes.ignore:
            notes.ignore.add(d.code)
            notes.todos.append(f"{d.message} ({d.code}, found in the original agent)")
            added = True
    return added


def compare(docs: list[Document], plan: Plan, outputs: dict[str, Any],
             errors: list[Diagnostic]) -> list[tuple[Document, str]]:
    """The agents that did not come back the same, and why."""
    by_file = {f: name for name, f in plan.agent_files.items()}
    kept = {plan.agent_files[str(d.name)] for d in docs if d.status == "kept"}
    everyone = [str(d.name) for d in docs]
    broken: dict[str, str] = {}
    for d in errors:
        if d.code == "SWC501" and d.span.file in kept:
            continue  # the official schema at a fault kept with --keep-going, at its TODO
        names = [by_file[d.span.file]] if d.span.file in by_file else \
            plan.users.get(d.span.file, everyone)
        for name in names:
            broken.setdefault(name, f"{d.code} {d.span}: {d.message}")
    failed: list[tuple[Document, str]] = []
    for doc in docs:
        name = str(doc.name)
        if name in broken:
            failed.append((doc, broken[name]))
            continue
        compiled = outputs.get(name)
        why = "no output" if compiled is None else round_trip_difference(
            compiled, doc.expected, fields_in_any_order=name in plan.extends)
        if why is not None:
            failed.append((doc, why))
        else:
            doc.compiled = compiled
    return failed

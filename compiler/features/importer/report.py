"""The closing report of an import, per input folder: documents imported (and proven to build
back), migrated (how), with TODOs, kept with TODOs that do not build yet, and refused (why, at
file:line). Plain data and plain lines: the command prints them."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from compiler.core.diagnostics import Diagnostic, Severity
from compiler.features.importer.document import Document
from compiler.features.importer.project import ProjectImport


@dataclass
class Figures:
    """The counts for one input folder (or all of them)."""

    folder: str
    documents: int = 0
    imported: int = 0
    migrated: int = 0
    with_todos: int = 0
    kept: int = 0
    refused: int = 0

    def add(self, doc: Document) -> None:
        self.documents += 1
        if doc.status == "refused":
            self.refused += 1
            return
        if doc.status == "kept":
            self.kept += 1
        else:
            self.imported += 1
            self.with_todos += bool(doc.todos)
        self.migrated += bool(doc.changes)

    def line(self) -> str:
        share = f" ({100 * self.imported / self.documents:.0f}%)" if self.documents else ""
        parts = [f"{self.imported} imported{share}, building to schema-valid SWML "
                 f"({self.migrated} migrated, {self.with_todos} with TODOs)"]
        if self.kept:
            parts.append(f"{self.kept} kept with TODOs (they build once fixed)")
        parts.append(f"{self.refused} refused")
        return (f"{self.folder}: {self.documents} document{'s' if self.documents != 1 else ''}"
                f": {', '.join(parts)}")


def figures(result: ProjectImport) -> list[Figures]:
    """Per input folder, in the order the folders were named, then the total."""
    folders: dict[str, Figures] = {}
    total = Figures("total")
    for doc in result.documents:
        folders.setdefault(doc.folder, Figures(doc.folder)).add(doc)
        total.add(doc)
    return [*folders.values(), total]


def _first_error(doc: Document) -> Diagnostic | None:
    errors = sorted((d for d in doc.diagnostics if d.severity is Severity.ERROR),
                    key=Diagnostic.sort_key)
    return errors[0] if errors else None


def report_lines(result: ProjectImport, cwd: Path) -> list[str]:
    """The report, line by line."""
    table = figures(result)
    lines = ["swmlc import: " + table[-1].line().split(": ", 1)[1]]
    if len(table) > 2:
        lines += ["  " + f.line() for f in table[:-1]]
    lines += _written(result, cwd)
    kinds = Counter(c.kind for d in result.documents if d.status != "refused"
                    for c in d.changes)
    if kinds:
        lines.append("migrated (how): " + "; ".join(
            f"{kind} ×{n}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1])))
    refused = [(d, _first_error(d)) for d in result.documents if d.status == "refused"]
    if refused:
        lines.append("refused (why):")
        for doc, why in refused:
            said = f"{why.span}: {why.code} {why.message}" if why else doc.source
            more = sum(d.severity is Severity.ERROR for d in doc.diagnostics) - 1
            lines.append(f"  {said}" + (f" (and {more} more)" if more > 0 else ""))
    if result.skipped:
        lines.append(f"skipped (not SWML documents): {', '.join(result.skipped)}")
    return lines


def _written(result: ProjectImport, cwd: Path) -> list[str]:
    if result.plan is None:
        return []
    where = os.path.relpath(result.root, cwd)
    agents = len(result.plan.agent_files)
    bases = sorted(f for f in result.files if "/_base/" in f)
    libs = sorted(f for f in result.files if "/_functions/" in f)
    verb = "wrote" if result.written or not result.files else "would write"
    lines = [f"{verb} {where}/: swmlc.yaml, {agents} agent{'s' if agents != 1 else ''}, "
             f"{len(bases)} base{'s' if len(bases) != 1 else ''}, {len(libs)} function "
             f"librar{'ies' if len(libs) != 1 else 'y'}"]
    for family in result.plan.families:
        lines.append(f"  family '{family.name}': {len(family.members)} agents"
                     + (f", base _base/{family.name}.yaml" if family.base else "")
                     + (f", {sum(len(f) for f in family.libraries.values())} shared functions"
                        if family.libraries else ""))
    if result.swaig is not None:
        lines.append(f"SWAIG server in swmlc.yaml: {result.swaig.base_url} (functions on it "
                     "give a webhook: path)")
    if result.secrets:
        shown = [s.name + (f" ({len(s.values)} different values in the documents)"
                           if len(s.values) > 1 else "") for s in result.secrets]
        lines.append("secrets to set where you deploy (swmlc build --bind-secrets): "
                     + ", ".join(shown))
    return lines

"""The state a pass may read: the project (shared by all agents of a build) and the unit's own
diagnostics. Passed explicitly to every pass; there are no globals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from compiler.diagnostics import Diagnostic, Label, Severity
from compiler.options import Options
from compiler.project import ProjectConfig
from compiler.sources import SourceFiles
from compiler.tree import Map, Span


@dataclass
class Project:
    """Shared by every unit of one build: options, config, the file cache, compiled schemas."""

    options: Options
    config: ProjectConfig
    files: SourceFiles
    cache: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Unit:
    """One agent on its way through the pipeline. Passes return a new Unit, never mutate one."""

    file: str
    name: str
    tree: Map | None = None
    row: Mapping[str, Any] | None = None
    row_span: Span | None = None
    documents: Mapping[str, Map] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    included_from: Mapping[str, Span] = field(default_factory=dict)
    #: The tree as composed, before templating (for ``explain``: the template behind a value).
    composed: Map | None = None
    #: Each variable's final value and where that value was set (for ``explain``).
    variables: Mapping[str, tuple[Any, Span]] = field(default_factory=dict)


@dataclass
class Context:
    project: Project
    diagnostics: list[Diagnostic] = field(default_factory=list)
    included_from: dict[str, Span] = field(default_factory=dict)

    def report(self, diagnostic: Diagnostic) -> None:
        """Record a diagnostic, adding "included from here" labels for a file reached through
        extends/include, so the reader sees how the file got into this agent."""
        labels: list[Label] = []
        file = diagnostic.span.file
        seen: set[str] = set()
        while file in self.included_from and file not in seen:
            seen.add(file)
            site = self.included_from[file]
            if all(lb.span != site for lb in diagnostic.labels):
                labels.append(Label(site, "included from here"))
            file = site.file
        self.diagnostics.append(diagnostic.with_labels(tuple(labels)) if labels else diagnostic)

    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

"""What a pass may read: the session (shared by every agent of a run) and the unit's own
diagnostics. Passed explicitly to every pass; there are no globals.

A unit is one agent on its way through the pipeline; passes return a new :class:`Unit` and never
mutate one. The :class:`Session`'s caches are typed attributes, each with one owner.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from compiler.core.diagnostics import Diagnostic, Label, Severity
from compiler.core.tree import Map, Span
from compiler.project.load import Project

if TYPE_CHECKING:  # pragma: no cover - jinja2 loads only when something is rendered
    from compiler.source.schema import JsonSchema
    from compiler.source.templating import Templates

#: A function library: its functions by name, each with the span of its entry.
Library = dict[str, tuple[Map, Span]]

_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
_IGNORE = re.compile(r"#\s*swmlc:\s*ignore\[([A-Z0-9, ]+)\]")


@dataclass
class Session:
    """Shared by every unit of one run (a worker process has its own)."""

    project: Project
    #: Function libraries read so far, by root-relative path.
    libraries: dict[str, Library] = field(default_factory=dict)
    #: "The official schema is not installed" is said once per run, not once per agent.
    schema_missing_said: bool = False
    _templates: Templates | None = None
    _official: tuple[JsonSchema | None] | None = None

    @property
    def templates(self) -> Templates:
        """One Jinja environment and template cache for the run (built on first use)."""
        if self._templates is None:
            from compiler.source.templating import Templates

            self._templates = Templates(self.project.config.limits)
        return self._templates

    @property
    def official_schema(self) -> JsonSchema | None:
        """SignalWire's official schema (None without signalwire-sdk), located once."""
        if self._official is None:
            from compiler.signalwire.official_schema import official_schema

            self._official = (official_schema(self.project.schemas),)
        return self._official[0]


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


def _overlaps(a: Span, b: Span) -> bool:
    if a.file != b.file:
        return False
    return (a.line, a.col) <= (b.end_line, b.end_col) and (b.line, b.col) <= (a.end_line, a.end_col)


@dataclass
class Context:
    """One unit's view of the run, and what has been said about the unit so far."""

    session: Session
    included_from: dict[str, Span] = field(default_factory=dict)
    _said: list[Diagnostic] = field(default_factory=list)
    _replacing: list[tuple[frozenset[str], Span]] = field(default_factory=list)

    @property
    def project(self) -> Project:
        return self.session.project

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Everything said, except what a later, better diagnostic replaced (see :meth:`report`)."""
        if not self._replacing:
            return list(self._said)
        return [d for d in self._said
                if not any(d.code in codes and _overlaps(d.span, span)
                           for codes, span in self._replacing)]

    def report(self, diagnostic: Diagnostic, *, replaces: frozenset[str] = frozenset()) -> None:
        """Record a diagnostic, adding "included from here" labels for a file reached through
        extends/include, so the reader sees how the file got into this agent.

        ``replaces`` names codes this diagnostic says better at the same place (a rule with a fix
        where the shape check said only "expected a boolean"): those are dropped from
        :attr:`diagnostics`, whoever reported them.
        """
        labels: list[Label] = []
        file = diagnostic.span.file
        seen: set[str] = set()
        while file in self.included_from and file not in seen:
            seen.add(file)
            site = self.included_from[file]
            if all(lb.span != site for lb in diagnostic.labels):
                labels.append(Label(site, "included from here"))
            file = site.file
        self._said.append(diagnostic.with_labels(tuple(labels)) if labels else diagnostic)
        if replaces:
            self._replacing.append((replaces, diagnostic.span))

    def report_configurable(self, diagnostic: Diagnostic, *,
                            replaces: frozenset[str] = frozenset()) -> None:
        """Report a diagnostic the project may silence or re-level: its code's level in
        swmlc.yaml ``rules:`` (``off``, ``error``, ``warning``, ``info``), and
        ``# swmlc: ignore[CODE]`` on its line (or alone on the line above). The static checks
        and the targets' notes go through here; errors about the definition itself do not."""
        level = self.project.config.rules.get(diagnostic.code)
        if level == "off" or diagnostic.code in self.ignored_codes(diagnostic.span):
            return
        if level in _LEVELS:
            diagnostic = diagnostic.with_severity(_LEVELS[level])
        self.report(diagnostic, replaces=replaces)

    def ignored_codes(self, span: Span) -> set[str]:
        """Codes silenced at ``span``'s line by an ignore comment: on that line, or alone on
        the line above. A line inside a block scalar (``text: |``) cannot hold a comment, so
        there the line that opens the block counts (and the comment line above it)."""
        index = self.project.files.index(span.file)
        if index is None or span.line < 1:
            return set()
        found: set[str] = set()
        lines = [span.line]
        header = index.block_header(span.line)
        if header is not None:
            lines.append(header)
        for at in lines:
            for number in (at, at - 1):
                line = index.line(number)
                if line is None or (number != at and not line.lstrip().startswith("#")):
                    continue
                for m in _IGNORE.finditer(line):
                    found.update(c.strip() for c in m.group(1).split(","))
        return found

    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


PassFn = Callable[[Unit, Context], Unit]


class Pass:
    """A pass of the pipeline: a plain function ``(unit, ctx) -> unit`` with two attributes of
    its own that the pipeline's loop reads (it never asks a pass's name):

    * ``keep_going``: errors found here do not stop the unit, so the passes after it still run
      and report (the shape check, whose findings the static checks can say better);
    * ``when_skipped``: what the pass can still say about a unit that stopped before reaching it
      (the shape check names misspelt keys: a misspelt ``vars`` is often why templating failed).
    """

    def __init__(self, run: PassFn, *, keep_going: bool = False,
                 when_skipped: Callable[[Unit, Context], None] | None = None) -> None:
        functools.update_wrapper(self, run)
        self.run = run
        self.keep_going = keep_going
        self.when_skipped = when_skipped

    def __call__(self, unit: Unit, ctx: Context, /) -> Unit:
        return self.run(unit, ctx)

    def __repr__(self) -> str:
        return f"<pass {self.run.__name__}>"


def pipeline_pass(*, keep_going: bool = False,
                  when_skipped: Callable[[Unit, Context], None] | None = None
                  ) -> Callable[[PassFn], Pass]:
    """Declare a function a pass: ``@pipeline_pass()`` above ``def compose(unit, ctx)``."""
    return lambda run: Pass(run, keep_going=keep_going, when_skipped=when_skipped)

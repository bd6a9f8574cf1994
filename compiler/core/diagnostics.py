"""Diagnostics as values: built by any pass, collected, sorted and rendered once.

Modelled on ruff's diagnostics: a code and a name, one primary span, secondary labels for the
other places that matter (the first of two duplicate keys, each include site), and an optional
fix that ``lint --fix`` may apply.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from compiler.core.tree import Span


class Severity(enum.IntEnum):
    """Ordered so that ``max()`` of a list of severities is the worst one."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Label:
    """A secondary span with a short message ("first defined here")."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A machine-applicable change to the user's own source file.

    Edits are semantic (a path inside one YAML file), not textual, because ``lint --fix`` applies
    them through ruamel.yaml's round-trip loader, which keeps comments and layout.
    ``action`` is ``"set"`` (replace the value at ``path``) or ``"rename"`` (rename the key at
    ``path`` to ``value``).
    """

    message: str
    file: str
    path: tuple[str | int, ...]
    action: str
    value: Any
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    labels: tuple[Label, ...] = ()
    notes: tuple[str, ...] = ()
    help: str | None = None
    fix: Fix | None = None
    pointer: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.file, self.span.line, self.span.col, self.code, self.message)

    def with_severity(self, severity: Severity) -> Diagnostic:
        return Diagnostic(
            self.code, self.name, severity, self.message, self.span, self.labels,
            self.notes, self.help, self.fix, self.pointer,
        )

    def with_labels(self, extra: tuple[Label, ...]) -> Diagnostic:
        return Diagnostic(
            self.code, self.name, self.severity, self.message, self.span,
            self.labels + extra, self.notes, self.help, self.fix, self.pointer,
        )


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of the diagnostic registry (compiler/core/codes.py)."""

    code: str
    name: str
    severity: Severity
    summary: str
    bad: str = ""
    good: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def at(
        self,
        span: Span,
        message: str,
        *,
        labels: tuple[Label, ...] = (),
        notes: tuple[str, ...] = (),
        help: str | None = None,
        fix: Fix | None = None,
        pointer: str | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            self.code, self.name, self.severity, message, span, labels, notes, help, fix, pointer
        )

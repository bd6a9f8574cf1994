"""Pass: the static checks (compiler/lints), with configured severities and inline ignores."""

from __future__ import annotations

import re

from compiler.context import Context, Unit
from compiler.diagnostics import Diagnostic, Severity
from compiler.lints import rules
from compiler.tree import Span

_IGNORE = re.compile(r"#\s*swmlc:\s*ignore\[([A-Z0-9, ]+)\]")
_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


def ignored_codes(ctx: Context, diag: Diagnostic) -> set[str]:
    """Codes silenced for this diagnostic's line: ``# swmlc: ignore[SWC401]`` at the end of the
    line, or alone on the line above (for a value spread over several lines)."""
    text = ctx.project.files.texts.get(diag.span.file)
    if text is None or diag.span.line < 1:
        return set()
    lines = text.split("\n")
    found: set[str] = set()
    for index in (diag.span.line - 1, diag.span.line - 2):
        if 0 <= index < len(lines):
            line = lines[index]
            if index == diag.span.line - 2 and not line.lstrip().startswith("#"):
                continue
            for m in _IGNORE.finditer(line):
                found.update(c.strip() for c in m.group(1).split(","))
    return found


#: Source-shape codes a rule may explain better (with a fix) at the same place.
_SHAPE = frozenset({"SWC102", "SWC103", "SWC104"})


def _overlaps(a: Span, b: Span) -> bool:
    if a.file != b.file:
        return False
    return (a.line, a.col) <= (b.end_line, b.end_col) and (b.line, b.col) <= (a.end_line, a.end_col)


def check(unit: Unit, ctx: Context) -> Unit:
    """Run every rule over the unit's (composed, rendered) tree.

    This pass runs even when ``check_shape`` found errors, so that a rule with better words and
    a fix (a fillers object with two languages, ``purpose`` for ``description``, a string for a
    boolean) replaces the schema's generic refusal of the same place. On a tree known to be
    misshapen a rule may meet a value of the wrong type; it is then skipped, its problem being
    already reported.
    """
    assert unit.tree is not None
    configured = ctx.project.config.rules
    misshapen = ctx.failed()
    found: list[Diagnostic] = []
    for rule in rules():
        code = rule.CODE.code
        level = configured.get(code)
        if level == "off":
            continue
        try:
            diags = list(rule.check(unit.tree, ctx))
        except (TypeError, AttributeError, KeyError, IndexError, ValueError):
            if misshapen:
                continue
            raise
        for diag in diags:
            if code in ignored_codes(ctx, diag):
                continue
            found.append(diag.with_severity(_LEVELS[level]) if level in _LEVELS else diag)
    if misshapen and found:
        ctx.diagnostics[:] = [d for d in ctx.diagnostics if d.code not in _SHAPE
                              or not any(_overlaps(d.span, f.span) for f in found)]
    for diag in found:
        ctx.report(diag)
    return unit

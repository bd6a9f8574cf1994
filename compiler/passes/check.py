"""Pass: the static checks (compiler/lints), with configured severities and inline ignores."""

from __future__ import annotations

import re

from compiler.context import Context, Unit
from compiler.diagnostics import Diagnostic, Severity
from compiler.lints import rules

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


def check(unit: Unit, ctx: Context) -> Unit:
    """Run every rule over the unit's (composed, rendered) tree."""
    assert unit.tree is not None
    configured = ctx.project.config.rules
    for rule in rules():
        code = rule.CODE.code
        level = configured.get(code)
        if level == "off":
            continue
        for diag in rule.check(unit.tree, ctx):
            if code in ignored_codes(ctx, diag):
                continue
            ctx.report(diag.with_severity(_LEVELS[level]) if level in _LEVELS else diag)
    return unit

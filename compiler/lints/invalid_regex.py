"""A hint pattern or a data_map expression pattern that is not a valid regular expression.

## What it does
Compiles ``hints[].pattern`` and every data_map ``expressions[].pattern`` (top-level and in
webhooks) with PCRE2, the engine the platform's PCRE is judged by, exactly as ``swmlc exec`` and
``swmlc test`` run them (``compiler/signalwire/pcre.py``): ``/pattern/flags`` is read as
a pattern with flags, and PCRE-only syntax (``\\p{L}``, ``\\K``, ``(?<name>...)``, possessive
quantifiers) is judged by PCRE itself. Patterns holding a runtime template (``${...}``) are
expanded during the call and not checked.

## Why
A pattern that does not compile never matches: the hint is never replaced, the expression's
output never chosen, and nothing says why.

## Example (fails)
```yaml
hints:
  - {hint: Verdaguer, pattern: "verda(g|w", replace: Verdaguer}
```

## Use instead (passes)
```yaml
hints:
  - {hint: Verdaguer, pattern: "verda(g|w)er", replace: Verdaguer}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.symbols import webhooks
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.tree import Map, Seq, Span
from compiler.lints._doc import rule_code
from compiler.signalwire.pcre import problem as pcre_problem

CODE = rule_code(
    __doc__, "SWC416", "invalid-regex", Severity.ERROR,
    "A hint pattern or a data_map expression pattern does not compile as a regular expression.",
)


def problem(pattern: str, default_caseless: bool = True) -> str | None:
    """Why ``pattern`` does not compile with PCRE, or None when it does (or holds a runtime
    template, expanded only during the call).

    Example:
        >>> problem("sagrada famil[iy]a") is None, problem("/abc/i") is None
        (True, True)
        >>> problem("verda(g|w")
        'missing closing parenthesis at offset 9'
    """
    if "${" in pattern or "%{" in pattern:
        return None
    return pcre_problem(pattern, default_caseless)


def _patterns(tree: Map) -> Iterator[tuple[str, str, Span]]:
    """(what, pattern, span) for every pattern swmlc knows is a regex."""
    hints = tree.get("hints")
    for hint in hints if isinstance(hints, Seq) else ():
        if isinstance(hint, Map) and isinstance(hint.get("pattern"), str):
            yield "hint pattern", hint["pattern"], hint.value_span("pattern")
    functions = tree.get("functions")
    for fn in functions if isinstance(functions, Seq) else ():
        data_map = fn.get("data_map") if isinstance(fn, Map) else None
        if not isinstance(data_map, Map):
            continue
        groups = [data_map.get("expressions")]
        groups += [hook.get("expressions") for _, hook in webhooks(fn)]
        for group in groups:
            for expr in group if isinstance(group, Seq) else ():
                if isinstance(expr, Map) and isinstance(expr.get("pattern"), str):
                    yield "expression pattern", expr["pattern"], expr.value_span("pattern")


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    for what, pattern, span in _patterns(tree):
        reason = problem(pattern, default_caseless=what != "hint pattern")
        if reason is not None:
            yield CODE.at(
                span,
                f"{what} is not a valid regular expression: {reason}",
                help="the platform uses PCRE; check brackets and escapes (a literal '(' is '\\(')",
            )

"""An ``ai.params`` value of the wrong type or outside what the platform accepts.

## What it does
Checks each known param's value against its documented type, range, choices and format
(``ai_volume`` between -50 and 50, ``hard_stop_time`` a duration like ``2m``, ...). A whole
runtime template (``${...}``) passes where the platform accepts one. Numbers and booleans
written as strings are SWC421's.

## Why
The official schema refuses these values, so the document would not load; where SignalWire's
prose documentation says otherwise, the message says so.

## Example (fails)
```yaml
params:
  ai_volume: 80
```

## Use instead (passes)
```yaml
params:
  ai_volume: 40
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.context import Context
from compiler.diagnostics import Code, Diagnostic, Fix, Severity
from compiler.platform.params import check_param
from compiler.refs import fix_path
from compiler.tree import Map

CODE = Code(
    "SWC420", "bad-param-value", Severity.ERROR,
    "A params value of the wrong type, outside its range, not one of its choices, or not in "
    "its format.",
    "params:\n  ai_volume: 80\n",
    "params:\n  ai_volume: 40\n",
)

_KINDS = frozenset({"type", "range", "enum", "pattern"})


def check(tree: Map, ctx: Context) -> Iterator[Diagnostic]:
    params = tree.get("params")
    if not isinstance(params, Map):
        return
    for name, value in params.items():
        for problem in check_param(name, value):
            if problem.kind not in _KINDS:
                continue
            span = params.value_span(name)
            fix = None
            if problem.kind == "enum" and problem.suggestion is not None:
                path = fix_path(ctx, tree, ("params", name), span)
                if path is not None:
                    fix = Fix(f"write '{problem.suggestion}'", span.file, path, "set",
                              problem.suggestion, safe=False)
            help_ = f"did you mean '{problem.suggestion}'?" if problem.suggestion else None
            yield CODE.at(
                span, problem.message,
                notes=(problem.note,) if problem.note else (),
                help=help_, fix=fix,
            )

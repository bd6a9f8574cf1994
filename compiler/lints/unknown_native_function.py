"""``native_functions`` names a function the platform does not have.

## What it does
Checks every entry of ``native_functions`` against the platform's native functions
(check_time, wait_seconds, wait_for_user, adjust_response_latency), with a did-you-mean.

## Why
The official schema refuses any other name, so the document would not load.

## Example (fails)
```yaml
native_functions: [check_tim]
```

## Use instead (passes)
```yaml
native_functions: [check_time]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.context import Context
from compiler.diagnostics import Code, Diagnostic, Fix, Severity
from compiler.platform.native import NATIVE_FUNCTIONS
from compiler.refs import fix_path
from compiler.suggest import did_you_mean
from compiler.tree import Map, Seq

CODE = Code(
    "SWC415", "unknown-native-function", Severity.ERROR,
    "native_functions names a function the platform does not have.",
    "native_functions: [check_tim]\n",
    "native_functions: [check_time]\n",
)


def check(tree: Map, ctx: Context) -> Iterator[Diagnostic]:
    names = tree.get("native_functions")
    if not isinstance(names, Seq):
        return
    for i, name in enumerate(names):
        if not isinstance(name, str) or name in NATIVE_FUNCTIONS:
            continue
        guess = did_you_mean(name, NATIVE_FUNCTIONS)
        span = names.item_span(i)
        path = fix_path(ctx, tree, ("native_functions", i), span) if guess else None
        yield CODE.at(
            span,
            f"'{name}' is not a native function",
            help=f"did you mean '{guess}'?" if guess else
            "the native functions are " + ", ".join(NATIVE_FUNCTIONS),
            fix=Fix(f"write '{guess}'", span.file, path, "set", guess, safe=True)
            if guess and path else None,
        )

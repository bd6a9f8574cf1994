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

from compiler.analysis.model import AgentModel
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.suggest import did_you_mean
from compiler.core.tree import Seq
from compiler.lints._common import did_you_mean_help, fix_at
from compiler.lints._doc import rule_code
from compiler.signalwire.native import NATIVE_FUNCTIONS

CODE = rule_code(
    __doc__, "SWC415", "unknown-native-function", Severity.ERROR,
    "native_functions names a function the platform does not have.",
)


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    names = tree.get("native_functions")
    if not isinstance(names, Seq):
        return
    for i, name in enumerate(names):
        if not isinstance(name, str) or name in NATIVE_FUNCTIONS:
            continue
        guess = did_you_mean(name, NATIVE_FUNCTIONS)
        span = names.item_span(i)
        yield CODE.at(
            span,
            f"'{name}' is not a native function",
            help=did_you_mean_help(
                guess, "the native functions are " + ", ".join(NATIVE_FUNCTIONS)),
            fix=fix_at(model, ("native_functions", i), span, f"write '{guess}'", "set", guess,
                       safe=True) if guess else None,
        )

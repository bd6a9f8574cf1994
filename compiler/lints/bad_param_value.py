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

from compiler.analysis.model import AgentModel
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.lints._common import did_you_mean_help, fix_at, param_problems
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC420", "bad-param-value", Severity.ERROR,
    "A params value of the wrong type, outside its range, not one of its choices, or not in "
    "its format.",
)

_KINDS = frozenset({"type", "range", "enum", "pattern"})


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    for params, name, problem in param_problems(tree, _KINDS):
        span = params.value_span(name)
        guess = problem.suggestion
        fix = None
        if problem.kind == "enum" and guess is not None:
            fix = fix_at(model, ("params", name), span, f"write '{guess}'", "set", guess,
                         safe=False)
        yield CODE.at(
            span, problem.message,
            notes=(problem.note,) if problem.note else (),
            help=did_you_mean_help(guess), fix=fix,
        )

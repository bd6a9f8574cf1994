"""An ``ai.params`` number or boolean written as a string.

## What it does
Reports a param that takes a number or a boolean but is given a quoted one (``"3"``,
``"true"``; under YAML 1.2 also ``yes`` / ``on``), and offers the typed value as a fix.

## Why
The official schema refuses the string (the platform's params are typed), and real documents
copied from JSON examples often quote them. The fix is mechanical: drop the quotes.

## Example (fails)
```yaml
params:
  barge_min_words: "3"
```

## Use instead (passes)
```yaml
params:
  barge_min_words: 3
```
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.lints._common import fix_at, param_problems
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC421", "param-as-string", Severity.ERROR,
    "A params number or boolean is written as a string; the platform's params are typed.",
)


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    for params, name, problem in param_problems(tree, ("stringly",)):
        if problem.fix_value is None:
            continue
        typed = json.dumps(problem.fix_value)
        span = params.value_span(name)
        yield CODE.at(
            span, problem.message,
            help=f"write {typed} without quotes",
            fix=fix_at(model, ("params", name), span, f"write {typed}", "set",
                       problem.fix_value, safe=True),
        )

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

from compiler.context import Context
from compiler.diagnostics import Code, Diagnostic, Fix, Severity
from compiler.platform.params import check_param
from compiler.refs import fix_path
from compiler.tree import Map

CODE = Code(
    "SWC421", "param-as-string", Severity.ERROR,
    "A params number or boolean is written as a string; the platform's params are typed.",
    "params:\n  barge_min_words: \"3\"\n",
    "params:\n  barge_min_words: 3\n",
)


def check(tree: Map, ctx: Context) -> Iterator[Diagnostic]:
    params = tree.get("params")
    if not isinstance(params, Map):
        return
    for name, value in params.items():
        for problem in check_param(name, value):
            if problem.kind != "stringly" or problem.fix_value is None:
                continue
            typed = json.dumps(problem.fix_value)
            span = params.value_span(name)
            path = fix_path(ctx, tree, ("params", name), span)
            yield CODE.at(
                span, problem.message,
                help=f"write {typed} without quotes",
                fix=Fix(f"write {typed}", span.file, path, "set", problem.fix_value, safe=True)
                if path is not None else None,
            )

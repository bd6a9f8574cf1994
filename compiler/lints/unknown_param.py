"""An ``ai.params`` name the platform does not know.

## What it does
Checks every key of ``params`` against the platform's catalogue of params (the official
schema's, plus documented ones it lacks), with a did-you-mean; a clear single candidate is
offered as a rename.

## Why
The official schema leaves ``params`` open, so ``barge_confidance: 0.02`` validates, and the
platform silently ignores it: the setting the author tuned never applies. If the platform has a
new param swmlc's catalogue lacks, silence this line with ``# swmlc: ignore[SWC419]``.

## Example (fails)
```yaml
params:
  barge_confidance: 0.02
```

## Use instead (passes)
```yaml
params:
  barge_confidence: 0.02
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
    "SWC419", "unknown-param", Severity.ERROR,
    "A params name the platform does not know (the schema lets it pass, the platform ignores "
    "it); usually a typo.",
    "params:\n  barge_confidance: 0.02\n",
    "params:\n  barge_confidence: 0.02\n",
)


def check(tree: Map, ctx: Context) -> Iterator[Diagnostic]:
    params = tree.get("params")
    if not isinstance(params, Map):
        return
    for name, value in params.items():
        problems = [p for p in check_param(name, value) if p.kind == "unknown"]
        if not problems:
            continue
        guess = problems[0].suggestion
        span = params.key_span(name)
        fix = None
        if guess is not None and guess not in params:
            path = fix_path(ctx, tree, ("params", name), span)
            if path is not None:
                fix = Fix(f"rename to '{guess}'", span.file, path, "rename", guess, safe=True)
        yield CODE.at(
            span,
            f"unknown param '{name}': the platform ignores it",
            help=f"did you mean '{guess}'?" if guess else
            "see the ai.params reference for the names the platform reads",
            fix=fix,
        )

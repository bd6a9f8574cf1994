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

from compiler.analysis.model import AgentModel
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.lints._common import did_you_mean_help, fix_at, param_problems
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC419", "unknown-param", Severity.ERROR,
    "A params name the platform does not know (the schema lets it pass, the platform ignores "
    "it); usually a typo.",
)


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    # check_param finds at most one "unknown" problem a name: it stops at an unknown name.
    for params, name, problem in param_problems(tree, ("unknown",)):
        guess = problem.suggestion
        span = params.key_span(name)
        fix = None
        if guess is not None and guess not in params:
            fix = fix_at(model, ("params", name), span, f"rename to '{guess}'", "rename",
                         guess, safe=True)
        yield CODE.at(
            span,
            f"unknown param '{name}': the platform ignores it",
            help=did_you_mean_help(
                guess, "see the ai.params reference for the names the platform reads"),
            fix=fix,
        )

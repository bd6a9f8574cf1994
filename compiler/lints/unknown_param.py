"""An ``ai.params`` name the platform does not know.

## What it does
Checks every key of ``params`` against the platform's catalogue of params (the official
schema's, plus those SignalWire's params reference documents and the schema lacks). A name
close to a known one is a typo: an error, with the known name as a did-you-mean and a rename
fix. A name close to none is a warning: it may be a param newer than swmlc's catalogue, or one
the platform ignores.

## Why
The official schema leaves ``params`` open, so ``barge_confidance: 0.02`` validates, and the
platform silently ignores it: the setting the author tuned never applies. A param the platform
added after this swmlc was released must not stop a build: it is said once, as a warning;
silence it with ``# swmlc: ignore[SWC419]`` on its line.

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
    "it): an error when it is close to a known name (a typo), a warning when it is close to "
    "none (it may be newer than swmlc).",
)


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    # check_param finds at most one "unknown" problem a name: it stops at an unknown name.
    for params, name, problem in param_problems(tree, ("unknown",)):
        guess = problem.suggestion
        span = params.key_span(name)
        if guess is None:
            yield CODE.at(
                span,
                f"unknown param '{name}': swmlc does not know it (it may be newer than "
                "swmlc; if not, the platform ignores it)",
                help="see the ai.params reference for the names the platform reads; if it "
                "is a new param, silence this line with # swmlc: ignore[SWC419]",
            ).with_severity(Severity.WARNING)
            continue
        fix = None
        if guess not in params:
            fix = fix_at(model, ("params", name), span, f"rename to '{guess}'", "rename",
                         guess, safe=True)
        yield CODE.at(
            span,
            f"unknown param '{name}': the platform ignores it",
            help=did_you_mean_help(guess, ""),
            fix=fix,
        )

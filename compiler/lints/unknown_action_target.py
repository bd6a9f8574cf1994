"""A DataMap reply's action names a step, a context or a function the agent does not have.

## What it does
Checks the actions of every reply a function's data_map writes (its ``output``, each
expression's ``output`` and ``nomatch-output``, each webhook's): ``change_step`` against the
steps of the contexts the function runs in (``next`` is always allowed), ``change_context``
against ``prompt.contexts``, and each ``toggle_functions`` entry against the agent's functions
(its own, those its ``swaig_includes`` fetch, enabled natives). A reply that also changes the
context may name a step of the context it enters. Names written as runtime templates
(``${args.step}``) are left alone. ``swmlc test`` checks the reply a fixture declares for a
web_hook_url function the same way, at its line in the fixture file.

## Why
The platform runs these actions during the call and ignores a name that does not exist: the
caller stays in the step, the context does not change, the function stays off. Renaming a step
or a function leaves every action naming the old one dangling, silently.

## Example (fails)
```yaml
prompt:
  text: You route callers.
  contexts:
    default:
      steps:
        - {name: greet, text: Greet the caller., functions: [route]}
        - {name: finish, text: Say goodbye.}
functions:
  - function: route
    description: Route the caller
    data_map:
      output:
        response: Routing you now.
        action: [{change_step: finsh}]
```

## Use instead (passes)
```yaml
prompt:
  text: You route callers.
  contexts:
    default:
      steps:
        - {name: greet, text: Greet the caller., functions: [route]}
        - {name: finish, text: Say goodbye.}
functions:
  - function: route
    description: Route the caller
    data_map:
      output:
        response: Routing you now.
        action: [{change_step: finish}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.actions import datamap_replies, reply_problems
from compiler.analysis.model import AgentModel
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.tree import span_at
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC423", "unknown-action-target", Severity.ERROR,
    "A DataMap reply's change_step, change_context or toggle_functions names a step, a context "
    "or a function the agent does not have.",
)


def check(model: AgentModel) -> Iterator[Diagnostic]:
    symbols = model.symbols
    for fn in symbols.functions:
        if "use" in fn.node:
            continue  # a library function not yet resolved: checked once it is
        for _, reply in datamap_replies(fn.node):
            for problem in reply_problems(reply, symbols, fn.name):
                span = span_at(reply, problem.path)
                if span is not None:
                    yield CODE.at(span, problem.message, help=problem.help)

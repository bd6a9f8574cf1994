"""A step named ``next``.

## What it does
Reports a step whose ``name`` is ``next``.

## Why
``next`` is a keyword of ``valid_steps`` (the following step), so a step of that name could
never be told apart from it; the official schema refuses the name.

## Example (fails)
```yaml
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: greet, text: Greet the caller., valid_steps: [next]}
        - {name: next, text: Ask for the reason.}
```

## Use instead (passes)
```yaml
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: greet, text: Greet the caller., valid_steps: [next]}
        - {name: reason, text: Ask for the reason.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.symbols import steps
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC413", "step-named-next", Severity.ERROR,
    "A step is named `next`, the valid_steps keyword for the following step.",
)


def check(model: AgentModel) -> Iterator[Diagnostic]:
    for context, step in steps(model.symbols.contexts):
        if step.name == "next":
            yield CODE.at(
                step.map.value_span("name"),
                f"a step of context '{context.name}' is named 'next', which valid_steps "
                "reserves for the following step",
                help="give the step a name that says what it does",
            )

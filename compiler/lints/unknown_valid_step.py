"""A step's ``valid_steps`` names a step its context does not have.

## What it does
Checks every entry of every step's ``valid_steps`` against the names of the steps of the same
context (``next``, the following step, is always allowed).

## Why
The AI can only move to steps of the current context. A wrong name leaves the step with no way
forward, and the caller stuck in it.

## Example (fails)
```yaml
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: identify, text: Ask for the name., valid_steps: [reasons]}
        - {name: reason, text: Ask for the reason.}
```

## Use instead (passes)
```yaml
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: identify, text: Ask for the name., valid_steps: [reason]}
        - {name: reason, text: Ask for the reason.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.symbols import step_entries
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.suggest import did_you_mean
from compiler.lints._common import did_you_mean_help
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC408", "unknown-valid-step", Severity.ERROR,
    "A step's valid_steps names a step that its context does not have.",
)


def check(model: AgentModel) -> Iterator[Diagnostic]:
    contexts = model.symbols.contexts
    names = {context.name: [step.name for step in context.steps] for context in contexts.values()}
    for context, step, target, span in step_entries(contexts, "valid_steps"):
        own = names[context.name]
        if target in own or target == "next":
            continue
        elsewhere = [other for other, theirs in names.items() if target in theirs]
        if elsewhere:
            otherwise = (f"'{target}' is a step of context '{elsewhere[0]}': move there with "
                         "valid_contexts")
        else:
            otherwise = "the steps of this context are " + ", ".join(own)
        yield CODE.at(
            span,
            f"step '{step.name}' lists '{target}' in valid_steps, but context "
            f"'{context.name}' has no such step",
            help=did_you_mean_help(did_you_mean(target, own), otherwise),
        )

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

from compiler.context import Context
from compiler.diagnostics import Code, Diagnostic, Severity
from compiler.refs import symbols
from compiler.suggest import did_you_mean
from compiler.tree import Map, Seq

CODE = Code(
    "SWC408", "unknown-valid-step", Severity.ERROR,
    "A step's valid_steps names a step that its context does not have.",
    "prompt:\n  text: You run patient intake.\n  contexts:\n    default:\n      steps:\n"
    "        - {name: identify, text: Ask for the name., valid_steps: [reasons]}\n"
    "        - {name: reason, text: Ask for the reason.}\n",
    "prompt:\n  text: You run patient intake.\n  contexts:\n    default:\n      steps:\n"
    "        - {name: identify, text: Ask for the name., valid_steps: [reason]}\n"
    "        - {name: reason, text: Ask for the reason.}\n",
)


def check(tree: Map, ctx: Context) -> Iterator[Diagnostic]:
    contexts = symbols(tree, ctx).contexts
    for context in contexts.values():
        names = [step.name for step in context.steps]
        for step in context.steps:
            targets = step.node.get("valid_steps")
            if not isinstance(targets, Seq):
                continue
            for i, target in enumerate(targets):
                if not isinstance(target, str) or target in names or target == "next":
                    continue
                elsewhere = [c.name for c in contexts.values()
                             if any(s.name == target for s in c.steps)]
                guess = did_you_mean(target, names)
                if guess:
                    help_ = f"did you mean '{guess}'?"
                elif elsewhere:
                    help_ = (f"'{target}' is a step of context '{elsewhere[0]}': move there "
                             "with valid_contexts")
                else:
                    help_ = "the steps of this context are " + ", ".join(names)
                yield CODE.at(
                    targets.item_span(i),
                    f"step '{step.name}' lists '{target}' in valid_steps, but context "
                    f"'{context.name}' has no such step",
                    help=help_,
                )

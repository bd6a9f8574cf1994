"""A step with ``end: true`` that also lists ``valid_steps``.

## What it does
Reports a step that both ends the conversation flow (``end: true``) and names steps to move on
to.

## Why
The two contradict each other: ``end`` means no step follows, so the platform never uses the
``valid_steps``. Either the step is meant to end (drop ``valid_steps``) or to lead on (drop
``end``); swmlc cannot tell which.

## Example (fails)
```yaml
prompt:
  text: You book appointments.
  contexts:
    default:
      steps:
        - {name: offer, text: Offer times.}
        - {name: confirm, text: Confirm the booking., end: true, valid_steps: [offer]}
```

## Use instead (passes)
```yaml
prompt:
  text: You book appointments.
  contexts:
    default:
      steps:
        - {name: offer, text: Offer times.}
        - {name: confirm, text: Confirm the booking., end: true}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.context import Context
from compiler.diagnostics import Code, Diagnostic, Label, Severity
from compiler.refs import symbols
from compiler.tree import Map, Seq

CODE = Code(
    "SWC412", "end-with-valid-steps", Severity.WARNING,
    "A step has both `end: true` and valid_steps; a step that ends the flow never moves on.",
    "prompt:\n  text: You book appointments.\n  contexts:\n    default:\n      steps:\n"
    "        - {name: offer, text: Offer times.}\n"
    "        - {name: confirm, text: Confirm the booking., end: true, valid_steps: [offer]}\n",
    "prompt:\n  text: You book appointments.\n  contexts:\n    default:\n      steps:\n"
    "        - {name: offer, text: Offer times.}\n"
    "        - {name: confirm, text: Confirm the booking., end: true}\n",
)


def check(tree: Map, ctx: Context) -> Iterator[Diagnostic]:
    for context in symbols(tree, ctx).contexts.values():
        for step in context.steps:
            targets = step.node.get("valid_steps")
            if step.node.get("end") is True and isinstance(targets, Seq) and targets:
                yield CODE.at(
                    step.node.key_span("valid_steps"),
                    f"step '{step.name}' has 'end: true', so its valid_steps are never used",
                    labels=(Label(step.node.key_span("end"), "the step ends here"),),
                    help="drop 'valid_steps' if the step ends the flow, or 'end' if it leads on",
                )

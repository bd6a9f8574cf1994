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

from compiler.analysis.model import AgentModel
from compiler.core.diagnostics import Diagnostic, Label, Severity
from compiler.core.tree import Seq
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC412", "end-with-valid-steps", Severity.WARNING,
    "A step has both `end: true` and valid_steps; a step that ends the flow never moves on.",
)


def check(model: AgentModel) -> Iterator[Diagnostic]:
    if not model.symbols.contexts:
        return  # no steps: the graph (and its module) is not needed
    for _, step in model.flow.steps():
        targets = step.node.get("valid_steps")
        if step.node.get("end") is True and isinstance(targets, Seq) and targets:
            yield CODE.at(
                step.map.key_span("valid_steps"),
                f"step '{step.name}' has 'end: true', so its valid_steps are never used",
                labels=(Label(step.map.key_span("end"), "the step ends here"),),
                help="drop 'valid_steps' if the step ends the flow, or 'end' if it leads on",
            )

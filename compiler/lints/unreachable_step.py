"""A step, or a whole context, that no path through the conversation can reach.

## What it does
Follows the conversation graph (``compiler/analysis/flow.py``, the graph ``swmlc graph`` draws)
from the first step of ``default``. A step leads to the steps its ``valid_steps`` name (``next``
is the following step), or to the following step when it has no ``valid_steps`` and no
``end: true``; ``valid_contexts`` lead to a context's first step. A ``change_step`` /
``change_context`` action in a data_map output counts as a path too, from each step where that
function is available. Steps (and contexts) never reached are reported.

## Why
An unreachable step is dead prompt text: usually a ``valid_steps`` that forgot it, or a step left
behind after a rename. A webhook that answers with a ``change_step`` action is invisible to
swmlc; silence this rule on that step with ``# swmlc: ignore[SWC411]``. A context whose
``valid_steps`` name an unknown step (SWC408) is not judged, nor are unentered contexts while a
``valid_contexts`` names an unknown one (SWC409): "unreachable" would only repeat that typo.

## Example (fails)
```yaml
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: identify, text: Ask for the name., valid_steps: [confirm]}
        - {name: reason, text: Ask for the reason.}
        - {name: confirm, text: Confirm and say goodbye., end: true}
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
        - {name: confirm, text: Confirm and say goodbye., end: true}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC411", "unreachable-step", Severity.WARNING,
    "A step (or a whole context) that no valid_steps / valid_contexts path from the start of "
    "`default` reaches.",
)


def check(model: AgentModel) -> Iterator[Diagnostic]:
    if not model.symbols.contexts:
        return  # no steps: the graph (and its module) is not needed
    flow = model.flow
    if "default" not in flow.contexts:
        return  # SWC407 says what is wrong; without a start there is no graph to walk
    # Where the author's graph is not known (a valid_steps / valid_contexts naming nothing:
    # SWC408 / SWC409 say so), "unreachable" would only repeat that typo.
    unsure = {at[0] for at in flow.unknown_steps}
    unsure_switch = bool(flow.unknown_contexts)
    contexts = model.tree["prompt"]["contexts"]
    for context in flow.contexts.values():
        if context.name in unsure:
            continue
        if context.name != "default" and not flow.entered(context.name):
            if not unsure_switch:
                yield CODE.at(
                    contexts.key_span(context.name),
                    f"context '{context.name}' is never entered: no step lists it in "
                    "valid_contexts",
                    help=f"add '{context.name}' to the valid_contexts of the step that should "
                    "lead to it",
                )
            continue
        for step in context.steps:
            if (context.name, step.index) not in flow.reachable:
                yield CODE.at(
                    contexts[context.name]["steps"].item_span(step.index),
                    f"step '{step.name}' of context '{context.name}' can never be reached",
                    help="list it in the valid_steps of the step that should lead to it",
                )

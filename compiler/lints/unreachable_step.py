"""A step, or a whole context, that no path through the conversation can reach.

## What it does
Follows the conversation graph from the first step of ``default``. A step leads to the steps its
``valid_steps`` name (``next`` is the following step), or to the following step when it has no
``valid_steps`` and no ``end: true``; ``valid_contexts`` lead to a context's first step. A
``change_step`` / ``change_context`` action in a data_map output counts as a path too. Steps (and
contexts) never reached are reported.

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

from collections.abc import Iterator, Mapping

from compiler.analysis.model import AgentModel
from compiler.analysis.symbols import ContextDef, action_values
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.tree import Seq
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC411", "unreachable-step", Severity.WARNING,
    "A step (or a whole context) that no valid_steps / valid_contexts path from the start of "
    "`default` reaches.",
)


def _successors(context: ContextDef, index: int) -> tuple[list[int], list[str]]:
    """(step indexes in the same context, context names) that step ``index`` leads to."""
    node = context.steps[index].node
    by_name = {step.name: i for i, step in enumerate(context.steps)}
    targets = node.get("valid_steps")
    steps: list[int] = []
    if isinstance(targets, Seq) and targets:
        for target in targets:
            if target == "next" and index + 1 < len(context.steps):
                steps.append(index + 1)
            elif isinstance(target, str) and target in by_name:
                steps.append(by_name[target])
    elif node.get("end") is not True and index + 1 < len(context.steps):
        steps.append(index + 1)
    switches = node.get("valid_contexts")
    names = [c for c in switches if isinstance(c, str)] if isinstance(switches, Seq) else []
    return steps, names


def _unsure(contexts: Mapping[str, ContextDef]) -> tuple[set[str], bool]:
    """Contexts whose steps name an unknown valid_steps target, and whether any step names an
    unknown context: there the author's graph is not known (SWC408 / SWC409 say why), and
    "unreachable" would only repeat that typo."""
    unsure: set[str] = set()
    unsure_switch = False
    for context in contexts.values():
        names = {step.name for step in context.steps} | {"next"}
        for step in context.steps:
            targets, switches = step.node.get("valid_steps"), step.node.get("valid_contexts")
            if isinstance(targets, Seq) and any(t not in names for t in targets):
                unsure.add(context.name)
            if isinstance(switches, Seq) and any(c not in contexts for c in switches):
                unsure_switch = True
    return unsure, unsure_switch


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    contexts = model.symbols.contexts
    if "default" not in contexts:
        return  # SWC407 says what is wrong; without a start there is no graph to walk
    jumps = set(action_values(tree.get("functions"), "change_step"))
    entered = {"default", *(c for c in action_values(tree.get("functions"), "change_context")
                            if c in contexts)}
    reached: set[tuple[str, int]] = set()
    todo = [(name, 0) for name in entered if contexts[name].steps]
    for context in contexts.values():
        todo += [(context.name, i) for i, s in enumerate(context.steps) if s.name in jumps]
    while todo:
        name, index = todo.pop()
        if (name, index) in reached:
            continue
        reached.add((name, index))
        steps, switches = _successors(contexts[name], index)
        todo += [(name, i) for i in steps]
        for other in switches:
            if other in contexts and contexts[other].steps:
                entered.add(other)
                todo.append((other, 0))
    unsure, unsure_switch = _unsure(contexts)
    prompt = tree["prompt"]
    for context in contexts.values():
        if context.name in unsure:
            continue
        if context.name not in entered and not any(n == context.name for n, _ in reached):
            if unsure_switch:
                continue
            yield CODE.at(
                prompt["contexts"].key_span(context.name),
                f"context '{context.name}' is never entered: no step lists it in valid_contexts",
                help=f"add '{context.name}' to the valid_contexts of the step that should lead "
                "to it",
            )
            continue
        for i, step in enumerate(context.steps):
            if (context.name, i) not in reached:
                yield CODE.at(
                    context.node["steps"].item_span(i),
                    f"step '{step.name}' of context '{context.name}' can never be reached",
                    help="list it in the valid_steps of the step that should lead to it",
                )

"""``prompt.contexts`` has no ``default`` context.

## What it does
Reports a ``contexts`` mapping without a ``default`` key.

## Why
The conversation starts in ``default``; the official schema refuses contexts without it, so the
document would not load. With a single context, renaming it to ``default`` is the fix.

## Example (fails)
```yaml
prompt:
  text: You run patient intake.
  contexts:
    intake:
      steps:
        - {name: greet, text: Greet the caller.}
```

## Use instead (passes)
```yaml
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: greet, text: Greet the caller.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.tree import Map
from compiler.lints._common import fix_at
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC407", "missing-default-context", Severity.ERROR,
    "prompt.contexts has no `default` context, where every conversation starts.",
)


def _referenced(contexts: Map, name: str) -> bool:
    """Does any step switch to context ``name`` by name (a rename would break it)?"""
    for context in contexts.values():
        steps = context.get("steps") if isinstance(context, Map) else None
        for step in steps if isinstance(steps, list) else ():
            targets = step.get("valid_contexts") if isinstance(step, Map) else None
            if isinstance(targets, list) and name in targets:
                return True
    return False


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    prompt = tree.get("prompt")
    contexts = prompt.get("contexts") if isinstance(prompt, Map) else None
    if not isinstance(prompt, Map) or not isinstance(contexts, Map) or "default" in contexts:
        return
    fix = None
    if len(contexts) == 1:
        only = next(iter(contexts))
        fix = fix_at(model, ("prompt", "contexts", only), contexts.key_span(only),
                     f"rename '{only}' to 'default'", "rename", "default",
                     safe=not _referenced(contexts, only))
    names = ", ".join(f"'{n}'" for n in contexts)
    yield CODE.at(
        prompt.key_span("contexts"),
        f"contexts has no 'default' context (it has {names})",
        help="the conversation starts in 'default': name the first context 'default'",
        fix=fix,
    )

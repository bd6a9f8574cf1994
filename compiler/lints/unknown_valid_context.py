"""A step's ``valid_contexts`` names a context that does not exist.

## What it does
Checks every entry of every step's ``valid_contexts`` against the keys of ``prompt.contexts``.

## Why
The AI can only switch to contexts the prompt defines; a wrong name is a dead end.

## Example (fails)
```yaml
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: reason, text: Ask for the reason., valid_contexts: [schedule]}
    scheduling:
      steps:
        - {name: book, text: Offer a time.}
```

## Use instead (passes)
```yaml
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: reason, text: Ask for the reason., valid_contexts: [scheduling]}
    scheduling:
      steps:
        - {name: book, text: Offer a time.}
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
    "SWC409", "unknown-valid-context", Severity.ERROR,
    "A step's valid_contexts names a context that prompt.contexts does not define.",
    "prompt:\n  text: You run patient intake.\n  contexts:\n    default:\n      steps:\n"
    "        - {name: reason, text: Ask for the reason., valid_contexts: [schedule]}\n"
    "    scheduling:\n      steps:\n        - {name: book, text: Offer a time.}\n",
    "prompt:\n  text: You run patient intake.\n  contexts:\n    default:\n      steps:\n"
    "        - {name: reason, text: Ask for the reason., valid_contexts: [scheduling]}\n"
    "    scheduling:\n      steps:\n        - {name: book, text: Offer a time.}\n",
)


def check(tree: Map, ctx: Context) -> Iterator[Diagnostic]:
    contexts = symbols(tree, ctx).contexts
    for context in contexts.values():
        for step in context.steps:
            targets = step.node.get("valid_contexts")
            if not isinstance(targets, Seq):
                continue
            for i, target in enumerate(targets):
                if not isinstance(target, str) or target in contexts:
                    continue
                guess = did_you_mean(target, contexts)
                yield CODE.at(
                    targets.item_span(i),
                    f"step '{step.name}' lists '{target}' in valid_contexts, but there is no "
                    "such context",
                    help=f"did you mean '{guess}'?" if guess else
                    "the contexts are " + ", ".join(contexts),
                )

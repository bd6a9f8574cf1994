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

from compiler.analysis.model import AgentModel
from compiler.analysis.symbols import step_entries
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.suggest import did_you_mean
from compiler.lints._common import did_you_mean_help
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC409", "unknown-valid-context", Severity.ERROR,
    "A step's valid_contexts names a context that prompt.contexts does not define.",
)


def check(model: AgentModel) -> Iterator[Diagnostic]:
    contexts = model.symbols.contexts
    for _, step, target, span in step_entries(contexts, "valid_contexts"):
        if target in contexts:
            continue
        yield CODE.at(
            span,
            f"step '{step.name}' lists '{target}' in valid_contexts, but there is no such context",
            help=did_you_mean_help(did_you_mean(target, contexts),
                                   "the contexts are " + ", ".join(contexts)),
        )

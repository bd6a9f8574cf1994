"""A SWAIG function written with the deprecated ``purpose`` or ``argument``.

## What it does
Reports ``purpose`` (now ``description``) and ``argument`` (now ``parameters``) on a function,
and renames them when the new name is not also there.

## Why
Both are deprecated aliases in the official schema; SignalWire's documentation and SDK use the
new names, and a function that has both spellings leaves the reader guessing which one counts.

## Example (fails)
```yaml
functions:
  - function: lookup
    description: Look up an order
    argument: {type: object, properties: {order_id: {type: string}}}
    web_hook_url: https://x.example/lookup
```

## Use instead (passes)
```yaml
functions:
  - function: lookup
    description: Look up an order
    parameters: {type: object, properties: {order_id: {type: string}}}
    web_hook_url: https://x.example/lookup
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.core.diagnostics import Diagnostic, Label, Severity
from compiler.core.tree import Map, Seq
from compiler.lints._common import fix_at
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC418", "deprecated-function-field", Severity.WARNING,
    "A function uses the deprecated `purpose` (write `description`) or `argument` (write "
    "`parameters`).",
)

_RENAMES = (("purpose", "description"), ("argument", "parameters"))


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    functions = tree.get("functions")
    for i, fn in enumerate(functions if isinstance(functions, Seq) else ()):
        if not isinstance(fn, Map):
            continue
        for old, new in _RENAMES:
            if old not in fn:
                continue
            span = fn.key_span(old)
            if new in fn:
                yield CODE.at(
                    span, f"'{old}' is deprecated, and this function also has '{new}'",
                    labels=(Label(fn.key_span(new), f"'{new}' is here"),),
                    help=f"remove '{old}' and keep '{new}'",
                )
                continue
            yield CODE.at(
                span, f"'{old}' is deprecated: write '{new}'",
                help=f"rename '{old}' to '{new}'",
                fix=fix_at(model, ("functions", i, old), span, f"rename '{old}' to '{new}'",
                           "rename", new, safe=True),
            )

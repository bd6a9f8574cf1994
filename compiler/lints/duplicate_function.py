"""Two SWAIG functions with the same name.

## What it does
Reports a function whose name another entry of ``functions`` (after extends/include merging)
already uses, or that a ``swaig_includes`` entry also fetches.

## Why
The AI calls functions by name; with two of one name, which definition runs is up to the
platform, and the other one's description misleads the AI.

## Example (fails)
```yaml
functions:
  - {function: transfer, description: Transfer to sales, web_hook_url: "https://x.example/a"}
  - {function: transfer, description: Transfer to support, web_hook_url: "https://x.example/b"}
```

## Use instead (passes)
```yaml
functions:
  - {function: transfer_sales, description: Transfer to sales, web_hook_url: "https://x.example/a"}
  - {function: transfer_support, description: Transfer to support, web_hook_url: "https://x.example/b"}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.core.diagnostics import Diagnostic, Label, Severity
from compiler.core.tree import Map, Seq, Span
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC414", "duplicate-function", Severity.ERROR,
    "Two SWAIG functions share a name (in functions, or with a swaig_includes entry).",
)


def _name_span(fn: Map) -> Span:
    return fn.value_span("function") if "function" in fn else fn.value_span("use")


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    table = model.symbols
    first: dict[str, Span] = {}
    functions = tree.get("functions")
    for fn in table.functions:
        if fn.name is None or not isinstance(functions, Seq):
            continue
        span = _name_span(fn.node)
        if fn.name in first:
            yield CODE.at(
                span, f"function '{fn.name}' is defined twice",
                labels=(Label(first[fn.name], "first defined here"),),
                help="rename one of them, or remove the copy",
            )
            continue
        first[fn.name] = span
        if fn.name in table.included:
            yield CODE.at(
                span, f"function '{fn.name}' is also fetched by swaig_includes",
                labels=(Label(table.included[fn.name], "included here"),),
                help="drop it from swaig_includes' functions, or rename the local one",
            )

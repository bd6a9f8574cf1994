"""A foreach's ``output_key`` read before the foreach has built it.

## What it does
A webhook's ``foreach`` builds a string and stores it under its ``output_key``; only that
webhook's ``expressions`` and ``output`` run after it. This rule reports ``${output_key}`` read
anywhere that runs before it, or without it: the data_map's top-level expressions (they run
before any webhook), the fallback output (used when no webhook output was), the webhook's own
url, params and headers (before the request), and the foreach's own ``append``.

## Why
Read too early, the key does not exist yet and expands to an empty string: "Forecast: ".

## Example (fails)
```yaml
functions:
  - function: forecast
    description: Three-day forecast
    data_map:
      webhooks:
        - url: https://api.example.com/forecast
          foreach: {input_key: days, output_key: summary, append: "${this.text} "}
          output: {response: Forecast follows.}
      output: {response: "Forecast: ${summary}"}
```

## Use instead (passes)
```yaml
functions:
  - function: forecast
    description: Three-day forecast
    data_map:
      webhooks:
        - url: https://api.example.com/forecast
          foreach: {input_key: days, output_key: summary, append: "${this.text} "}
          output: {response: "Forecast: ${summary}"}
      output: {response: The forecast service is not answering.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.strings import FIELD_NAMES
from compiler.analysis.symbols import webhooks
from compiler.core.diagnostics import Diagnostic, Label, Severity
from compiler.core.tree import Map, Seq, Span
from compiler.lints._doc import rule_code
from compiler.signalwire.native import SCOPE_OF

CODE = rule_code(
    __doc__, "SWC404", "output-key-before-built", Severity.ERROR,
    "A foreach's output_key is read where the foreach has not run (top-level expressions, the "
    "fallback output, the webhook's request, or the append itself), so it expands to nothing.",
)


def _output_keys(fn: Map) -> dict[str, tuple[int, Span]]:
    """Each output_key of the function's webhooks (lowercased) -> (webhook index, its span)."""
    keys: dict[str, tuple[int, Span]] = {}
    for j, hook in webhooks(fn):
        foreach = hook.get("foreach")
        key = foreach.get("output_key") if isinstance(foreach, Map) else None
        if isinstance(foreach, Map) and isinstance(key, str) and key:
            keys.setdefault(key.lower(), (j, foreach.value_span("output_key")))
    return keys


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    functions = tree.get("functions")
    if not isinstance(functions, Seq):
        return
    keys = {i: _output_keys(fn) for i, fn in enumerate(functions) if isinstance(fn, Map)}
    for found in model.refs:
        place, root = found.place, found.ref.root
        if place.function is None or place.field is None or root is None:
            continue
        built = keys.get(place.function, {}).get(root)
        if built is None:
            continue
        webhook, key_span = built
        response_scope = SCOPE_OF[place.field].name == "webhook_response"
        if place.webhook == webhook and not place.in_append and response_scope:
            continue  # read by the webhook's own expressions / output: after the foreach
        if response_scope and place.webhook != webhook:
            continue  # another webhook's response may well have a field of that name
        where = FIELD_NAMES[place.field]
        if place.in_append:
            where = "the foreach's own append, while it is still being built"
        yield CODE.at(
            model.ref_span(found.text, found.ref),
            f"'{found.ref.raw}' is read in {where}, before its foreach has built it: "
            "it expands to an empty string",
            labels=(Label(key_span, "built here"),),
            help="read it in the same webhook's expressions or output, which run after foreach",
        )

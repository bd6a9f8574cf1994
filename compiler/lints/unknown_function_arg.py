"""A data_map reads an argument its function does not declare.

## What it does
Inside a function's ``data_map``, checks each ``${args.x}`` (call data: top-level expressions and
output, a webhook's url, params and headers) and each ``${input.args.x}`` (a webhook's foreach,
expressions and output) against the function's ``parameters.properties``. A webhook's
``require_args`` must name declared parameters too.

## Why
The AI only sends the arguments the function declares. A reference to any other expands to an
empty string, and a webhook that requires one never runs.

## Example (fails)
```yaml
functions:
  - function: get_weather
    description: Weather for a city
    parameters: {type: object, properties: {city: {type: string}}}
    data_map:
      output: {response: "Looking up ${args.town}"}
```

## Use instead (passes)
```yaml
functions:
  - function: get_weather
    description: Weather for a city
    parameters: {type: object, properties: {city: {type: string}}}
    data_map:
      output: {response: "Looking up ${args.city}"}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.strings import Ref, call_data_key, segment
from compiler.analysis.symbols import Function, webhooks
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.suggest import did_you_mean
from compiler.core.tree import Seq, Span
from compiler.lints._common import did_you_mean_help
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC402", "unknown-function-arg", Severity.ERROR,
    "A data_map reads ${args.x} (or ${input.args.x} inside a webhook) for a parameter its "
    "function does not declare, so it expands to an empty string.",
)


def _arg(found: Ref) -> tuple[str, str] | None:
    """(the argument name as written, lowercased) that ``found`` reads, in the right scope."""
    index = call_data_key(found, "args")
    name = segment(found.ref, index) if index is not None else None
    return (str(found.ref.static_path[index]), name) if index is not None and name else None


def _problem(fn: Function, written: str, span: Span, what: str) -> Diagnostic:
    guess = did_you_mean(written, fn.params.values())
    declared = ", ".join(f"'{p}'" for p in fn.params.values()) or "none"
    return CODE.at(
        span,
        f"function '{fn.name}' declares no parameter '{written}': {what}",
        help=did_you_mean_help(
            guess, f"declare it under parameters.properties (declared: {declared})"),
    )


def check(model: AgentModel) -> Iterator[Diagnostic]:
    for fn, found in model.function_refs():
        arg = _arg(found)
        if arg is None or arg[1] in fn.params:
            continue
        yield _problem(fn, arg[0], model.ref_span(found.text, found.ref),
                       f"'{found.ref.raw}' expands to an empty string")
    for fn in model.symbols.functions:
        if "use" in fn.node:
            continue
        for _, hook in webhooks(fn.node):
            required = hook.get("require_args")
            if isinstance(required, str) and required.lower() not in fn.params:
                yield _problem(fn, required, hook.value_span("require_args"),
                               "this webhook never runs")
            elif isinstance(required, Seq):
                for i, name in enumerate(required):
                    if isinstance(name, str) and name.lower() not in fn.params:
                        yield _problem(fn, name, required.item_span(i), "this webhook never runs")

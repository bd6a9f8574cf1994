"""A data_map reads a ``meta_data`` key the function never has.

## What it does
Checks ``${meta_data.key}`` (call data) and ``${input.meta_data.key}`` (a webhook's foreach,
expressions and output) inside a function's ``data_map`` against the keys of that function's
``meta_data``, the ``meta_data`` of functions that share its ``meta_data_token``, and the keys
any of them sets with a ``set_meta_data`` action. When one of those functions is answered by a
server swmlc cannot see, only names that look like a typo of a known key are reported.

## Why
meta_data is scoped to the function (or its token); a key nobody set expands to an empty string.

## Example (fails)
```yaml
functions:
  - function: temperature
    description: Current temperature
    meta_data: {unit_name: degrees Fahrenheit}
    data_map:
      output: {response: "It is 70 ${meta_data.units}."}
```

## Use instead (passes)
```yaml
functions:
  - function: temperature
    description: Current temperature
    meta_data: {unit_name: degrees Fahrenheit}
    data_map:
      output: {response: "It is 70 ${meta_data.unit_name}."}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.strings import call_data_key, segment
from compiler.analysis.symbols import Function, action_keys
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.tree import Map
from compiler.lints._common import did_you_mean_help, typo_of
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC405", "unknown-meta-data", Severity.ERROR,
    "A data_map reads ${meta_data.key} for a key that neither the function's meta_data (or its "
    "meta_data_token's) holds nor any set_meta_data action sets.",
)


def _scope(fn: Function, functions: tuple[Function, ...]) -> list[Function]:
    """The functions sharing ``fn``'s meta_data: same meta_data_token, else only ``fn``."""
    token = fn.node.get("meta_data_token")
    if not isinstance(token, str):
        return [fn]
    return [f for f in functions if f.node.get("meta_data_token") == token]


def _known(sharing: list[Function]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for fn in sharing:
        data = fn.node.get("meta_data")
        if isinstance(data, Map):
            keys.update({str(k).lower(): str(k) for k in data})
        keys.update({k.lower(): k for k in action_keys(fn.node, "set_meta_data")})
    return keys


def check(model: AgentModel) -> Iterator[Diagnostic]:
    functions = model.symbols.functions
    for fn, found in model.function_refs():
        index = call_data_key(found, "meta_data")
        key = segment(found.ref, index) if index is not None else None
        if index is None or key is None:
            continue
        sharing = _scope(fn, functions)
        known = _known(sharing)
        if key in known:
            continue
        written = str(found.ref.static_path[index])
        # A webhook swmlc cannot see may set any key: then only a near-certain typo is reported.
        report, guess = typo_of(written, known.values(), external=any(f.external for f in sharing))
        if not report:
            continue
        yield CODE.at(
            model.ref_span(found.text, found.ref),
            f"'{found.ref.raw}' names no meta_data key of function '{fn.name}': "
            "it expands to an empty string",
            help=did_you_mean_help(guess, f"add '{written}' under the function's meta_data"),
        )

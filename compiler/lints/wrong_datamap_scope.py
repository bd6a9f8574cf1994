"""A data_map reference that reads nothing where it is written: the wrong DataMap scope.

## What it does
A data_map expands templates in two scopes. The top-level ``expressions`` and ``output``, and a
webhook's ``url``, ``params`` and ``headers``, read the *call data* (``args``, ``global_data``,
``meta_data``, call details). A webhook's ``foreach``, ``expressions`` and ``output`` read its
*response*: the response's fields at the root, with the call data under ``input``. This rule
reports roots that always read nothing in their scope:

- ``${args.x}`` / ``${meta_data.x}`` in a webhook's foreach, expressions or output (fix:
  ``${input.args.x}``);
- ``${response.x}`` there (the response has no ``response.`` prefix; fix: ``${x}``);
- ``${input.x}`` in the call data, where no webhook has answered yet (fix: ``${x}``);
- ``${prompt_vars.x}`` in the top-level expressions or a webhook request (fix: ``${x}``);
- ``${this.x}`` anywhere but a foreach's ``append``.

## Why
A path that does not resolve expands to an empty string, silently. ``${args.city}`` in a
webhook's output is the classic: the caller hears "the weather in  is sunny".

## Example (fails)
```yaml
functions:
  - function: get_weather
    description: Weather for a city
    parameters: {type: object, properties: {city: {type: string}}}
    data_map:
      webhooks:
        - url: https://wttr.in/${enc:args.city}?format=j1
          output: {response: "In ${args.city} it is ${temp} degrees."}
```

## Use instead (passes)
```yaml
functions:
  - function: get_weather
    description: Weather for a city
    parameters: {type: object, properties: {city: {type: string}}}
    data_map:
      webhooks:
        - url: https://wttr.in/${enc:args.city}?format=j1
          output: {response: "In ${input.args.city} it is ${temp} degrees."}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.strings import FIELD_NAMES, Ref, Text, path_start
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.lints._common import fix_at
from compiler.lints._doc import rule_code
from compiler.signalwire.native import SCOPE_OF
from compiler.signalwire.runtime_refs import RuntimeRef

CODE = rule_code(
    __doc__, "SWC403", "wrong-datamap-scope", Severity.ERROR,
    "A data_map reference reads nothing in its scope, such as ${args.x} in a webhook's output "
    "(the call data sits under input there: ${input.args.x}).",
)

# Roots reported in the response scope. Call-detail names (`function`, `local_time`, ...) are
# left out on purpose: a response field of the same name is common and would resolve.
_RESPONSE_ROOTS = frozenset({"args", "meta_data", "response", "this"})
_CALL_ROOTS = frozenset({"input", "this", "prompt_vars"})
_WHERE = {"call_data": "in the call data", "webhook_response": "in a webhook's response scope"}


def _replacement(ref: RuntimeRef, prefix: str | None) -> str | None:
    """``ref.raw`` with its root replaced by ``prefix`` ("" drops the root), if that is sound."""
    if prefix is None or not ref.path or not isinstance(ref.path[0], str):
        return None
    start = path_start(ref)
    root = ref.path[0]
    if not ref.raw.startswith(root, start):
        return None
    rest = ref.raw[start + len(root):]
    if prefix:
        return ref.raw[:start] + prefix + rest
    return ref.raw[:start] + rest[1:] if rest.startswith(".") else None


def _wrong(found: Ref) -> tuple[bool, str | None]:
    """(reads nothing here, the prefix to write instead)."""
    place, root = found.place, found.ref.root
    if place.field is None or root is None:
        return False, None
    scope = SCOPE_OF[place.field]
    if root == "this":
        return not place.in_append, None
    if root == "input" and scope.name == "call_data":
        return True, ""  # `${input.args.x}` outside a webhook's response means `${args.x}`
    roots = _RESPONSE_ROOTS if scope.name == "webhook_response" else _CALL_ROOTS
    if root not in roots or not scope.reads_nothing(root):
        return False, None
    return True, scope.fix_for(root)


def _fixed_text(text: Text, refs: list[tuple[Ref, str | None]]) -> str | None:
    """The string with every fixable wrong reference rewritten; None if none can be."""
    value, changed = text.value, False
    for found, prefix in sorted(refs, key=lambda r: -r[0].ref.start):
        new = _replacement(found.ref, prefix)
        if new is not None and not found.ref.nested:
            value = value[: found.ref.start] + new + value[found.ref.end:]
            changed = True
    return value if changed else None


def check(model: AgentModel) -> Iterator[Diagnostic]:
    by_text: dict[tuple[str | int, ...], list[tuple[Ref, str | None]]] = {}
    for found in model.refs:
        wrong, prefix = _wrong(found)
        if wrong:
            by_text.setdefault(found.text.path, []).append((found, prefix))
    for entries in by_text.values():
        text = entries[0][0].text
        fixed = _fixed_text(text, entries)
        for found, prefix in entries:
            ref, field = found.ref, found.place.field
            assert field is not None
            new = _replacement(ref, prefix)
            if ref.root == "this":
                why, help_ = "${this} exists only inside a foreach's append", None
            else:
                why = f"'{ref.root}' reads nothing {_WHERE[SCOPE_OF[field].name]}"
                help_ = f"write '{new}'" if new else None
            fix = None
            if new is not None and fixed is not None and not ref.nested:
                fix = fix_at(model, text.path, text.span, f"write '{new}'", "set", fixed,
                             safe=True)
            yield CODE.at(
                model.ref_span(text, ref),
                f"'{ref.raw}' in {FIELD_NAMES[field]} expands to an empty string: {why}",
                help=help_, fix=fix,
            )

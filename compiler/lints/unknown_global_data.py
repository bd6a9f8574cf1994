"""A ``${global_data.key}`` that names a key nothing in the agent defines or sets.

## What it does
Checks every runtime reference to ``global_data`` (``${global_data.plan}``,
``%{global_data.plan}``, and ``${input.global_data.plan}`` inside a webhook's output) in prompt
text, POM sections, post_prompt, steps, function descriptions and data_map outputs. The key must
be under ``global_data:`` or be written by a ``set_global_data`` action of some function.

When a function is answered by a server swmlc cannot see (a ``web_hook_url``, ``webhook:``,
``swaig_defaults``, or ``swaig_includes``), that server may set keys at run time, so only names
that look like a typo of a known key are reported.

## Why
The platform expands a path that does not resolve to an empty string, silently: the caller hears
"you are on the  plan".

## Example (fails)
```yaml
prompt:
  text: The caller is on the ${global_data.plna} plan.
global_data: {plan: basic}
```

## Use instead (passes)
```yaml
prompt:
  text: The caller is on the ${global_data.plan} plan.
global_data: {plan: basic}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.strings import Ref, segment
from compiler.core.diagnostics import Diagnostic, Label, Severity
from compiler.lints._common import did_you_mean_help, typo_of
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC401", "unknown-global-data", Severity.ERROR,
    "A ${global_data.key} reference names a key that global_data does not hold and no "
    "set_global_data action sets, so it expands to an empty string.",
)


def _key(found: Ref) -> str | None:
    """The global_data key ``found`` reads, if it reads one."""
    ref = found.ref
    if ref.root == "global_data":
        return segment(ref, 1)
    if ref.root == "input" and segment(ref, 1) == "global_data":
        return segment(ref, 2)
    return None


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    table = model.symbols
    known = table.global_data
    labels = (Label(tree.key_span("global_data"), "global_data is defined here"),) \
        if "global_data" in tree else ()
    for found in model.refs:
        key = _key(found)
        if key is None or key in known:
            continue
        written = str(found.ref.static_path[1 if found.ref.root == "global_data" else 2])
        # A webhook swmlc cannot see may set any key: then only a near-certain typo is reported.
        report, guess = typo_of(written, known.values(), external=table.external)
        if not report:
            continue
        yield CODE.at(
            model.ref_span(found.text, found.ref),
            f"'{found.ref.raw}' names no global_data key: it expands to an empty string",
            labels=labels,
            help=did_you_mean_help(guess, f"add '{written}' under global_data, or set it with a "
                                   "set_global_data action"),
        )

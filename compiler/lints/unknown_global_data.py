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

from compiler.context import Context
from compiler.diagnostics import Code, Diagnostic, Label, Severity
from compiler.refs import TYPO, Ref, ref_span, runtime_refs, segment, symbols
from compiler.suggest import did_you_mean
from compiler.tree import Map

CODE = Code(
    "SWC401", "unknown-global-data", Severity.ERROR,
    "A ${global_data.key} reference names a key that global_data does not hold and no "
    "set_global_data action sets, so it expands to an empty string.",
    "prompt:\n  text: The caller is on the ${global_data.plna} plan.\nglobal_data: {plan: basic}\n",
    "prompt:\n  text: The caller is on the ${global_data.plan} plan.\nglobal_data: {plan: basic}\n",
)


def _key(found: Ref) -> str | None:
    """The global_data key ``found`` reads, if it reads one."""
    ref = found.ref
    if ref.root == "global_data":
        return segment(ref, 1)
    if ref.root == "input" and segment(ref, 1) == "global_data":
        return segment(ref, 2)
    return None


def check(tree: Map, ctx: Context) -> Iterator[Diagnostic]:
    table = symbols(tree, ctx)
    known = table.global_data
    labels = (Label(tree.key_span("global_data"), "global_data is defined here"),) \
        if "global_data" in tree else ()
    for found in runtime_refs(tree, ctx):
        key = _key(found)
        if key is None or key in known:
            continue
        written = str(found.ref.static_path[1 if found.ref.root == "global_data" else 2])
        # A webhook swmlc cannot see may set any key: then only a near-certain typo is reported.
        guess = did_you_mean(written, known.values(), cutoff=TYPO if table.external else 0.6)
        if table.external and guess is None:
            continue
        if guess is not None:
            help_ = f"did you mean '{guess}'?"
        else:
            help_ = f"add '{written}' under global_data, or set it with a set_global_data action"
        yield CODE.at(
            ref_span(ctx, found.text, found.ref),
            f"'{found.ref.raw}' names no global_data key: it expands to an empty string",
            labels=labels,
            help=help_,
        )

"""A runtime template uses a helper or function the platform does not have.

## What it does
Reports ``${helper:path}`` prefixes other than ``enc``, ``lc`` and ``fmt_ph``, and
``@{function ...}`` calls other than strftime_tz, fmt_ph, expr, echo, separate and sleep, in
every runtime string of the agent (not the SWML verbs around ``ai``).

## Why
An unknown prefix is not a helper but part of the path: ``${enc:url:args.q}``, copied from
SignalWire's own reference, reads the path ``url:args.q`` and expands to nothing.

## Example (fails)
```yaml
functions:
  - function: search
    description: Search the catalogue
    parameters: {type: object, properties: {q: {type: string}}}
    data_map:
      webhooks:
        - url: https://api.example.com/search?q=${enc:url:args.q}
          output: {response: "${summary}"}
```

## Use instead (passes)
```yaml
functions:
  - function: search
    description: Search the catalogue
    parameters: {type: object, properties: {q: {type: string}}}
    data_map:
      webhooks:
        - url: https://api.example.com/search?q=${enc:args.q}
          output: {response: "${summary}"}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.strings import Ref, path_start
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.suggest import did_you_mean
from compiler.lints._common import did_you_mean_help, fix_at
from compiler.lints._doc import rule_code
from compiler.signalwire.runtime_refs import KNOWN_FUNCTIONS, KNOWN_HELPERS

CODE = rule_code(
    __doc__, "SWC406", "unknown-template-helper", Severity.ERROR,
    "A runtime template uses a helper (${enc:...}, ${lc:...}, ${fmt_ph:...}) or an @{function} "
    "the platform does not have; ${enc:url:args.q} expands to nothing.",
)


def _helper_fix(found: Ref, helper: str, guess: str | None) -> str | None:
    """The text with the unknown helper replaced by ``guess`` or dropped."""
    ref = found.ref
    start = path_start(ref)
    if ref.nested or not ref.raw.startswith(helper + ":", start):
        return None
    raw = ref.raw[:start] + (guess + ":" if guess else "") + ref.raw[start + len(helper) + 1:]
    return found.text.value[: ref.start] + raw + found.text.value[ref.end:]


def check(model: AgentModel) -> Iterator[Diagnostic]:
    for found in model.refs:
        ref = found.ref
        if ref.unknown_helper is not None:
            helper = ref.unknown_helper
            guess = did_you_mean(helper, KNOWN_HELPERS)
            fixed = _helper_fix(found, helper, guess)
            action = f"write '{guess}'" if guess else f"drop '{helper}:'"
            yield CODE.at(
                model.ref_span(found.text, ref),
                f"'{helper}' is not a runtime helper: '{ref.raw}' reads the path "
                f"'{ref.inner[path_start(ref) - 2:]}' and expands to nothing",
                help=f"{action} (the helpers are enc, lc and fmt_ph)",
                fix=fix_at(model, found.text.path, found.text.span, action, "set", fixed,
                           safe=False) if fixed is not None else None,
            )
        elif ref.is_function and ref.function and not ref.known_function:
            guess = did_you_mean(ref.function, KNOWN_FUNCTIONS)
            yield CODE.at(
                model.ref_span(found.text, ref),
                f"'@{{{ref.function}}}' is not a template function the platform has",
                help=did_you_mean_help(
                    guess, "the functions are " + ", ".join(sorted(KNOWN_FUNCTIONS))),
            )

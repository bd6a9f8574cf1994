"""A step's ``functions`` names a function the agent does not have.

## What it does
Checks every name in a step's ``functions`` against the agent's own functions, the functions
its ``swaig_includes`` fetch, the native functions it enables in ``native_functions``, and the
platform's internal functions (``next_step``, ``change_context``, ...).

## Why
A step exposes only the functions it names. A misspelt name silently takes the function away
from the AI in that step; a native function not enabled in ``native_functions`` is not there.

## Example (fails)
```yaml
prompt:
  text: You book appointments.
  contexts:
    default:
      steps:
        - {name: book, text: Book a time., functions: [book_apointment]}
functions:
  - {function: book_appointment, description: Book the slot, web_hook_url: "https://x.example/book"}
```

## Use instead (passes)
```yaml
prompt:
  text: You book appointments.
  contexts:
    default:
      steps:
        - {name: book, text: Book a time., functions: [book_appointment]}
functions:
  - {function: book_appointment, description: Book the slot, web_hook_url: "https://x.example/book"}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.symbols import Symbols, step_entries, steps
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.suggest import did_you_mean
from compiler.lints._common import did_you_mean_help
from compiler.lints._doc import rule_code
from compiler.signalwire.native import INTERNAL_FILLER_NAMES, NATIVE_FUNCTIONS

CODE = rule_code(
    __doc__, "SWC410", "unknown-step-function", Severity.ERROR,
    "A step's functions list names a function that is neither defined, included through "
    "swaig_includes, nor an enabled native function.",
)

# Functions the platform adds itself (the internal fillers' names), minus the natives, which
# must be enabled first.
_INTERNAL = frozenset(INTERNAL_FILLER_NAMES) - frozenset(NATIVE_FUNCTIONS)


def check(model: AgentModel) -> Iterator[Diagnostic]:
    table = model.symbols
    if any(fn.name is None for fn in table.functions):
        return  # a `use:` entry not yet resolved: its name is not known
    defined = [fn.name for fn in table.functions if fn.name] + list(table.included)
    known = {*defined, *table.native, *_INTERNAL}
    for _, step, name, span in step_entries(table.contexts, "functions"):
        if name in known:
            continue
        if name in NATIVE_FUNCTIONS:
            message = f"step '{step.name}' uses the native function '{name}', " \
                "which native_functions does not enable"
            help_: str | None = f"add '{name}' to native_functions"
        else:
            message = f"step '{step.name}' uses '{name}', which is not a function of this agent"
            help_ = _help(name, [*defined, *table.native], table)
        yield CODE.at(span, message, help=help_)


def _help(name: str, functions: list[str], table: Symbols) -> str | None:
    """A step or a context named where a function belongs is a mix-up, not a misspelling: say
    where that name goes rather than guess a function."""
    if name in {step.name for _, step in steps(table.contexts)}:
        return f"'{name}' is a step: use valid_steps"
    if name in table.contexts:
        return f"'{name}' is a context: use valid_contexts"
    return did_you_mean_help(did_you_mean(name, functions),
                             "define it under functions, or list it in swaig_includes")

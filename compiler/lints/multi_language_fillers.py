"""A fillers object holding more than one language.

## What it does
Checks function ``fillers``, ``internal_fillers`` entries and contexts' ``enter_fillers`` /
``exit_fillers``: each fillers object must hold exactly one language key (``en-US``, ``default``,
...). In a list (``enter_fillers``), the fix splits the object into one object per language.

## Why
The official schema refuses an object with two language keys (its FunctionFillers is a oneOf
of single-key objects), so the document would not load, although SignalWire's prose examples
look like it should.

## Example (fails)
```yaml
prompt:
  text: You book appointments.
  contexts:
    default:
      enter_fillers:
        - {en-US: [One moment.], es: [Un momento.]}
      steps:
        - {name: book, text: Offer a time.}
```

## Use instead (passes)
```yaml
prompt:
  text: You book appointments.
  contexts:
    default:
      enter_fillers:
        - {en-US: [One moment.]}
        - {es: [Un momento.]}
      steps:
        - {name: book, text: Offer a time.}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.analysis.model import AgentModel
from compiler.analysis.strings import Path
from compiler.core.diagnostics import Diagnostic, Severity
from compiler.core.tree import Map, Seq, to_plain
from compiler.lints._common import fix_at
from compiler.lints._doc import rule_code

CODE = rule_code(
    __doc__, "SWC417", "multi-language-fillers", Severity.ERROR,
    "A fillers object holds more than one language; the official schema takes one language per "
    "object (several objects in enter_fillers / exit_fillers).",
)


def _single(tree: Map) -> Iterator[tuple[str, Map]]:
    """(what, fillers object) for the places that take exactly one object."""
    functions = tree.get("functions")
    for fn in functions if isinstance(functions, Seq) else ():
        if isinstance(fn, Map) and isinstance(fn.get("fillers"), Map):
            yield f"function '{fn.get('function', '?')}' fillers", fn["fillers"]
    internal = tree.get("internal_fillers")
    for name, fillers in internal.items() if isinstance(internal, Map) else ():
        if isinstance(fillers, Map):
            yield f"internal_fillers.{name}", fillers


def _lists(tree: Map) -> Iterator[tuple[str, Seq, Path]]:
    """(what, list of fillers objects, its path) for enter_fillers / exit_fillers."""
    prompt = tree.get("prompt")
    contexts = prompt.get("contexts") if isinstance(prompt, Map) else None
    for name, context in contexts.items() if isinstance(contexts, Map) else ():
        for key in ("enter_fillers", "exit_fillers"):
            fillers = context.get(key) if isinstance(context, Map) else None
            if isinstance(fillers, Seq):
                yield f"context '{name}' {key}", fillers, ("prompt", "contexts", name, key)


def _message(what: str, fillers: Map) -> str:
    names = ", ".join(f"'{k}'" for k in fillers)
    return f"{what} hold {len(fillers)} languages ({names}); a fillers object holds one"


def check(model: AgentModel) -> Iterator[Diagnostic]:
    tree = model.tree
    for what, fillers in _single(tree):
        if len(fillers) > 1:
            yield CODE.at(
                fillers.key_span(list(fillers)[1]), _message(what, fillers),
                help="keep one language here; per-language phrases belong in "
                "languages[].function_fillers",
            )
    for what, objects, path in _lists(tree):
        if not any(isinstance(o, Map) and len(o) > 1 for o in objects):
            continue
        split = [{k: to_plain(v)} for o in objects if isinstance(o, Map) for k, v in o.items()]
        fix = fix_at(model, path, objects.span, "one object per language", "set", split,
                     safe=True) if all(isinstance(o, Map) for o in objects) else None
        for fillers in objects:
            if isinstance(fillers, Map) and len(fillers) > 1:
                yield CODE.at(
                    fillers.key_span(list(fillers)[1]), _message(what, fillers),
                    help="write one object per language: " + ", ".join(
                        f"{{{k}: [...]}}" for k in fillers),
                    fix=fix,
                )

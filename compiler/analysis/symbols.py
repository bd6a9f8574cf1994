"""The agent's symbol table: which functions exist and which parameters they declare, which
global_data keys anything sets, which steps each context has.

Several static checks ask these questions of one definition; answering them once here (like
sqlglot's ``scope.py``) keeps each rule to its own judgement, and keeps the rules agreeing with
one another on what, say, "a function's parameters" means. Nothing here reports: it only
describes the tree. Names are compared without regard to case, because the platform matches
template paths that way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from compiler.core.tree import Map, Seq, Span


@dataclass(frozen=True, slots=True)
class Function:
    """A SWAIG function as the checks see it.

    ``params`` maps each declared parameter, lowercased, to its name as written. ``external`` is
    true when a server swmlc cannot see answers for it (no data_map, or a ``use:`` entry not yet
    resolved): its responses may set global_data, meta_data or steps in ways no check can know.
    """

    name: str | None
    index: int
    node: Map
    params: Mapping[str, str]
    external: bool


@dataclass(frozen=True, slots=True)
class Step:
    """A named step. ``node`` is a Map (with spans) in a definition, a plain dict in a compiled
    document; the checks, which only see definitions, read spans through :attr:`map`."""

    name: str
    index: int
    node: Mapping[str, Any]

    @property
    def map(self) -> Map:
        if not isinstance(self.node, Map):
            raise TypeError(f"step '{self.name}' comes from a document without positions")
        return self.node


@dataclass(frozen=True, slots=True)
class ContextDef:
    name: str
    node: Mapping[str, Any]
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Symbols:
    functions: tuple[Function, ...]
    native: tuple[str, ...]
    included: Mapping[str, Span]
    global_data: Mapping[str, str]
    contexts: Mapping[str, ContextDef]
    external: bool

    def function(self, name: str) -> Function | None:
        return next((f for f in self.functions if f.name == name), None)


def build_symbols(tree: Map) -> Symbols:
    """The symbol table of ``tree`` (:class:`compiler.analysis.model.AgentModel` keeps it)."""
    functions: list[Function] = []
    raw = tree.get("functions")
    for index, fn in enumerate(raw if isinstance(raw, Seq) else ()):
        if not isinstance(fn, Map):
            continue
        name = fn.get("function")
        use = fn.get("use")
        if not isinstance(name, str) and isinstance(use, str) and "#" in use:
            name = use.rsplit("#", 1)[1]  # `use: lib.yaml#name`, before composition resolves it
        schema = fn.get("parameters", fn.get("argument"))
        props = schema.get("properties") if isinstance(schema, Map) else None
        params = {str(k).lower(): str(k) for k in props} if isinstance(props, Map) else {}
        external = not isinstance(fn.get("data_map"), Map) or "use" in fn
        functions.append(
            Function(name if isinstance(name, str) else None, index, fn, params, external)
        )
    included: dict[str, Span] = {}
    includes = tree.get("swaig_includes")
    for inc in includes if isinstance(includes, Seq) else ():
        names = inc.get("functions") if isinstance(inc, Map) else None
        if isinstance(names, Seq):
            for i, name in enumerate(names):
                if isinstance(name, str):
                    included.setdefault(name, names.item_span(i))
    native = tree.get("native_functions")
    keys: dict[str, str] = {}
    data = tree.get("global_data")
    if isinstance(data, Map):
        keys.update({str(k).lower(): str(k) for k in data})
    for fn in functions:
        for key in action_keys(fn.node, "set_global_data"):
            keys.setdefault(key.lower(), key)
    return Symbols(
        functions=tuple(functions),
        native=tuple(n for n in native if isinstance(n, str)) if isinstance(native, Seq) else (),
        included=included,
        global_data=keys,
        contexts=_contexts(tree),
        external=bool(included) or any(f.external for f in functions),
    )


def _contexts(tree: Map) -> dict[str, ContextDef]:
    prompt = tree.get("prompt")
    return contexts_of(prompt) if isinstance(prompt, Mapping) else {}


def contexts_of(prompt: Mapping[str, Any]) -> dict[str, ContextDef]:
    """The contexts of a prompt (a definition's ``prompt``, or a compiled document's
    ``ai.prompt``: the same shape), with their named steps in document order."""
    contexts = prompt.get("contexts")
    out: dict[str, ContextDef] = {}
    for name, node in contexts.items() if isinstance(contexts, Mapping) else ():
        if not isinstance(node, Mapping):
            continue
        raw = node.get("steps")
        steps = tuple(
            Step(step["name"], i, step)
            for i, step in enumerate(raw if isinstance(raw, list) else ())
            if isinstance(step, Mapping) and isinstance(step.get("name"), str)
        )
        out[str(name)] = ContextDef(str(name), node, steps)
    return out


def steps(contexts: Mapping[str, ContextDef]) -> Iterator[tuple[ContextDef, Step]]:
    """Every named step of every context, with its context, in document order."""
    for context in contexts.values():
        for step in context.steps:
            yield context, step


def step_entries(
    contexts: Mapping[str, ContextDef], key: str
) -> Iterator[tuple[ContextDef, Step, str, Span]]:
    """(context, step, name, its span) for every string in the list ``key`` of every step
    (``valid_steps``, ``valid_contexts``, ``functions``), in document order."""
    for context, step in steps(contexts):
        entries = step.node.get(key)
        if not isinstance(entries, Seq):
            continue
        for i, entry in enumerate(entries):
            if isinstance(entry, str):
                yield context, step, entry, entries.item_span(i)


def webhooks(fn: Map) -> Iterator[tuple[int, Map]]:
    """(index, webhook) for every webhook of the function ``fn``'s data_map."""
    data_map = fn.get("data_map")
    hooks = data_map.get("webhooks") if isinstance(data_map, Map) else None
    for index, hook in enumerate(hooks if isinstance(hooks, Seq) else ()):
        if isinstance(hook, Map):
            yield index, hook


def action_keys(node: Any, action: str) -> Iterator[str]:
    """Keys written by every ``{action: {key: value}}`` (``set_global_data``) under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == action and isinstance(value, dict):
                yield from (str(k) for k in value)
            else:
                yield from action_keys(value, action)
    elif isinstance(node, list):
        for item in node:
            yield from action_keys(item, action)


def action_values(node: Any, action: str) -> Iterator[str]:
    """Every string value of an ``{action: value}`` (``change_step: confirm``) under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == action and isinstance(value, str):
                yield value
            else:
                yield from action_values(value, action)
    elif isinstance(node, list):
        for item in node:
            yield from action_values(item, action)

"""The steps, contexts and functions a SWAIG reply's actions name, checked against the agent.

A ``change_step``, ``change_context`` or ``toggle_functions`` naming something the agent does not
have fails silently during the call (PLATFORM.md, "SWAIG replies and actions"). A reply is
written in a DataMap (the function's ``output``, an expression's ``output`` or
``nomatch-output``, a webhook's) or, for a function a server answers, declared in a test file
(``swmlc test``); both are checked by :func:`reply_problems`, which takes the reply as a plain or
positioned mapping and says each problem with its path inside the reply, for the caller to
place. The lint SWC423 (:mod:`compiler.lints.unknown_action_target`) calls it for every DataMap
reply of every function.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from compiler.analysis.symbols import ContextDef, Symbols, build_symbols, steps
from compiler.core.suggest import did_you_mean
from compiler.core.tree import NO_SPAN, Map, Seq
from compiler.signalwire.actions import targets
from compiler.signalwire.native import INTERNAL_FILLER_NAMES, NATIVE_FUNCTIONS

Path = tuple[str | int, ...]

#: The keys of a DataMap that hold a reply, in a data_map, an expression or a webhook.
REPLY_KEYS = ("output", "nomatch-output")


@dataclass(frozen=True, slots=True)
class ActionProblem:
    """One action naming what the agent does not have: ``path`` leads from the reply to the
    name (``("action", 0, "change_step")``)."""

    kind: str
    name: str
    path: Path
    message: str
    help: str | None


def reply_problems(reply: Any, symbols: Symbols, function: str | None) -> list[ActionProblem]:
    """What is wrong with the steps, contexts and functions ``reply``'s actions name, for a
    reply of ``function`` (None: a reply whose function is not known).

    This is the check ``swmlc test`` runs on a webhook reply a test declares.

    Example:
        >>> from compiler.analysis.symbols import build_symbols
        >>> from compiler.source.yaml_reader import read_yaml
        >>> agent = read_yaml('''
        ... prompt:
        ...   text: Hi
        ...   contexts:
        ...     default: {steps: [{name: greet, text: Hi}, {name: finish, text: Bye}]}
        ... functions: [{function: route, description: Route}]
        ... ''', "a.yaml").value
        >>> for p in reply_problems({"response": "ok", "action": [
        ...         {"change_step": "finsh"}, {"toggle_functions": [{"function": "rout"}]}]},
        ...         build_symbols(agent), "route"):
        ...     print(p.path, p.help)
        ('action', 0, 'change_step') did you mean 'finish'?
        ('action', 1, 'toggle_functions', 0, 'function') did you mean 'route'?
    """
    out: list[ActionProblem] = []
    found = list(targets(reply))
    # a reply that changes the context may name a step of the new one (the platform's order of
    # the two is not documented: a step of either is taken, so nothing right is refused)
    entered = tuple(symbols.contexts[t.name] for t in found
                    if t.kind == "context" and t.name in symbols.contexts)
    for target in found:
        if "${" in target.name or "%{" in target.name:
            continue  # set at run time: nothing to check now
        if target.kind == "step":
            said = _step(target.name, symbols, function, entered)
        else:
            said = (_context if target.kind == "context" else _function)(
                target.name, symbols, function)
        if said is not None:
            out.append(ActionProblem(target.kind, target.name, target.path, *said))
    return out


def _who(function: str | None) -> str:
    return f"function '{function}'" if function else "this reply"


def _contexts_running(symbols: Symbols, function: str | None) -> list[ContextDef]:
    """The contexts in which ``function`` may be called: those with a step that lists it, or
    that lists no functions (every function is offered there)."""
    found = []
    for context in symbols.contexts.values():
        for step in context.steps:
            names = step.node.get("functions")
            if function is None or not isinstance(names, Seq) or function in names:
                found.append(context)
                break
    return found


def _step(name: str, symbols: Symbols, function: str | None,
          entered: tuple[ContextDef, ...] = ()) -> tuple[str, str | None] | None:
    if name == "next":
        return None
    who = _who(function)
    if not symbols.contexts:
        return (f"{who} changes to step '{name}', but the prompt has no steps",
                "steps are defined under prompt.contexts.<context>.steps")
    running = _contexts_running(symbols, function) or list(symbols.contexts.values())
    names = {c.name for c in running}
    running += [c for c in entered if c.name not in names]
    own = [step.name for context in running for step in context.steps]
    if name in own:
        return None
    where = running[0].name if len(running) == 1 else None
    message = f"{who} changes to step '{name}', which " + (
        f"context '{where}' does not have" if where else
        f"no context it runs in ({', '.join(c.name for c in running)}) has")
    elsewhere = [c.name for c, s in steps(symbols.contexts) if s.name == name]
    guess = did_you_mean(name, own)
    if guess:
        return message, f"did you mean '{guess}'?"
    if elsewhere:
        return message, (f"'{name}' is a step of context '{elsewhere[0]}': change to that "
                         f"context first (change_context: {elsewhere[0]})")
    return message, "the steps are " + ", ".join(own)


def _context(name: str, symbols: Symbols, function: str | None) -> tuple[str, str | None] | None:
    if name in symbols.contexts:
        return None
    who = _who(function)
    if not symbols.contexts:
        return (f"{who} changes to context '{name}', but the prompt has no contexts",
                "contexts are defined under prompt.contexts")
    guess = did_you_mean(name, symbols.contexts)
    steps_named = [c.name for c, s in steps(symbols.contexts) if s.name == name]
    help_ = f"did you mean '{guess}'?" if guess else (
        f"'{name}' is a step of context '{steps_named[0]}': use change_step" if steps_named
        else "the contexts are " + ", ".join(symbols.contexts))
    return f"{who} changes to context '{name}', which prompt.contexts does not define", help_


#: Functions the platform adds itself, which a toggle may name (the natives only once enabled).
_INTERNAL = frozenset(INTERNAL_FILLER_NAMES) - frozenset(NATIVE_FUNCTIONS)


def _function(name: str, symbols: Symbols, function: str | None
              ) -> tuple[str, str | None] | None:
    if any(fn.name is None for fn in symbols.functions):
        return None  # a `use:` entry not yet resolved: its name is not known
    defined = [fn.name for fn in symbols.functions if fn.name] + list(symbols.included)
    if name in defined or name in symbols.native or name in _INTERNAL:
        return None
    guess = did_you_mean(name, [*defined, *symbols.native])
    step_names = {s.name for _, s in steps(symbols.contexts)}
    help_ = f"did you mean '{guess}'?" if guess else (
        f"'{name}' is a step: a step's functions are set by its functions list" if name in
        step_names else "define it under functions, or list it in swaig_includes")
    return f"{_who(function)} toggles '{name}', which is not a function of this agent", help_


def datamap_replies(fn: Mapping[str, Any]) -> Iterator[tuple[Path, Any]]:
    """(path from the function, reply) for every reply the function's data_map writes: its
    ``output``, each expression's ``output`` and ``nomatch-output``, and each webhook's. A
    definition's function (Map, with spans) or a compiled document's (plain dicts) alike."""
    data_map = fn.get("data_map")
    if not isinstance(data_map, Mapping):
        return
    yield from _replies_in(data_map, ("data_map",))
    hooks = data_map.get("webhooks")
    for i, hook in enumerate(hooks if isinstance(hooks, list) else ()):
        if isinstance(hook, Mapping):
            yield from _replies_in(hook, ("data_map", "webhooks", i))


def _replies_in(node: Mapping[str, Any], path: Path) -> Iterator[tuple[Path, Any]]:
    for key in REPLY_KEYS:
        if isinstance(node.get(key), Mapping):
            yield (*path, key), node[key]
    expressions = node.get("expressions")
    for i, expression in enumerate(expressions if isinstance(expressions, list) else ()):
        if isinstance(expression, Mapping):
            for key in REPLY_KEYS:
                if isinstance(expression.get(key), Mapping):
                    yield (*path, "expressions", i, key), expression[key]


def symbols_of_ai(ai: Any) -> Symbols:
    """The symbols of a compiled ai object (``swmlc test`` runs documents, not definitions):
    its prompt's contexts, and ``SWAIG``'s functions, includes and natives under the names a
    definition gives them.

    Example:
        >>> s = symbols_of_ai({"prompt": {"text": "Hi"}, "SWAIG": {
        ...     "functions": [{"function": "route"}], "native_functions": ["check_time"],
        ...     "includes": [{"url": "https://x.example", "functions": ["lookup"]}]}})
        >>> [f.name for f in s.functions], list(s.included), list(s.native)
        (['route'], ['lookup'], ['check_time'])
    """
    tree = _tree(ai) if isinstance(ai, dict) else Map()
    swaig = tree.get("SWAIG")
    definition = Map()
    if "prompt" in tree:
        definition.copy_entry(tree, "prompt")
    for key, name in (("functions", "functions"), ("includes", "swaig_includes"),
                      ("native_functions", "native_functions")):
        if isinstance(swaig, Map) and key in swaig:
            definition.copy_entry(swaig, key, name)
    return build_symbols(definition)


def _tree(value: Any) -> Any:
    """``value`` as positioned mappings and lists (positions kept where it has them)."""
    if isinstance(value, dict):
        out = Map(value.span if isinstance(value, Map) else NO_SPAN)
        for key, item in value.items():
            span = value.value_span(key) if isinstance(value, Map) else NO_SPAN
            out.put(str(key), _tree(item), span,
                    value.key_span(key) if isinstance(value, Map) else None)
        return out
    if isinstance(value, list):
        seq = Seq(value.span if isinstance(value, Seq) else NO_SPAN)
        for i, item in enumerate(value):
            seq.push(_tree(item), value.item_span(i) if isinstance(value, Seq) else NO_SPAN)
        return seq
    return value

"""The actions a SWAIG reply may carry, as the platform runs them.

A reply (a DataMap ``output``, an expression's ``output``, or a webhook's answer) is
``{response, action?}``; ``action`` is one object or a list of them, each keyed by the action's
name. The names below are the wire keys of signalwire-sdk's ``core/swaig_actions_generated.py``
(3.7.5, generated from the platform's mod_openai ``actions.c``) and SignalWire's SWML docs
(``_actions.mdx``). The official schema lists only some of them (its ``Action`` union), so a
document using another one fails the schema although the platform runs it: the schema's
messages must say so instead of guessing a misspelling.

Three actions name something of the agent, and fail silently during the call when it does not
exist: ``change_step`` (a step of the current context, or ``next``), ``change_context`` (a
context) and ``toggle_functions`` (``[{function, active}]``, functions of the agent).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Every action name the platform runs: the methods of signalwire-sdk's ``_SwaigActions``, and
#: ``SWML`` (a SWML document to run, written by the SDK's hand-made ``FunctionResult``).
PLATFORM_ACTIONS: frozenset[str] = frozenset({
    "SWML", "add_dynamic_hints", "back_to_back_functions", "change_context", "change_step",
    "clear_dynamic_hints", "context_switch", "end_of_speech_timeout", "extensive_data",
    "functions_on_speaker_timeout", "hangup", "hold", "playback_bg", "replace_in_history",
    "say", "set_global_data", "set_meta_data", "settings", "speech_event_timeout", "stop",
    "stop_playback_bg", "toggle_functions", "transfer", "unset_global_data", "unset_meta_data",
    "user_event", "user_input", "wait_for_user",
})


@dataclass(frozen=True, slots=True)
class Target:
    """One name an action points at: ``kind`` is ``step``, ``context`` or ``function``;
    ``path`` leads from the reply to the string (``("action", 0, "change_step")``)."""

    kind: str
    name: str
    path: tuple[str | int, ...]


def action_items(reply: Any) -> Iterator[tuple[tuple[str | int, ...], Mapping[str, Any]]]:
    """(path from the reply, action object) for each action of a reply: ``action`` may be one
    object or a list of them."""
    if not isinstance(reply, Mapping):
        return
    action = reply.get("action")
    if isinstance(action, Mapping):
        yield ("action",), action
    elif isinstance(action, Sequence) and not isinstance(action, str):
        for i, item in enumerate(action):
            if isinstance(item, Mapping):
                yield ("action", i), item


def targets(reply: Any) -> Iterator[Target]:
    """Every step, context and function a reply's actions name, in order.

    Example:
        >>> for t in targets({"response": "ok", "action": [
        ...         {"change_step": "confirm"}, {"toggle_functions": [{"function": "book"}]}]}):
        ...     print(t.kind, t.name, t.path)
        step confirm ('action', 0, 'change_step')
        function book ('action', 1, 'toggle_functions', 0, 'function')
    """
    for path, item in action_items(reply):
        step = item.get("change_step")
        if isinstance(step, str):
            yield Target("step", step, (*path, "change_step"))
        context = item.get("change_context")
        if isinstance(context, str):
            yield Target("context", context, (*path, "change_context"))
        toggles = item.get("toggle_functions")
        if isinstance(toggles, Sequence) and not isinstance(toggles, str):
            for i, toggle in enumerate(toggles):
                name = toggle.get("function") if isinstance(toggle, Mapping) else None
                if isinstance(name, str):
                    yield Target("function", name, (*path, "toggle_functions", i, "function"))

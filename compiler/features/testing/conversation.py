"""A call, simulated turn by turn: where the conversation is (context and step), what the call
holds (global_data, which functions are on), and what each function call does to it.

The model's moves follow the conversation graph (``compiler/analysis/flow.py``): it may go to
a step the current step's ``valid_steps`` allow (or the next one), switch to a context its
``valid_contexts`` allow, and call only the functions the step lists (all of them when it
lists none) that no ``toggle_functions`` turned off. A reply's actions change the call as the
platform changes it: ``set_global_data`` / ``unset_global_data``, ``change_step`` /
``change_context`` (to a step or context that exists; otherwise the platform ignores it),
``toggle_functions``, and ``hangup``, ``stop`` or a ``SWML`` transfer, which end the call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compiler.analysis.flow import Flow, StepId
from compiler.features.agents import AgentDoc

__all__ = ["Call", "Moved"]


@dataclass
class Moved:
    """Why a move or a call is refused, or None: said at the turn that asked for it."""

    problem: str | None = None
    help: str | None = None
    #: The move names a step or context the agent does not have: a mistake in the test file
    #: (SWC701), not a move the graph refuses, so ``expect: refused`` does not excuse it.
    unknown: bool = False


def _unknown(what: str, name: str, names: list[str]) -> Moved:
    from compiler.core.suggest import did_you_mean

    guess = did_you_mean(name, names)
    return Moved(what, f"did you mean '{guess}'?" if guess else
                 f"it has: {', '.join(names) or 'none'}", unknown=True)


@dataclass
class Call:
    agent: AgentDoc
    flow: Flow
    global_data: dict[str, Any]
    at: StepId | None = None
    inactive: set[str] = field(default_factory=set)
    ended: str | None = None
    visited: set[StepId] = field(default_factory=set)

    def __post_init__(self) -> None:
        for fn in self.agent.functions:
            if isinstance(fn, dict) and fn.get("active") is False:
                self.inactive.add(str(fn.get("function")))

    # -- where the call is ----------------------------------------------------------------

    @property
    def context(self) -> str | None:
        return self.at[0] if self.at is not None else None

    @property
    def step(self) -> Any:
        return self.flow.step(self.at).node if self.at is not None else None

    @property
    def step_name(self) -> str | None:
        return self.flow.step(self.at).name if self.at is not None else None

    def enter(self, at: StepId) -> None:
        self.at = at
        self.visited.add(at)

    def functions(self) -> list[str]:
        """The functions the model can call now, in the agent's order."""
        names = [str(f.get("function")) for f in self.agent.functions if isinstance(f, dict)]
        listed = self.step.get("functions") if isinstance(self.step, dict) else None
        if isinstance(listed, list):
            names = [n for n in names if n in listed]
        return [n for n in names if n not in self.inactive]

    # -- the model's moves ----------------------------------------------------------------

    def start(self, context: str | None, step: str | None) -> Moved:
        if context is None:
            if self.flow.start is not None:
                self.enter(self.flow.start)
            return Moved()
        if context not in self.flow.contexts or not self.flow.contexts[context].steps:
            return _unknown(f"the agent has no context '{context}' with steps", context,
                            [c for c, d in self.flow.contexts.items() if d.steps])
        at = self.flow.find(context, step) if step is not None else (context, 0)
        if at is None:
            names = [s.name for s in self.flow.contexts[context].steps]
            return _unknown(f"context '{context}' has no step '{step}'", str(step), names)
        self.enter(at)
        return Moved()

    def _no_steps(self) -> Moved | None:
        if self.ended is not None:
            return Moved(f"the call has ended ({self.ended})", "end the case here")
        if self.at is None:
            return Moved("the agent has no contexts and steps to move through")
        return None

    def move_step(self, name: str) -> Moved:
        refused = self._no_steps()
        if refused is not None or self.at is None:
            return refused or Moved()
        allowed = {self.flow.step(e.target).name: e.target for e in self.flow.out(self.at)
                   if e.kind in ("step", "next") and e.target[0] == self.at[0]}
        if name == "next":
            name = next((n for n, t in allowed.items() if t[1] == self.at[1] + 1), name)
        names = [st.name for st in self.flow.contexts[self.at[0]].steps]
        if name not in names and name != "next":
            return _unknown(f"context '{self.at[0]}' has no step '{name}'", name, names)
        if name not in allowed:
            return Moved(f"the model cannot move from step '{self.step_name}' to '{name}'",
                         "from here it can move to: " + (", ".join(allowed) or "no step"))
        self.enter(allowed[name])
        return Moved()

    def move_context(self, name: str) -> Moved:
        refused = self._no_steps()
        if refused is not None or self.at is None:
            return refused or Moved()
        allowed = [e.target[0] for e in self.flow.out(self.at) if e.kind == "context"]
        if name not in self.flow.contexts:
            return _unknown(f"the agent has no context '{name}'", name, list(self.flow.contexts))
        if name not in allowed:
            return Moved(f"step '{self.step_name}' cannot switch to context '{name}'",
                         "its valid_contexts: " + (", ".join(allowed) or "none"))
        self.enter((name, 0))
        return Moved()

    def may_call(self, function: str) -> Moved:
        if self.ended is not None:
            return Moved(f"the call has ended ({self.ended})", "end the case here")
        if function in self.functions():
            return Moved()
        if function in self.inactive:
            return Moved(f"'{function}' is turned off (active: false, or toggle_functions)")
        where = f"step '{self.step_name}'" if self.at is not None else "this agent"
        return Moved(f"'{function}' is not available in {where}",
                     "the model can call: " + (", ".join(self.functions()) or "nothing"))

    # -- what a reply does to the call ----------------------------------------------------

    def apply(self, reply: Any) -> list[str]:
        """Apply a reply's actions; returns notes for actions the platform ignores."""
        actions = reply.get("action") if isinstance(reply, dict) else None
        listed = actions if isinstance(actions, list) else [actions] if actions else []
        notes: list[str] = []
        for action in listed:
            if not isinstance(action, dict):
                continue
            if "SWML" in action and str(action.get("transfer")).lower() == "true":
                self.ended = "transferred by a SWML action"
            for key, value in action.items():
                notes += self._one(key, value)
        return notes

    def _one(self, key: str, value: Any) -> list[str]:
        if key == "set_global_data" and isinstance(value, dict):
            self.global_data.update(value)
        elif key == "unset_global_data":
            for name in value if isinstance(value, list) else [value]:
                self.global_data.pop(str(name), None)
        elif key == "toggle_functions" and isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and "function" in item:
                    name = str(item["function"])
                    (self.inactive.discard if item.get("active", True) in (True, "true")
                     else self.inactive.add)(name)
        elif key in ("hangup", "stop"):
            self.ended = key
        elif key in ("change_step", "change_context"):
            return self._jump(key, str(value))
        return []

    def _jump(self, key: str, name: str) -> list[str]:
        if key == "change_context":
            if name in self.flow.contexts and self.flow.contexts[name].steps:
                self.enter((name, 0))
                return []
            return [f"change_context '{name}': no such context, the platform ignores it"]
        found = self.flow.find(self.at[0], name) if self.at is not None else None
        if found is None:
            return [f"change_step '{name}': no such step here, the platform ignores it"]
        self.enter(found)
        return []

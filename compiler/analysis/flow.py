"""The conversation graph of an agent's contexts and steps: where a conversation starts, where
each step can lead, which steps a conversation can reach, and where it gets stuck.

A step leads to the steps its ``valid_steps`` name (``next`` is the following step), or to the
following step when it has no ``valid_steps`` and no ``end: true``; each of its
``valid_contexts`` leads to that context's first step. A data_map function whose output holds
a ``change_step`` or ``change_context`` action leads there too, from every step where the
function is available (a step's ``functions``, or every function when it lists none).

One analysis serves everything that asks these questions: the checks (unreachable steps,
SWC411; ``end`` beside ``valid_steps``, SWC412), ``swmlc graph`` and the graphs in ``swmlc diff
--format markdown``, and ``swmlc test``, which moves a conversation along these edges and counts
the steps it visited. It reads a definition's ``prompt`` (a Map, with spans) or a compiled
document's ``ai.prompt`` (plain dicts) alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from compiler.analysis.actions import datamap_replies
from compiler.analysis.symbols import ContextDef, Step, contexts_of
from compiler.signalwire.actions import targets
from compiler.signalwire.document import functions_of

__all__ = ["Edge", "Flow", "StepId", "ai_flow", "build_flow", "flow_of"]

#: A step: (context name, the step's index in it).
StepId = tuple[str, int]
EdgeKind = Literal["step", "next", "context", "action"]


@dataclass(frozen=True)
class Edge:
    """A way from one step to another. ``kind`` is "step" (named in valid_steps), "next" (the
    following step, named or implicit), "context" (valid_contexts) or "action" (a function's
    change_step / change_context); ``label`` names the function of an action."""

    source: StepId
    target: StepId
    kind: EdgeKind
    label: str = ""


@dataclass(frozen=True)
class Flow:
    contexts: Mapping[str, ContextDef]
    edges: tuple[Edge, ...]
    #: valid_steps / valid_contexts entries that name nothing, per step.
    unknown_steps: Mapping[StepId, tuple[str, ...]] = field(default_factory=dict)
    unknown_contexts: Mapping[StepId, tuple[str, ...]] = field(default_factory=dict)

    @property
    def start(self) -> StepId | None:
        """Where every conversation starts: the first step of ``default``."""
        default = self.contexts.get("default")
        return ("default", 0) if default is not None and default.steps else None

    def step(self, at: StepId) -> Step:
        return self.contexts[at[0]].steps[at[1]]

    def steps(self) -> Iterator[tuple[StepId, Step]]:
        for context in self.contexts.values():
            for step in context.steps:
                yield (context.name, step.index), step

    def find(self, context: str, name: str) -> StepId | None:
        found = self.contexts.get(context)
        for step in found.steps if found is not None else ():
            if step.name == name:
                return context, step.index
        return None

    def out(self, at: StepId) -> list[Edge]:
        return self._out.get(at, [])

    @cached_property
    def _out(self) -> dict[StepId, list[Edge]]:
        out: dict[StepId, list[Edge]] = {}
        for edge in self.edges:
            out.setdefault(edge.source, []).append(edge)
        return out

    @cached_property
    def reachable(self) -> frozenset[StepId]:
        """Every step some conversation can be in, from the start."""
        if self.start is None:
            return frozenset()
        return self.reachable_from(self.start) | {self.start}

    def reachable_from(self, at: StepId) -> frozenset[StepId]:
        """The steps a conversation in ``at`` can get to by one move or more (``at`` itself
        only when a path leads back to it)."""
        seen: set[StepId] = set()
        todo = [at]
        while todo:
            for edge in self.out(todo.pop()):
                if edge.target not in seen:
                    seen.add(edge.target)
                    todo.append(edge.target)
        return frozenset(seen)

    @cached_property
    def dead_ends(self) -> tuple[StepId, ...]:
        """Reachable steps a conversation cannot leave although they do not say ``end: true``:
        the model has nowhere to go, and the call stays there."""
        return tuple(at for at, step in self.steps()
                     if at in self.reachable and not self.out(at)
                     and step.node.get("end") is not True)

    def entered(self, context: str) -> bool:
        return any(at[0] == context for at in self.reachable)


def _available(step: Step, function: str) -> bool:
    listed = step.node.get("functions")
    return not isinstance(listed, list) or function in listed


def _step_edges(context: ContextDef, step: Step, names: Mapping[str, ContextDef]
                ) -> tuple[list[Edge], tuple[str, ...], tuple[str, ...]]:
    here: StepId = (context.name, step.index)
    by_name = {s.name: s.index for s in context.steps}
    following = step.index + 1 if step.index + 1 < len(context.steps) else None
    edges: list[Edge] = []
    unknown: list[str] = []
    targets = step.node.get("valid_steps")
    if isinstance(targets, list) and targets:
        for target in targets:
            if target == "next":  # always the following step (SWC406 refuses a step so named)
                if following is not None:
                    edges.append(Edge(here, (context.name, following), "next"))
            elif isinstance(target, str) and target in by_name:
                kind: EdgeKind = "next" if by_name[target] == following else "step"
                edges.append(Edge(here, (context.name, by_name[target]), kind))
            elif isinstance(target, str):
                unknown.append(target)
    elif step.node.get("end") is not True and following is not None:
        edges.append(Edge(here, (context.name, following), "next"))
    switches = step.node.get("valid_contexts")
    missing: list[str] = []
    for name in switches if isinstance(switches, list) else ():
        if isinstance(name, str) and name in names and names[name].steps:
            edges.append(Edge(here, (name, 0), "context"))
        elif isinstance(name, str) and name not in names:
            missing.append(name)
    return edges, tuple(unknown), tuple(missing)


def _action_edges(contexts: Mapping[str, ContextDef], functions: Sequence[Any]
                  ) -> Iterator[Edge]:
    seen: set[Edge] = set()
    steps = {name: {s.name: s.index for s in c.steps} for name, c in contexts.items()}
    for fn in functions:
        if not isinstance(fn, Mapping) or not isinstance(fn.get("data_map"), Mapping):
            continue
        name = str(fn.get("function", ""))
        replies = [reply for _, reply in datamap_replies(fn)]
        for context in contexts.values():
            for step in context.steps:
                if not _available(step, name):
                    continue
                here = (context.name, step.index)
                for reply in replies:
                    there = _moved_to(steps, here, reply)
                    edge = Edge(here, there, "action", name) if there else None
                    if edge is not None and edge not in seen:
                        seen.add(edge)
                        yield edge


def _moved_to(steps: Mapping[str, Mapping[str, int]], here: StepId, reply: Mapping[str, Any]
              ) -> StepId | None:
    """Where a reply leaves a conversation that was at ``here``: its actions taken in order, as
    ``swmlc test`` takes them (a change_step after a change_context names a step of the new
    context); one naming nothing is ignored, as the platform ignores it. None: it moves not.
    ``steps``: each context's step indexes by name, made once per graph."""
    at, moved = here, False
    for target in targets(reply):
        if target.kind == "context" and steps.get(target.name):
            at, moved = (target.name, 0), True
        elif target.kind == "step":
            index = steps[at[0]].get(target.name)
            if index is not None:
                at, moved = (at[0], index), True
    return at if moved else None


def flow_of(prompt: Any, functions: Any = ()) -> Flow:
    """The conversation graph of ``prompt`` (empty without contexts) and ``functions`` (the
    SWAIG functions, whose data_map actions may move the conversation).

    Example:
        >>> prompt = {"contexts": {"default": {"steps": [
        ...     {"name": "greet", "valid_steps": ["ask"]}, {"name": "lost"},
        ...     {"name": "ask", "valid_contexts": ["book"]}]},
        ...     "book": {"steps": [{"name": "pick"}, {"name": "done", "end": True}]}}}
        >>> flow = flow_of(prompt)
        >>> sorted(flow.reachable), flow.dead_ends
        ([('book', 0), ('book', 1), ('default', 0), ('default', 2)], ())
    """
    return build_flow(contexts_of(prompt) if isinstance(prompt, Mapping) else {}, functions)


def ai_flow(ai: Mapping[str, Any]) -> Flow:
    """The graph of a compiled agent: its ai object's prompt and SWAIG functions."""
    return flow_of(ai.get("prompt"), functions_of(ai))


def build_flow(contexts: Mapping[str, ContextDef], functions: Any = ()) -> Flow:
    """The graph of contexts already read (an AgentModel's symbol table has them)."""
    edges: list[Edge] = []
    unknown_steps: dict[StepId, tuple[str, ...]] = {}
    unknown_contexts: dict[StepId, tuple[str, ...]] = {}
    for context in contexts.values():
        for step in context.steps:
            found, unknown, missing = _step_edges(context, step, contexts)
            edges += found
            if unknown:
                unknown_steps[(context.name, step.index)] = unknown
            if missing:
                unknown_contexts[(context.name, step.index)] = missing
    edges += _action_edges(contexts, functions if isinstance(functions, list) else ())
    return Flow(contexts, tuple(dict.fromkeys(edges)), unknown_steps, unknown_contexts)

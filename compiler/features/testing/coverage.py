"""Coverage of an agent by its tests: which branches of its functions (the points of
``compiler/signalwire/datamap/points.py``: each expression, webhook, webhook expression and
output, and the data_map's fallback output; a web_hook_url function's call) and which steps the
cases reached. Each point unreached is listed at its file:line:col."""

from __future__ import annotations

from dataclasses import dataclass, field

from compiler.analysis.flow import Flow
from compiler.core.tree import Span
from compiler.features.agents import AgentDoc
from compiler.signalwire.datamap import points

__all__ = ["AgentCoverage", "Item", "coverage_of"]


@dataclass(frozen=True)
class Item:
    """One thing to reach: ``key`` is what runs record, ``label`` what a report shows."""

    key: str
    label: str
    kind: str  # "branch" or "step"
    span: Span


@dataclass
class AgentCoverage:
    agent: str
    items: list[Item]
    hit: set[str] = field(default_factory=set)

    @property
    def covered(self) -> int:
        return sum(1 for item in self.items if item.key in self.hit)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / len(self.items) if self.items else 100.0

    def missing(self) -> list[Item]:
        return [item for item in self.items if item.key not in self.hit]

    def of_kind(self, kind: str) -> tuple[int, int]:
        mine = [item for item in self.items if item.kind == kind]
        return sum(1 for item in mine if item.key in self.hit), len(mine)


def branch_key(function: str, point: str) -> str:
    return f"{function}: {point}"


def step_key(context: str, step: str) -> str:
    return f"step {context}.{step}"


def coverage_of(agent: AgentDoc, flow: Flow) -> AgentCoverage:
    """What there is to reach in ``agent``: its runnable functions' points, and its steps."""
    items: list[Item] = []
    swaig = agent.ai.get("SWAIG")
    defaults = swaig.get("defaults") if isinstance(swaig, dict) else None
    has_default_url = isinstance(defaults, dict) and "web_hook_url" in defaults
    for index, fn in enumerate(agent.functions):
        if not isinstance(fn, dict) or not isinstance(fn.get("function"), str):
            continue
        if "data_map" not in fn and "web_hook_url" not in fn and not has_default_url:
            continue  # nothing swmlc can run (exec says why)
        for point in points(fn):
            key = branch_key(fn["function"], point.name)
            items.append(Item(key, key, "branch",
                              agent.span("SWAIG", "functions", index, *point.path)))
    for (context, index), step in flow.steps():
        key = step_key(context, step.name)
        items.append(Item(key, key, "step",
                          agent.span("prompt", "contexts", context, "steps", index)))
    return AgentCoverage(agent.name, items)

"""``swmlc graph``: an agent's contexts and steps as a flowchart, in Mermaid (GitHub, GitLab and
most docs render it) or Graphviz DOT. Drawn from the one conversation graph
(``compiler/analysis/flow.py``), so the picture, the checks and ``swmlc test`` agree.

A context is a box of its steps; the start is a filled circle; a step with ``end: true`` is a
rounded stadium; an edge from ``valid_steps`` is a line (``next`` the following step), one from
``valid_contexts`` is thick, and one from a function's ``change_step`` / ``change_context``
action is dotted and labelled with the function. A step no path reaches is dashed grey; a
reachable step that leads nowhere and does not end is red (a dead end). Never prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compiler.analysis.flow import Edge, Flow, StepId, ai_flow
from compiler.core.diagnostics import Diagnostic
from compiler.features.agents import AgentDoc, Agents, is_document_path, load_agents
from compiler.project.options import Options

__all__ = ["GraphResult", "flow_key", "graph_agents", "render_dot", "render_mermaid"]

FORMATS = ("mermaid", "dot")


def _ids(flow: Flow) -> dict[StepId, str]:
    return {at: f"s{i}" for i, (at, _) in enumerate(flow.steps())}


def _mermaid_text(text: str) -> str:
    """A label inside ``["..."]``: Mermaid reads it as HTML, so HTML's escapes (its own
    ``#quot;`` codes are not decoded by Mermaid 11 in every renderer)."""
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;") \
        .replace(">", "&gt;")


def _mermaid_edge(edge: Edge, ids: dict[StepId, str]) -> str:
    a, b = ids[edge.source], ids[edge.target]
    if edge.kind == "action":
        return f'    {a} -.->|"{_mermaid_text(edge.label)}()"| {b}'
    if edge.kind == "context":
        return f"    {a} ==> {b}"
    return f"    {a} --> {b}"


def render_mermaid(flow: Flow) -> str:
    """The flow as a Mermaid flowchart.

    Example:
        >>> from compiler.analysis.flow import flow_of
        >>> print(render_mermaid(flow_of({"contexts": {"default": {"steps": [
        ...     {"name": "ask", "valid_steps": ["next"]}, {"name": "bye", "end": True}]}}})))
        flowchart TD
            start((start))
            subgraph c0["default"]
                s0["ask"]
                s1(["bye"])
            end
            start --> s0
            s0 --> s1
        <BLANKLINE>
    """
    ids = _ids(flow)
    lines = ["flowchart TD", "    start((start))"]
    for index, context in enumerate(flow.contexts.values()):
        lines.append(f'    subgraph c{index}["{_mermaid_text(context.name)}"]')
        for step in context.steps:
            label = _mermaid_text(step.name)
            shape = f'(["{label}"])' if step.node.get("end") is True else f'["{label}"]'
            lines.append(f"        {ids[(context.name, step.index)]}{shape}")
        lines.append("    end")
    if flow.start is not None:
        lines.append(f"    start --> {ids[flow.start]}")
    lines += [_mermaid_edge(edge, ids) for edge in flow.edges]
    unreachable = [ids[at] for at, _ in flow.steps() if at not in flow.reachable]
    if unreachable:
        lines.append("    classDef unreachable stroke-dasharray: 5 5,color:#888")
        lines.append(f"    class {','.join(unreachable)} unreachable")
    if flow.dead_ends:
        lines.append("    classDef deadEnd stroke:#c00,stroke-width:2px")
        lines.append(f"    class {','.join(ids[at] for at in flow.dead_ends)} deadEnd")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(flow: Flow, name: str) -> str:
    """The flow as a Graphviz digraph (``dot -Tsvg``)."""
    ids = _ids(flow)
    lines = [f"digraph {_dot_text(name)} {{", "    rankdir=TB;",
             "    node [shape=box, style=rounded];",
             '    start [shape=circle, style=filled, fillcolor=black, label="", width=0.2];']
    dead = set(flow.dead_ends)
    for index, context in enumerate(flow.contexts.values()):
        lines.append(f"    subgraph cluster_{index} {{")
        lines.append(f"        label={_dot_text(context.name)};")
        for step in context.steps:
            at = (context.name, step.index)
            attrs = [f"label={_dot_text(step.name)}"]
            if step.node.get("end") is True:
                attrs.append("peripheries=2")
            if at not in flow.reachable:
                attrs.append('style="rounded,dashed", fontcolor=gray50')
            if at in dead:
                attrs.append("color=red3")
            lines.append(f"        {ids[at]} [{', '.join(attrs)}];")
        lines.append("    }")
    if flow.start is not None:
        lines.append(f"    start -> {ids[flow.start]};")
    for edge in flow.edges:
        style = {"action": f" [style=dotted, label={_dot_text(edge.label + '()')}]",
                 "context": " [penwidth=2]"}.get(edge.kind, "")
        lines.append(f"    {ids[edge.source]} -> {ids[edge.target]}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def flow_key(flow: Flow) -> tuple[object, ...]:
    """What a graph shows, for telling whether two versions of an agent draw the same."""
    steps = tuple((at, step.name, step.node.get("end") is True) for at, step in flow.steps())
    return steps, tuple(sorted(flow.edges, key=repr))


@dataclass
class GraphResult:
    graphs: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


def _project(options: Options, names: list[str], result: GraphResult) -> Agents | None:
    agents = load_agents(options, name=names[0] if len(names) == 1 else None)
    result.diagnostics += agents.diagnostics
    result.texts.update(agents.texts)
    return agents if agents.ok else None


def _chosen(options: Options, names: tuple[str, ...], result: GraphResult) -> list[AgentDoc]:
    """The agents named, in order (a SWML document's path, or an agent of the project), or
    every agent of the project."""
    agent_names = [n for n in names if not is_document_path(options, n)]
    project = _project(options, agent_names, result) if agent_names or not names else None
    if not names:
        return [project.by_name[n] for n in sorted(project.by_name)] if project else []
    out: list[AgentDoc] = []
    for name in names:
        if name in agent_names:
            found = project.get(name) if project is not None else None
        else:
            one = load_agents(options, document=name)
            result.diagnostics += one.diagnostics
            result.texts.update(one.texts)
            found = next(iter(one.by_name.values()), None)
        if isinstance(found, Diagnostic):
            result.diagnostics.append(found)
        elif found is not None:
            out.append(found)
    return out


def graph_agents(options: Options, names: tuple[str, ...], fmt: str) -> GraphResult:
    """The graph of each agent named (an agent's name or a SWML document's path), or of every
    agent of the project that has contexts."""
    result = GraphResult()
    for agent in _chosen(options, names, result):
        flow = ai_flow(agent.ai)
        if not flow.contexts:
            result.skipped.append(agent.name)
            continue
        result.graphs[agent.name] = render_mermaid(flow) if fmt == "mermaid" \
            else render_dot(flow, agent.name)
    return result

"""A diff of compiled agents as text (a terminal) or markdown (a pull-request comment)."""

from __future__ import annotations

from compiler.features.diff.semantic import AgentDiff


def render_diff(diffs: list[AgentDiff], fmt: str, against: str) -> str:
    if fmt == "markdown":
        if not diffs:
            return f"**swmlc**: no agent changes against `{against}`.\n"
        lines = [f"### swmlc: {len(diffs)} agent{'s' if len(diffs) != 1 else ''} changed "
                 f"against `{against}`", ""]
        for d in diffs:
            if d.status != "changed":
                lines.append(f"- **`{d.agent}`** {d.status}")
                continue
            lines.append(f"- **`{d.agent}`**")
            group = None
            for c in d.changes:
                if c.group != group:
                    group = c.group
                    lines.append(f"  - *{group}*")
                lines.append(f"    - {c.text}")
        for d in diffs:
            if d.flow is not None:
                lines += ["", f"#### Conversation flow of `{d.agent}`", "", "```mermaid",
                          d.flow.rstrip("\n"), "```"]
        return "\n".join(lines) + "\n"
    if not diffs:
        return f"no agent changes against {against}\n"
    lines = []
    for d in diffs:
        lines.append(f"{d.agent}: {d.status}" if d.status != "changed" else f"{d.agent}:")
        group = None
        for c in d.changes:
            if c.group != group:
                group = c.group
                lines.append(f"  {group}:")
            lines.append(f"    {c.text}")
    return "\n".join(lines) + "\n"

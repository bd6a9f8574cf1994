"""A diff of compiled agents as text (a terminal) or markdown (a pull-request comment)."""

from __future__ import annotations

import re

from compiler.core.words import plural
from compiler.features.diff.semantic import AgentDiff, Change


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
                lines += _markdown_words(c)
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
            lines += [f"      {h.marked}" for h in c.hunks]
            if c.more:
                lines.append(f"      (and {plural(c.more, 'other change')})")
    return "\n".join(lines) + "\n"


def _markdown_words(change: Change) -> list[str]:
    """The changed words as a ``diff`` block inside the change's list item: a ``-`` and a ``+``
    line per hunk (the fence outgrows any run of backticks in the text)."""
    if not change.hunks:
        return []
    body = [line for h in change.hunks for line in (f"- {h.old}", f"+ {h.new}")]
    if change.more:
        body.append(f"  (and {plural(change.more, 'other change')})")
    ticks = max((len(m) for line in body for m in re.findall("`+", line)), default=0)
    fence = "`" * max(3, ticks + 1)
    return [f"      {fence}diff", *(f"      {line}" for line in body), f"      {fence}"]

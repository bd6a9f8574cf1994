"""The prompt the model reads in a step, for ``expect: prompt``: the agent's prompt, then the
context's, then the step's, each a ``text`` or a POM rendered as markdown (a title per
section, ``##`` then ``###``; bullets, numbered when asked), with the runtime templates
(``${global_data.x}``, ``@{strftime_tz ...}``) expanded from the call as it is at that point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compiler.signalwire.datamap.functions import FunctionContext, expand_functions
from compiler.signalwire.datamap.template import expand

__all__ = ["render_pom", "step_prompt"]


def render_pom(sections: Any, level: int = 2) -> str:
    """A POM as markdown.

    Example:
        >>> print(render_pom([{"title": "Role", "body": "You help.", "bullets": ["Be brief."],
        ...                    "subsections": [{"title": "Tone", "body": "Warm."}]}]))
        ## Role
        <BLANKLINE>
        You help.
        <BLANKLINE>
        - Be brief.
        <BLANKLINE>
        ### Tone
        <BLANKLINE>
        Warm.
    """
    parts: list[str] = []
    for section in sections if isinstance(sections, list) else []:
        if not isinstance(section, Mapping):
            continue
        if section.get("title"):
            parts.append(f"{'#' * level} {section['title']}")
        if section.get("body"):
            parts.append(str(section["body"]).strip())
        bullets = section.get("bullets")
        if isinstance(bullets, list) and bullets:
            numbered = bool(section.get("numberedBullets"))
            parts.append("\n".join(f"{f'{i}.' if numbered else '-'} {b}"
                                   for i, b in enumerate(bullets, start=1)))
        subsections = section.get("subsections")
        if subsections:
            parts.append(render_pom(subsections, level + 1))
    return "\n\n".join(p for p in parts if p)


def _text_of(node: Any) -> str:
    if not isinstance(node, Mapping):
        return ""
    if isinstance(node.get("text"), str):
        return str(node["text"]).strip()
    return render_pom(node.get("pom"))


def step_prompt(ai: Mapping[str, Any], context: str | None, step: Any,
                data: Mapping[str, Any], functions: FunctionContext) -> str:
    """The whole prompt in ``step`` of ``context`` (None: the agent has no steps)."""
    prompt = ai.get("prompt")
    parts = [_text_of(prompt)]
    contexts = prompt.get("contexts") if isinstance(prompt, Mapping) else None
    if context is not None and isinstance(contexts, Mapping):
        parts.append(_text_of(contexts.get(context)))
        parts.append(_text_of(step))
    text = "\n\n".join(p for p in parts if p)
    return expand_functions(expand(text, data), functions)

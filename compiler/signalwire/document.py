"""Where the agent is inside a compiled document: the ``ai`` (or ``amazon_bedrock``) verb of a
SWML document's ``sections.main``, or a RELAY document (``call.ai`` keyword arguments), which
is its own ai object. ``swmlc diff``, ``exec``, ``test`` and ``graph`` all read agents through
here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["AI_VERBS", "find_ai", "functions_of"]

AI_VERBS = ("ai", "amazon_bedrock")


def find_ai(doc: Any) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """The ai (or amazon_bedrock) object and the verbs before/after it in sections.main.

    Example:
        >>> ai, before, after = find_ai({"version": "1.0.0", "sections": {"main": [
        ...     {"answer": {}}, {"ai": {"prompt": {"text": "Hi"}}}]}})
        >>> ai, before, after
        ({'prompt': {'text': 'Hi'}}, [{'answer': {}}], [])
    """
    if not isinstance(doc, dict):
        return {}, [], []
    main = doc.get("sections", {}).get("main") if isinstance(doc.get("sections"), dict) else None
    if not isinstance(main, list):
        return dict(doc), [], []
    for i, verb in enumerate(main):
        if isinstance(verb, dict):
            for name in AI_VERBS:
                if isinstance(verb.get(name), dict):
                    return verb[name], main[:i], main[i + 1:]
    return {}, main, []


def functions_of(ai: Mapping[str, Any]) -> list[Any]:
    """The SWAIG functions of an ai object (none when it has no SWAIG)."""
    swaig = ai.get("SWAIG")
    functions = swaig.get("functions") if isinstance(swaig, Mapping) else None
    return functions if isinstance(functions, list) else []

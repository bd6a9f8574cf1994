"""The branches of a function that a run can reach, named as the evaluator names them in its
trace: what ``swmlc test`` counts for coverage.

A data_map function has a point per top-level expression that has an output
(``expressions[0]``), per ``nomatch-output`` (``expressions[0].nomatch``), per webhook that can
be requested (``webhooks[1]``, reached when it succeeds), per expression and output of such a
webhook (``webhooks[1].expressions[0]``, ``webhooks[1].output``), and the data_map's own
``output``. A web_hook_url function has one point, ``webhook``. Each point carries the path to
the value behind it inside the function, so a report can show its file:line:col.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from compiler.signalwire.datamap.values import get_item, has_item

__all__ = ["Point", "points"]


@dataclass(frozen=True)
class Point:
    name: str
    path: tuple[str | int, ...]


def _expressions(items: Any, prefix: str, path: tuple[str | int, ...]) -> Iterator[Point]:
    if isinstance(items, dict):
        items, single = [items], True
    else:
        single = False
    for index, item in enumerate(items if isinstance(items, list) else ()):
        name = prefix if single else f"{prefix}[{index}]"
        where = path if single else (*path, index)
        if not (has_item(item, "string") or has_item(item, "expr")) \
                or not has_item(item, "output"):
            continue
        yield Point(name, where)
        if has_item(item, "nomatch-output"):
            yield Point(f"{name}.nomatch", (*where, "nomatch-output"))


def points(function: Mapping[str, Any]) -> list[Point]:
    """Every point of ``function``, in document order.

    Example:
        >>> fn = {"data_map": {"webhooks": [{"url": "https://x", "output": {}}],
        ...                    "output": {"response": "sorry"}}}
        >>> [p.name for p in points(fn)]
        ['webhooks[0]', 'webhooks[0].output', 'output']
    """
    data_map = function.get("data_map")
    if not isinstance(data_map, dict):
        return [Point("webhook", ())]
    out = list(_expressions(get_item(data_map, "expressions"), "expressions",
                            ("data_map", "expressions")))
    hooks = get_item(data_map, "webhooks")
    listed = [hooks] if isinstance(hooks, dict) else hooks if isinstance(hooks, list) else []
    for index, hook in enumerate(listed):
        prefix = "webhooks" if isinstance(hooks, dict) else f"webhooks[{index}]"
        path: tuple[str | int, ...] = ("data_map", "webhooks") if isinstance(hooks, dict) \
            else ("data_map", "webhooks", index)
        if not has_item(hook, "url") or not (has_item(hook, "output")
                                             or has_item(hook, "expressions")):
            continue
        out.append(Point(prefix, path))
        out += _expressions(get_item(hook, "expressions"), f"{prefix}.expressions",
                            (*path, "expressions"))
        if has_item(hook, "output"):
            out.append(Point(f"{prefix}.output", (*path, "output")))
    if has_item(data_map, "output"):
        out.append(Point("output", ("data_map", "output")))
    return out

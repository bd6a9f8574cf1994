"""Strict equality of JSON values, for the round trip: the same types (``true`` is not ``1``,
``1`` is not ``1.0``), the same keys in the same order, and where they first differ."""

from __future__ import annotations

import json
from typing import Any

from compiler.core.tree import pointer
from compiler.signalwire.params import json_type

Path = tuple[str | int, ...]


def first_difference(a: Any, b: Any, path: Path = ()) -> Path | None:
    """The path of the first place ``a`` and ``b`` differ, or None when they are the same.

    Example:
        >>> first_difference({"a": [1, True]}, {"a": [1, 1]})
        ('a', 1)
        >>> first_difference({"a": 1, "b": 2}, {"b": 2, "a": 1})  # key order counts
        ('a',)
        >>> first_difference({"x": [1.5]}, {"x": [1.5]}) is None
        True
    """
    if json_type(a) != json_type(b):
        return path
    if isinstance(a, dict):
        if list(a) != list(b):
            for ka, kb in zip(a, b, strict=False):
                if ka != kb:
                    return (*path, ka)
            longer = a if len(a) > len(b) else b
            return (*path, list(longer)[min(len(a), len(b))])
        for k in a:
            found = first_difference(a[k], b[k], (*path, k))
            if found is not None:
                return found
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, (*path, i))
            if found is not None:
                return found
        return None if len(a) == len(b) else (*path, min(len(a), len(b)))
    return None if a == b else path


def _at(value: Any, path: Path) -> Any:
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return "(nothing)"
    return value


def describe_difference(got: Any, want: Any) -> str | None:
    """``at /p: got X, want Y`` for the first difference, or None when the two are the same."""
    path = first_difference(got, want)
    if path is None:
        return None

    def show(v: Any) -> str:
        text = v if v == "(nothing)" else json.dumps(v, ensure_ascii=False)
        return text if len(text) <= 80 else text[:77] + "..."

    return f"at {pointer(path) or '/'}: got {show(_at(got, path))}, want {show(_at(want, path))}"

"""Strict equality of JSON values, for the round trip: the same types (``true`` is not ``1``,
``1`` is not ``1.0``), the same keys in the same order, and where they first differ."""

from __future__ import annotations

import json
from typing import Any

from compiler.core.tree import pointer, value_at
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
    found, there = value_at(value, path)
    return there if found else "(nothing)"


def describe_difference(got: Any, want: Any) -> str | None:
    """``at /p: got X, want Y`` for the first difference, or None when the two are the same."""
    path = first_difference(got, want)
    if path is None:
        return None

    def show(v: Any) -> str:
        text = v if v == "(nothing)" else json.dumps(v, ensure_ascii=False)
        return text if len(text) <= 80 else text[:77] + "..."

    here, there = _at(got, path), _at(want, path)
    parent_got, parent_want = _at(got, path[:-1]), _at(want, path[:-1])
    if path and here != "(nothing)" and there != "(nothing)" and \
            first_difference(here, there) is None and isinstance(parent_got, dict):
        return (f"at {pointer(path[:-1]) or '/'}: the same keys in another order: got "
                f"{show(list(parent_got))}, want {show(list(parent_want))}")
    return f"at {pointer(path) or '/'}: got {show(here)}, want {show(there)}"


def _fields_sorted(doc: Any) -> Any:
    """``doc`` with the fields of its ``ai`` verbs (and of their ``SWAIG``) in one fixed order."""
    try:
        main = list(doc["sections"]["main"])
    except (KeyError, TypeError):
        return doc
    for i, verb in enumerate(main):
        ai = verb.get("ai") if isinstance(verb, dict) else None
        if not isinstance(ai, dict):
            continue
        ai = {k: ai[k] for k in sorted(ai)}
        if isinstance(ai.get("SWAIG"), dict):
            ai["SWAIG"] = {k: ai["SWAIG"][k] for k in sorted(ai["SWAIG"])}
        main[i] = {**verb, "ai": ai}
    return {**doc, "sections": {**doc["sections"], "main": main}}


def round_trip_difference(compiled: Any, original: Any, *,
                          fields_in_any_order: bool = False) -> str | None:
    """How a compiled document differs from the (migrated) original, or None.

    Every value compares strictly (types, values, list order, key order), except the order of
    the top-level keys and of the sections (swmlc writes ``version`` first and ``main`` first)
    and, for an agent that extends a base, the order of the fields of its ``ai`` verb and of
    its ``SWAIG`` (merging puts the base's first; see docs/import.md).

    Example:
        >>> doc = {"version": "1.0.0", "sections": {"main": [{"ai": {"a": 1, "b": [1, 2]}}]}}
        >>> swapped = {"sections": {"main": [{"ai": {"b": [1, 2], "a": 1}}]}, "version": "1.0.0"}
        >>> round_trip_difference(swapped, doc)
        'in sections.main at /0/ai: the same keys in another order: got ["b", "a"], want ["a", "b"]'
        >>> round_trip_difference(swapped, doc, fields_in_any_order=True) is None
        True
    """
    if fields_in_any_order:
        compiled = _fields_sorted(compiled)
        original = _fields_sorted(original)
    if not isinstance(compiled, dict) or not isinstance(original, dict):
        return describe_difference(compiled, original)
    if set(compiled) != set(original):
        return f"top-level keys {sorted(compiled)} != {sorted(original)}"
    for key in compiled:
        got, want = compiled[key], original[key]
        if key == "sections" and isinstance(got, dict) and isinstance(want, dict):
            if set(got) != set(want):
                return f"sections {sorted(got)} != {sorted(want)}"
            for section in got:
                found = describe_difference(got[section], want[section])
                if found is not None:
                    return f"in sections.{section} {found}"
        else:
            found = describe_difference(got, want)
            if found is not None:
                return f"in {key} {found}"
    return None

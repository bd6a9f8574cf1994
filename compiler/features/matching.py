"""How an expectation is compared with what a run gave: JSON subsets and string matchers.

Shared by the HTTP fixtures (a fixture's ``json`` matches a request body) and the test files'
expectations (``actions``, ``global_data``, a request's ``json``, ``response: {contains: ...}``),
so "matches" means one thing wherever swmlc says it. Each function returns None for a match,
else a short phrase saying where and how it differs, for the failure message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["STRING_MATCHERS", "match_string", "subset"]

#: The keys of a string matcher: ``response: {contains: Austin, not_contains: error}``.
STRING_MATCHERS = ("equals", "contains", "not_contains", "matches", "starts_with",
                   "ends_with")


def _show(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def subset(expected: Any, actual: Any, at: str = "") -> str | None:
    """None when ``actual`` holds ``expected``: each key of an expected mapping is in the
    actual one with a matching value; lists match item by item and have the same length;
    anything else is equal (1 and 1.0 alike, True and 1 not).

    Example:
        >>> subset({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}, "d": 3}) is None
        True
        >>> subset({"a": [1, 2]}, {"a": [1, 3]})
        'at a[1]: expected 2, got 3'
    """
    where = at or "the top"
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return f"at {where}: expected an object, got {_show(actual)}"
        for key, value in expected.items():
            if key not in actual:
                return f"at {where}: no key '{key}' (keys: {', '.join(map(str, actual)) or 'none'})"
            found = subset(value, actual[key], f"{at}.{key}" if at else str(key))
            if found is not None:
                return found
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"at {where}: expected a list, got {_show(actual)}"
        if len(expected) != len(actual):
            return f"at {where}: expected {len(expected)} items, got {len(actual)}"
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found = subset(want, got, f"{at}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(expected, bool) or isinstance(actual, bool):
        same = expected is actual
    else:
        same = expected == actual
    return None if same else f"at {where}: expected {_show(expected)}, got {_show(actual)}"


def match_string(expected: Any, actual: str | None) -> str | None:
    """None when ``actual`` satisfies ``expected``: a string (equal), or a mapping of
    STRING_MATCHERS, every one of which must hold (``contains`` and ``not_contains`` take a
    string or a list of them; ``matches`` is a PCRE searched anywhere).

    Example:
        >>> match_string({"contains": ["Austin", "62"], "not_contains": "error"},
        ...              "Austin is 62 degrees") is None
        True
        >>> match_string({"starts_with": "Hi"}, "Hello")
        "does not start with 'Hi'"
    """
    if actual is None:
        return "there is no text (the run gave none)"
    if not isinstance(expected, Mapping):
        return None if expected == actual else f"is not {_show(expected)}"
    for key, want in expected.items():
        problem = _one(key, want, actual)
        if problem is not None:
            return problem
    return None


def _listed(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _one(key: str, want: Any, actual: str) -> str | None:
    if key == "equals":
        return None if actual == want else f"is not {_show(want)}"
    if key == "contains":
        missing = [w for w in _listed(want) if w not in actual]
        return f"does not contain {_show(missing[0])}" if missing else None
    if key == "not_contains":
        found = [w for w in _listed(want) if w in actual]
        return f"contains {_show(found[0])}" if found else None
    if key == "starts_with":
        return None if actual.startswith(str(want)) else f"does not start with '{want}'"
    if key == "ends_with":
        return None if actual.endswith(str(want)) else f"does not end with '{want}'"
    if key == "matches":
        from compiler.signalwire.pcre import compile_pattern, search

        problem = compile_pattern(str(want), False).error
        if problem is not None:
            return f"cannot be matched: the pattern does not compile ({problem})"
        return None if search(str(want), actual, False) else f"does not match /{want}/"
    return f"'{key}' is not a matcher (use one of {', '.join(STRING_MATCHERS)})"

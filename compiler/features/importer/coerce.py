"""Typed values written as strings (``"true"``, ``"2500"``), found by the official schema's own
type errors and rewritten where the schema wants a boolean or a number: the last documented
migration of :mod:`.migrate`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from compiler.source.schema import SchemaSet

Path = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_BOOL = {"true": True, "false": False}


def _leaves(err: Any) -> Iterator[Any]:
    if err.context:
        for sub in err.context:
            yield from _leaves(sub)
    else:
        yield err


def typed(value: Any, wants: list[str]) -> Any:
    """The typed reading of ``value`` for a schema that wants one of ``wants``, or ``value``.

    Example:
        >>> typed("true", ["boolean"]), typed("2500", ["integer"]), typed("0.5", ["number"])
        (True, 2500, 0.5)
        >>> typed(0, ["boolean"]), typed("yes", ["boolean"]), typed("1.5", ["integer"])
        (False, 'yes', '1.5')
        >>> typed("true", ["integer"]), typed("false", ["integer"]), typed("true", ["number"])
        (1, 0, 'true')
    """
    if isinstance(value, str):
        text = value.strip()
        if "boolean" in wants and text.lower() in _BOOL:
            return _BOOL[text.lower()]
        if ("integer" in wants or "number" in wants) and _INT.match(text):
            return int(text)
        if wants == ["integer"] and text.lower() in _BOOL:
            return int(_BOOL[text.lower()])  # a level written as a boolean: true is 1
        if "number" in wants and _FLOAT.match(text):
            return float(text)
    elif type(value) is int and value in (0, 1) and "boolean" in wants:
        return bool(value)
    return value


def _describe(old: Any, new: Any) -> str:
    kind = "boolean" if isinstance(new, bool) else "number"
    said = f"the {'string' if isinstance(old, str) else 'number'} {json.dumps(old)} is " \
           f"written as the {kind} {json.dumps(new)}"
    if isinstance(old, str) and old.strip().lower() in _BOOL and not isinstance(new, bool):
        said += " (a level written as a boolean: true is level 1, false is 0)"
    return said


def coerce(doc: Any, schemas: SchemaSet) -> list[tuple[Path, str]]:
    """Rewrite typed values written as strings in ``doc`` (in place), where the official schema
    says so; return where, and what was said.

    Driven by the schema's own type errors (every branch of every anyOf), so a string is only
    retyped where it is refused as it stands and the schema wants a boolean or a number there;
    free-form places (``global_data``, ``meta_data``) are never touched.
    """
    from compiler.signalwire.official_schema import official_schema

    said: list[tuple[Path, str]] = []
    schema = official_schema(schemas)
    if schema is None:
        return said
    validator = schema.explainer.validator
    for _ in range(4):  # a retyped value can open a branch whose deeper values then show
        fixes: dict[Path, Any] = {}
        for top in validator.iter_errors(doc):
            for leaf in _leaves(top):
                if leaf.validator != "type":
                    continue
                wants = [leaf.validator_value] if isinstance(leaf.validator_value, str) \
                    else list(leaf.validator_value)
                new = typed(leaf.instance, wants)
                if new is not leaf.instance and type(new) is not type(leaf.instance):
                    fixes.setdefault(tuple(leaf.absolute_path), new)
        if not fixes:
            return said
        for path, new in sorted(fixes.items(), key=lambda kv: [str(p) for p in kv[0]]):
            parent = doc
            for part in path[:-1]:
                parent = parent[part]
            old = parent[path[-1]]
            parent[path[-1]] = new
            said.append((path, _describe(old, new)))
    return said



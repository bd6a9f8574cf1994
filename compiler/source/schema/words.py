"""How schema problems are said: values described, types named with their article, counts and
name lists in words, and the echo of a misspelt required key dropped."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from compiler.core.diagnostics import Code, Diagnostic
from compiler.core.suggest import did_you_mean

NAMES = re.compile(r"'((?:[^'\\]|\\.)*)'")
JSON_TYPES = {
    dict: "a mapping", list: "a list", str: "a string", bool: "a boolean",
    int: "an integer", float: "a number", type(None): "null",
}


def describe(value: Any) -> str:
    for kind, name in JSON_TYPES.items():
        if type(value) is kind or (kind in (dict, list) and isinstance(value, kind)):
            if kind in (str, int, float, bool):
                return f"{name} ({json.dumps(value, ensure_ascii=False)[:60]})"
            return name
    return type(value).__name__


def article(t: str) -> str:
    return {"object": "a mapping", "array": "a list", "string": "a string",
            "boolean": "a boolean", "integer": "an integer", "number": "a number",
            "null": "null"}.get(t, t)


def is_runtime_pattern(pattern: Any) -> bool:
    """The pattern of a ``${...}``/``%{...}`` runtime reference, in either schema's spelling
    (the official schema writes ``^[\\$%]\\{``, swmlc's own ``^[$%]\\{``)."""
    return str(pattern).replace("\\$", "$").startswith("^[$%]\\{")


def parses_as(text: str, wants: list[str]) -> bool:
    """Whether a quoted string would be the wanted type without its quotes ("8" for 8)."""
    t = text.strip()
    if "boolean" in wants and t in ("true", "false"):
        return True
    if "integer" in wants and re.fullmatch(r"[-+]?[0-9]+", t):
        return True
    return "number" in wants and bool(
        re.fullmatch(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?", t))


def count(n: Any, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def name_list(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def got(value: Any) -> str:
    if isinstance(value, dict):
        return f", got {len(value)} ({', '.join(map(str, value))})"
    if isinstance(value, list):
        return f", got {len(value)}"
    return ""
MISSING = re.compile(r"^missing required key ((?:'[^']+'(?:, | or )?)+)")
UNKNOWN = re.compile(r"^unknown key '(.+?)'")


def drop_typo_echoes(diags: list[Diagnostic], codes: dict[str, Code]) -> list[Diagnostic]:
    """A misspelt required key fails twice: 'unknown key txt' and 'missing key text'. Keep the
    first, which already says "did you mean 'text'?", and drop its echo."""
    unknown_by_parent: dict[str, list[str]] = {}
    for d in diags:
        m = UNKNOWN.match(d.message)
        if m and d.pointer is not None:
            unknown_by_parent.setdefault(d.pointer.rsplit("/", 1)[0], []).append(m.group(1))
    kept = []
    for d in diags:
        m = MISSING.match(d.message)
        if m and d.pointer is not None:
            parent = "" if d.pointer == "/" else d.pointer
            typos = unknown_by_parent.get(parent, [])
            if any(did_you_mean(t, NAMES.findall(m.group(1))) for t in typos):
                continue
        kept.append(d)
    return kept


def dotted(path: tuple[str | int, ...]) -> str:
    """``prompt.sections[0].title``: how a YAML author names a place."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def bound_message(err: Any) -> str:
    """A failed bound or form (minimum, maxItems, pattern...) in words."""
    limit, value = err.validator_value, err.instance
    messages: dict[str, Callable[[], str]] = {
        "minimum": lambda: f"must be at least {limit}, got {value}",
        "maximum": lambda: f"must be at most {limit}, got {value}",
        "exclusiveMinimum": lambda: f"must be more than {limit}, got {value}",
        "exclusiveMaximum": lambda: f"must be less than {limit}, got {value}",
        "minItems": lambda: f"needs at least {count(limit, 'item')}",
        "maxItems": lambda: f"takes at most {count(limit, 'item')}{got(value)}",
        "minProperties": lambda: f"needs at least {count(limit, 'key')}",
        "maxProperties": lambda: f"takes at most {count(limit, 'key')}{got(value)}",
        "minLength": lambda: "must not be empty" if limit == 1
        else f"must be at least {limit} characters",
        "pattern": lambda: f"{json.dumps(value)[:60]} does not match {limit}",
        "not": lambda: "this value is not allowed here",
        "oneOf": lambda: "matches more than one of the allowed forms",
        "uniqueItems": lambda: "items must be unique",
    }
    return messages[err.validator]() if err.validator in messages else str(err.message)

"""A checker for one ``params`` name/value pair, against the catalogue."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import cache

from compiler.signalwire.params.catalogue import (
    Number,
    ParamProblem,
    ParamSpec,
    load_params,
)

# The schema's $defs/SWMLVar: a whole-string runtime template. The schema is ECMA-262, where `.`
# stops at a newline and `$` is the true end; fullmatch without DOTALL reproduces both.
_TEMPLATE = re.compile(r"[$%]\{.*\}")

_ARTICLE = {"integer": "an integer", "array": "an array", "object": "an object", "null": "null"}


def is_template(value: object) -> bool:
    """True when ``value`` is a whole runtime template string, as the schema's SWMLVar means it."""
    return isinstance(value, str) and _TEMPLATE.fullmatch(value) is not None


def json_type(value: object) -> str:
    """The JSON type name of a loaded YAML/JSON value (bool is not a number, as in JSON)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return "array"
    return type(value).__name__


def _has_type(value: object, types: tuple[str, ...]) -> bool:
    kind = json_type(value)
    if kind in types:
        return True
    if kind == "integer" and "number" in types:
        return True
    # JSON Schema (2020-12) counts 700.0 as an integer; YAML writes it as a float.
    return (
        kind == "number" and "integer" in types and isinstance(value, float) and value.is_integer()
    )


def check_param(name: str, value: object) -> list[ParamProblem]:
    """Problems with ``params[name] = value``; empty when the platform will take it as meant.

    Example:
        >>> [p.suggestion for p in check_param("barge_confidance", 0.5)]
        ['barge_confidence']
        >>> check_param("wait_for_user", "true")[0].fix_value
        True
    """
    spec = load_params().get(name)
    if spec is None:
        return [_unknown(name)]
    template_note = None
    if is_template(value):
        if spec.template:
            return []
        template_note = "the official schema accepts no runtime template here"
    if not _has_type(value, spec.types):
        fixed = None
        if isinstance(value, str) and template_note is None:
            fixed = _unstring(value, spec.types)
        if fixed is None:
            return [_type_problem(spec, value, template_note or spec.note_for("type"))]
        stringly = ParamProblem(
            kind="stringly",
            name=name,
            message=f"'{name}' must be {_types_phrase(spec.types)}, got the string {_show(value)}",
            fix_value=fixed,
            note=f"write {json.dumps(fixed)} without quotes",
        )
        return [stringly, *_value_problems(spec, fixed, None)]
    return _value_problems(spec, value, template_note)


def check_params(params: Mapping[str, object]) -> list[ParamProblem]:
    """Every problem in one ``params`` object, in key order (the source order)."""
    return [problem for key, value in params.items() for problem in check_param(key, value)]


def _unknown(name: str) -> ParamProblem:
    import difflib  # only a typo pays for it

    names = list(load_params())
    by_lower = {n.lower(): n for n in names}
    suggestion = by_lower.get(name.lower())
    if suggestion is None:
        close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.75)
        suggestion = by_lower[close[0]] if close else None
    return ParamProblem(
        kind="unknown", name=name, message=f"unknown param '{name}'", suggestion=suggestion
    )


def _value_problems(
    spec: ParamSpec, value: object, template_note: str | None
) -> list[ParamProblem]:
    problems: list[ParamProblem] = []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        problem = _range_problem(spec, value)
        if problem is not None:
            problems.append(problem)
    elif isinstance(value, str):
        if spec.enum and value not in spec.enum:
            problems.append(_enum_problem(spec, value, template_note or spec.note_for("enum")))
        elif spec.pattern is not None and not _matches(spec.pattern, value):
            hint = spec.pattern_hint or f"match {spec.pattern}"
            problems.append(
                ParamProblem(
                    kind="pattern",
                    name=spec.name,
                    message=f"'{spec.name}' must be {hint}, got {_show(value)}",
                    note=template_note or spec.note_for("pattern"),
                )
            )
    return problems


def _range_problem(spec: ParamSpec, value: Number) -> ParamProblem | None:
    if value in spec.also_allowed:
        return None
    low, high = spec.minimum, spec.maximum
    if low is not None and value < low:
        bound = f"at least {_num(low)}"
    elif high is not None and value > high:
        bound = f"at most {_num(high)}"
    else:
        return None
    also = ", ".join(_num(v) for v in spec.also_allowed)
    note = f"{also} is also allowed" if also else spec.note_for("range")
    return ParamProblem(
        kind="range",
        name=spec.name,
        message=f"'{spec.name}' must be {bound}, got {_num(value)}",
        minimum=low,
        maximum=high,
        note=note,
    )


def _enum_problem(spec: ParamSpec, value: object, note: str | None) -> ParamProblem:
    suggestion = None
    if isinstance(value, str):
        import difflib

        lowered = {v.lower(): v for v in spec.enum}
        suggestion = lowered.get(value.lower())
        if suggestion is None:
            close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
            suggestion = lowered[close[0]] if close else None
    choices = [f"'{v}'" for v in spec.enum]
    wanted = " or ".join(choices) if len(choices) <= 2 else "one of " + ", ".join(choices)
    return ParamProblem(
        kind="enum",
        name=spec.name,
        message=f"'{spec.name}' must be {wanted}, got {_show(value)}",
        suggestion=suggestion,
        expected=spec.enum,
        note=note,
    )


def _type_problem(spec: ParamSpec, value: object, note: str | None) -> ParamProblem:
    got = f"the string {_show(value)}" if isinstance(value, str) else _show(value)
    return ParamProblem(
        kind="type",
        name=spec.name,
        message=f"'{spec.name}' must be {_types_phrase(spec.types)}, got {got}",
        note=note,
    )


_BOOL_WORDS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}
_INT = re.compile(r"[+-]?\d{1,18}")
_FLOAT = re.compile(r"[+-]?(?:\d{1,18}(?:\.\d{0,18})?|\.\d{1,18})(?:[eE][+-]?\d{1,3})?")


def _unstring(text: str, types: tuple[str, ...]) -> bool | int | float | None:
    """The typed value a quoted scalar stands for, when the param wants that type.

    YAML 1.2 (swmlc's loader) reads ``yes``/``on`` as strings, so they count as booleans
    written as strings too. Returns None when ``text`` is not such a value.
    """
    word = text.strip()
    if "boolean" in types and word.lower() in _BOOL_WORDS:
        return _BOOL_WORDS[word.lower()]
    if "integer" in types or "number" in types:
        if _INT.fullmatch(word):
            return int(word)
        if _FLOAT.fullmatch(word):
            number = float(word)
            if number.is_integer() and "integer" in types and "number" not in types:
                return int(number)
            if "number" in types:
                return number
    return None


@cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:  # an ECMA-only construct: better no check than a wrong one
        return None


def _matches(pattern: str, value: str) -> bool:
    compiled = _compiled(pattern)
    return compiled is None or compiled.search(value) is not None


def _types_phrase(types: tuple[str, ...]) -> str:
    return " or ".join(_ARTICLE.get(t, f"a {t}") for t in types)


def _num(value: Number) -> str:
    return repr(value)


def _show(value: object) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return "'" + text.replace("'", "\\'") + "'"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return repr(value)
    kind = json_type(value)
    return _ARTICLE.get(kind, f"a {kind}")

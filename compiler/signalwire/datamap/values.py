"""JSON values as the platform's C code (cJSON inside mod_openai) holds them.

The DataMap evaluator must agree with the platform on details a Python dict does not have:
names match without regard to ASCII case and the first match wins; adding a member that exists
keeps the old value; numbers print the way ``cJSON_Print`` prints them (``72.5`` is
``72.500000``); a body is parsed the way ``cJSON_Parse`` parses it (a byte order mark and leading
blanks skipped, anything after the first value ignored). Each of these decides what a caller
hears, so each is here once, for the template expander and the evaluator alike.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

__all__ = [
    "MISSING",
    "Missing",
    "add_item",
    "atoi",
    "cjson_parse",
    "cjson_print",
    "delete_item",
    "get_item",
    "has_item",
    "lookup",
    "lower_ascii",
    "string_item",
    "value_text",
]


class Missing:
    """What a lookup that finds nothing returns: distinct from JSON ``null``."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = Missing()

_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# strtol's view of an index: optional blanks and sign, then digits, nothing else.
_INDEX = re.compile(r"[ \t\n\v\f\r]*[+-]?[0-9]+")
_ATOI = re.compile(r"[ \t\n\v\f\r]*([+-]?[0-9]+)")
_MAX_PATH_BYTES = 1024
_MAX_PATH_DEPTH = 128
_INT_MAX = 2**31 - 1
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
            "\t": "\\t"}


def lower_ascii(text: str) -> str:
    """C's ``tolower`` over a string: ASCII letters only (``É`` stays ``É``)."""
    return text.lower() if text.isascii() else text.translate(_LOWER)


def atoi(text: str) -> int:
    """C's ``atoi``: the leading integer of ``text``, or 0.

    Example:
        >>> atoi(" 3 items"), atoi("x3")
        (3, 0)
    """
    found = _ATOI.match(text)
    return int(found.group(1)) if found else 0


def get_item(container: Any, name: str) -> Any:
    """The first member of an object named ``name`` without regard to ASCII case, or MISSING.

    Example:
        >>> get_item({"Temp": 1, "temp": 2}, "TEMP")
        1
    """
    if not isinstance(container, dict):
        return MISSING
    wanted = name.lower() if name.isascii() else name.translate(_LOWER)
    for key, value in container.items():
        # the same name written the same way matches without lowering (the common case: a
        # test run looks names up hundreds of thousands of times)
        if key == name:
            return value
        text = key if isinstance(key, str) else str(key)
        if (text.lower() if text.isascii() else text.translate(_LOWER)) == wanted:
            return value
    return MISSING


def has_item(container: Any, name: str) -> bool:
    return get_item(container, name) is not MISSING


def string_item(container: Any, name: str) -> str | None:
    """A member's value when it is a string (``cJSON_GetObjectCstr``)."""
    value = get_item(container, name)
    return value if isinstance(value, str) else None


def add_item(container: dict[str, Any], name: str, value: Any) -> None:
    """Add a member unless one of that name exists: cJSON appends a second member and lookups
    find the first, so the old value is the one every template reads."""
    if not has_item(container, name):
        container[name] = value


def delete_item(container: dict[str, Any], name: str) -> None:
    """Remove the first member named ``name`` without regard to ASCII case."""
    wanted = lower_ascii(name)
    for key in list(container):
        if lower_ascii(str(key)) == wanted:
            del container[key]
            return


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 32:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def cjson_print(value: Any, depth: int = 0) -> str:
    """``value`` as ``cJSON_Print`` writes it: whole numbers without a point, others with six
    decimals, objects over several lines with one tab per level.

    Example:
        >>> cjson_print({"t": 72.5, "n": [1, 2.0, None]})
        '{\\n\\t"t":\\t72.500000,\\n\\t"n":\\t[1, 2, null]\\n}'
    """
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        try:  # cJSON holds every number as a double: 2**64 prints as the double nearest it
            number = float(value)
        except OverflowError:
            return "null"
        if number != number or number in (float("inf"), float("-inf")):
            return "null"
        return str(int(number)) if number.is_integer() else f"{number:f}"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(cjson_print(item, depth + 1) for item in value) + "]"
    if isinstance(value, dict):
        inner = "\t" * (depth + 1)
        members = [f"{inner}{_string(str(k))}:\t{cjson_print(v, depth + 1)}"
                   for k, v in value.items()]
        if not members:
            return "{\n" + "\t" * depth + "}"
        return "{\n" + ",\n".join(members) + "\n" + "\t" * depth + "}"
    return _string(str(value))


def cjson_parse(text: str) -> Any:
    """Parse ``text`` as ``cJSON_Parse`` does, or return MISSING: a byte order mark and leading
    blanks are skipped, control characters inside strings accepted, and anything after the
    first value ignored.

    Example:
        >>> cjson_parse('  {"a": 1} trailing'), cjson_parse("not json")
        ({'a': 1}, MISSING)
    """
    text = text.lstrip("\ufeff").lstrip("".join(chr(c) for c in range(33)))
    try:
        value, _ = json.JSONDecoder(strict=False).raw_decode(text)
    except (ValueError, RecursionError):
        return MISSING
    return value


def value_text(value: Any, escape_json: bool = False) -> str:
    """A resolved value as a template inserts it: a string as it is (with ``"`` and ``\\``
    escaped inside JSON text), anything else as cJSON prints it."""
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace('"', '\\"') if escape_json else value
    return cjson_print(value)


def lookup(data: Any, path: str) -> Any:
    """The value at a template path, or MISSING, as the platform's ``get_json_object`` finds it.

    Dots separate names (empty names are skipped), matched without regard to ASCII case; one
    ``[n]`` may follow a name, a negative ``n`` counting from the end. A path ending in a dot
    does not resolve; an empty path is the whole data.

    Example:
        >>> lookup({"Weather": [{"max": 70}, {"max": 75}]}, "weather[-1].MAX")
        75
        >>> lookup({"grid": [[1, 2]]}, "grid[0][1]")
        MISSING
    """
    if len(path.encode("utf-8")) > _MAX_PATH_BYTES or path.endswith("."):
        return MISSING
    current = data
    for depth, token in enumerate((part for part in path.split(".") if part), start=1):
        if depth > _MAX_PATH_DEPTH:
            return MISSING
        if "[" not in token:
            current = get_item(current, token)
            if current is MISSING:
                return MISSING
            continue
        name, rest = token.split("[", 1)
        close = rest.find("]")
        if close < 0 or rest[close + 1:] or not _INDEX.fullmatch(rest[:close]):
            return MISSING
        index = int(rest[:close])
        current = get_item(current, name)
        if not isinstance(current, list) or index > _INT_MAX:
            return MISSING
        if index < 0:
            index += len(current)
        if not 0 <= index < len(current):
            return MISSING
        current = current[index]
    return current

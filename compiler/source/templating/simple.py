"""Templates that only substitute variables (``Hello {{ name }}``), rendered without Jinja.

Most template strings of a definition are text with ``{{ name }}`` in it. Rendering those
through Jinja cost a context and a generator per string (10% of a build, measured), and
importing Jinja is a third of a cold single-agent build. Here such a string is split once into
text and names, and rendered by joining; anything else (a filter, a statement, a comment, a
name that is not a defined string, whitespace control, a carriage return, which Jinja's lexer
would normalise) answers None, and the caller renders the string with Jinja, which also says
every error. So the fast path gives exactly Jinja's result or nothing.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from typing import Any

#: ``{{ name }}`` as Jinja's lexer reads it: the first ``{{`` opens a variable block.
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z_0-9]*)\s*\}\}")
#: Names Jinja reads as constants (or keywords), not variables.
_NOT_VARIABLES = frozenset({"true", "false", "none", "True", "False", "None", "env", "secret",
                            "file", *keyword.kwlist})

#: Text and variable names, in order: a ``str`` is text, a 1-tuple a name.
Parts = tuple[str | tuple[str], ...]


def split(text: str) -> Parts | None:
    """``text`` as text and names, or None when it is more than substitution.

    Example:
        >>> split("Hi {{ name }}, from {{city}}.")
        ('Hi ', ('name',), ', from ', ('city',), '.')
        >>> split("{{ name | upper }}") is None, split("{% if x %}y{% endif %}") is None
        (True, True)
    """
    if "{%" in text or "{#" in text or "\r" in text:
        return None
    parts: list[str | tuple[str]] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            parts.append(text[pos:])
            return tuple(p for p in parts if p != "")
        m = _VARIABLE.match(text, start)
        if m is None or m.group(1) in _NOT_VARIABLES:
            return None
        parts += [text[pos:start], (m.group(1),)]
        pos = m.end()


def render(parts: Parts, variables: Mapping[str, Any], limit: int) -> str | None:
    """The rendered text, or None when Jinja must decide: a name that is undefined or holds
    anything but a string (Jinja types a whole expression, and says what is wrong with the
    rest), or a result over the template size limit."""
    out: list[str] = []
    size = 0
    for part in parts:
        if isinstance(part, tuple):
            value = variables.get(part[0])
            if type(value) is not str:
                return None
            part = value
        size += len(part)
        if size > limit:
            return None
        out.append(part)
    return "".join(out)


def names(parts: Parts) -> set[str]:
    """The variables a split template reads."""
    return {p[0] for p in parts if isinstance(p, tuple)}

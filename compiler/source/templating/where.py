"""Where inside a YAML scalar a template problem is.

Jinja counts lines from the start of the string it renders, and has no columns; the string is
the scalar's value, which is not its source text: a ``|`` block starts on the line after its
indicator and drops the indentation, a ``>`` block and a quoted scalar fold line breaks into
spaces. So the place is found in the source itself, through the file's :class:`LineIndex`
(:mod:`compiler.source.text`): an undefined name by its own characters inside a ``{{ }}`` or
``{% %}`` of the scalar's source (line and column, ``4:17``), a syntax error by the line of the
value it is on, matched to the source line that holds that text.
"""

from __future__ import annotations

import re

from compiler.core.tree import Span
from compiler.source.text import LineIndex

_BLOCKS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
#: Folded/quoted source lines start with these, which are not part of the value's text.
_LEAD = " \t\"'"


def name_span(source: str, span: Span, name: str) -> Span | None:
    """The span of the first use of the variable ``name`` inside a Jinja expression or
    statement of the scalar at ``span``, or None when the source does not show it (the name
    is read by a file pulled in with ``{% include %}``).

    Example:
        >>> text = "prompt:\\n  text: |\\n    Hi.\\n    Welcome! {{ compnay }}\\n"
        >>> str(name_span(text, Span("a.yaml", 2, 9, 5, 1), "compnay"))
        'a.yaml:4:17'
    """
    index = LineIndex(source)
    covered = index.covers(span)
    if covered is None:
        return None
    start, end = covered
    use = re.compile(rf"(?<![\w.'\"]){re.escape(name)}(?![\w'\"])")
    for block in _BLOCKS.finditer(source, start, end):
        found = use.search(block.group(0))
        if found is not None:
            at = block.start() + found.start()
            return index.span(span.file, at, at + len(name))
    return None


def line_span(source: str, span: Span, value: str, lineno: int) -> Span | None:
    """The source line holding line ``lineno`` (1-based) of the scalar's ``value``, from its
    first character, or None when it cannot be told.

    Each line of the value begins a line of the source (a ``>`` block or a quoted scalar only
    joins lines after their start), so the value's lines are matched, in order, to the source
    lines of the scalar whose text they begin with.

    Example:
        >>> text = "a: >\\n  one\\n  two\\n\\n  {{ x }\\n"
        >>> str(line_span(text, Span("f.yaml", 1, 4, 6, 1), "one two\\n{{ x }\\n", 2))
        'f.yaml:5:3'
    """
    index = LineIndex(source)
    lines = value.split("\n")
    if not 1 <= lineno <= len(lines):
        return None
    number = span.line
    last = min(span.end_line, index.lines)
    if index.block_header(span.line + 1) == span.line:
        number += 1  # a block scalar's text starts on the line after its indicator
    for i, wanted in enumerate(lines[:lineno]):
        head = wanted.strip()[:40]
        while number <= last:
            text = index.line(number) or ""
            if number == span.line:
                text = text[span.col - 1:]
            here = text.strip().lstrip(_LEAD).lstrip()
            if (here.startswith(head) or head.startswith(here)) and bool(head) == bool(here):
                break  # this source line begins the value's line (or both are blank)
            number += 1
        if number > last:
            return None
        if i + 1 == lineno:
            text = index.line(number) or ""
            col = len(text) - len(text.lstrip(" \t")) + 1
            if number == span.line:
                col = max(col, span.col)
            return Span(span.file, number, col, number, len(text) + 1)
        number += 1
    return None

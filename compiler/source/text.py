"""One text's lines, indexed once: offsets to (line, column) and back.

Positions are 1-based lines and columns counted in characters, as the YAML reader's spans are.
Every place that turns a span into text (the snippet under a diagnostic, ``lint --fix``'s byte
edits, ``# swmlc: ignore[...]`` comments, the caret on one ``${...}`` inside a scalar, a Jinja
line inside a block scalar) goes through a :class:`LineIndex`, so they all agree.
"""

from __future__ import annotations

import bisect
import re

from compiler.core.tree import Span

_BREAK = re.compile(r"\r\n?|\n")
#: The end of a line that opens a YAML block scalar: ``key: |``, ``- >-``, ``text: |2`` (with an
#: optional comment after the indicator).
_BLOCK_HEADER = re.compile(r"(?:^|[:\-]\s)\s*[|>][-+0-9]*\s*(?:#.*)?$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _node_column(line: str) -> int:
    """The column of the node a block-scalar header belongs to: its key, or the ``-`` of a list
    item holding the scalar directly."""
    col = _indent(line)
    rest = line[col:]
    while rest.startswith("- ") and ":" in rest[2:]:
        step = 2 + _indent(rest[2:])
        col += step
        rest = rest[step:]
    return col


class LineIndex:
    """The start offset of every line of ``text`` (a line ends after its ``\\n``).

    Example:
        >>> ix = LineIndex("a: 1\\nb: [x, y]\\n")
        >>> ix.offset(2, 5), ix.position(5), ix.line(2)
        (9, (2, 1), 'b: [x, y]')
    """

    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        if "\r" in text:  # CRLF and lone CR end lines too, as for the YAML parser
            starts += [m.end() for m in _BREAK.finditer(text)]
        else:
            find = text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
        self.starts = starts

    @property
    def lines(self) -> int:
        return len(self.starts)

    def line(self, number: int) -> str | None:
        """Line ``number`` without its line break."""
        if not 1 <= number <= len(self.starts):
            return None
        start = self.starts[number - 1]
        end = self.starts[number] if number < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n") if number < len(self.starts) \
            else self.text[start:end]

    def offset(self, line: int, col: int) -> int:
        """The offset of (line, col); a line past the end is the end of the text."""
        if line > len(self.starts):
            return len(self.text)
        return self.starts[max(line, 1) - 1] + col - 1

    def position(self, offset: int) -> tuple[int, int]:
        """(line, col) of ``offset``."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span(self, file: str, start: int, end: int) -> Span:
        """The span of ``text[start:end]``."""
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        return Span(file, line, col, end_line, end_col)

    def block_header(self, number: int) -> int | None:
        """The line that opens the YAML block scalar (``|`` or ``>``) line ``number`` is part
        of, or None when it is part of none.

        Every line of a block is indented more than the node that holds it (the key before the
        ``|``, or the ``-`` of a list item): walking up, the nearest line ending in a block
        indicator whose node every line in between is indented past is the opener.

        Example:
            >>> ix = LineIndex("a:\\n  text: |\\n    one\\n\\n      two\\n  b: 1\\n")
            >>> ix.block_header(5), ix.block_header(3), ix.block_header(6)
            (2, 2, None)
            >>> LineIndex("- a: |\\n    x\\n  b: 1\\n").block_header(3) is None
            True
        """
        line = self.line(number)
        if line is None or not line.strip():
            return None
        lowest = _indent(line)
        for above in range(number - 1, 0, -1):
            text = (self.line(above) or "").rstrip()
            if not text.strip():
                continue
            if _BLOCK_HEADER.search(text):
                return above if lowest > _node_column(text) else None
            lowest = min(lowest, _indent(text))
            if lowest == 0:
                return None
        return None

    def covers(self, span: Span) -> tuple[int, int] | None:
        """The offsets ``span`` covers, when the text holds them."""
        if span.line < 1 or span.end_line > len(self.starts):
            return None
        return self.offset(span.line, span.col), self.offset(span.end_line, span.end_col)

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

    def covers(self, span: Span) -> tuple[int, int] | None:
        """The offsets ``span`` covers, when the text holds them."""
        if span.line < 1 or span.end_line > len(self.starts):
            return None
        return self.offset(span.line, span.col), self.offset(span.end_line, span.end_col)

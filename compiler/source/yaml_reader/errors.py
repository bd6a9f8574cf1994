"""What is said when a YAML text cannot be read, in swmlc's own words."""

from __future__ import annotations

from typing import Any

import yaml

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Label
from compiler.core.tree import Span
from compiler.source.text import LineIndex


def mark_span(file: str, mark: Any) -> Span:
    return Span(file, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)


def syntax_error(file: str, exc: yaml.YAMLError, text: str) -> Diagnostic:
    """The diagnostic for a YAML error raised by PyYAML's pure-Python parser (never libyaml's,
    whose wording and limits change between its versions): classified by the error's class, its
    context and the character at its mark, and said in swmlc's own words."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    span = mark_span(file, mark) if mark is not None else Span(file, 1, 1, 1, 1)
    if mark is not None and mark.index >= len(text.rstrip()) and text.strip():
        # the parser stops at the end of the stream, a line past the text: say it at the end of
        # the text's last line instead, where an editor can show it
        line, col = LineIndex(text).position(len(text.rstrip()))
        span = Span(file, line, col, line, col + 1)
    message = problem if not context else f"{problem} ({context})"
    help_text = None
    found = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    if found == "\t" and isinstance(exc, yaml.scanner.ScannerError):
        message = "a tab character where YAML expects spaces"
        help_text = "YAML indentation uses spaces; replace the tab"
    elif context == "while scanning a quoted scalar" and context_mark is not None \
            and found == "":
        # the parser reports the end of the file; the mistake is the quote that never closes
        span = mark_span(file, context_mark)
        quote = text[context_mark.index] if context_mark.index < len(text) else '"'
        message = "this quoted string is never closed"
        help_text = f"add the closing {quote} (or quote the value with the other kind of quote)"
    elif context == "while scanning a simple key":
        if context_mark is not None:  # the key that lacks its ':', not the end of the file
            span = mark_span(file, context_mark)
        message = "expected ':' after this key"
        help_text = "a key needs a ':' after it; a value with ': ' or '#' in it needs quotes"
    elif isinstance(exc, yaml.scanner.ScannerError) and context is None and found == ":":
        message = "unexpected ':' inside a plain value"
        help_text = ("a value with ': ' in it needs quotes (text: \"Note: ...\"); "
                     "or the line above lacks its ':'")
    elif context in ("while parsing a flow sequence", "while parsing a flow mapping") \
            and context_mark is not None:
        closer = "]" if "sequence" in context else "}"
        message = f"expected ',' or '{closer}'"
        labels = (Label(mark_span(file, context_mark),
                        f"this {'list' if closer == ']' else 'mapping'} is never closed"),)
        return codes.YAML_SYNTAX.at(span, message, labels=labels,
                                    help=f"close it with '{closer}', or separate items with ','")
    elif isinstance(exc, yaml.composer.ComposerError) and context is None:
        message = "found undefined alias"
        help_text = "define the anchor (&name) before using it (*name)"
    elif isinstance(exc, yaml.composer.ComposerError):
        message = "the file holds more than one YAML document"
        help_text = "keep one document per file (remove the extra '---')"
    return codes.YAML_SYNTAX.at(span, message, help=help_text)


def reader_error(file: str, exc: yaml.reader.ReaderError, text: str) -> Diagnostic:
    """A character YAML forbids (the pure-Python reader gives its offset in characters)."""
    line, col = LineIndex(text).position(exc.position)
    return codes.YAML_SYNTAX.at(
        Span(file, line, col, line, col + 1),
        f"the character U+{exc.character:04X} is not allowed in YAML"
        if isinstance(exc.character, int) else f"unacceptable character: {exc.reason}",
        help="remove it; to put a control character in a string, quote the string and "
             "write it as an escape (\"\\t\", \"\\u0007\")")


#: Line breaks of YAML 1.1 that YAML 1.2 reads as ordinary characters. PyYAML (both parsers)
#: ends a comment at them, so ``# note<U+2028>key: value`` would hide a key in what every editor
#: and diff shows as a comment.
_OLD_BREAKS = ("\x85", "\u2028", "\u2029")


def old_break(text: str, file: str) -> Diagnostic | None:
    found = [text.find(c) for c in _OLD_BREAKS]
    first = min((i for i in found if i >= 0), default=-1)
    if first < 0:
        return None
    line, col = LineIndex(text).position(first)
    return codes.YAML_SYNTAX.at(
        Span(file, line, col, line, col + 1),
        f"the character U+{ord(text[first]):04X} is a line break to some YAML readers and "
        "not to others",
        help="remove it; inside a double-quoted string write it as an escape "
             f"(\"\\u{ord(text[first]):04x}\")")

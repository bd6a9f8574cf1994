"""Read JSON into a positioned tree, strictly as RFC 8259 defines it.

Every JSON file swmlc reads goes through here (``swmlc validate``, ``swmlc import``, anything
loaded through :class:`compiler.source.files.SourceFiles` under a ``.json`` name), so one file
gets one verdict. Python's ``json`` module is laxer than the RFC (it takes ``NaN``,
``Infinity`` and, with ``strict=False``, raw control characters in strings), and a YAML parser
is laxer still (comments, single quotes, a raw newline inside a string); the platform parses
JSON strictly, so swmlc does too, and says where a text stops being JSON:

* one value, with only space, tab, LF and CR around it;
* ``true``, ``false``, ``null``; no ``NaN``/``Infinity``, no comments, no trailing commas;
* strings in double quotes, with every control character escaped (``\\n``, not a raw line
  break) and no lone half of a surrogate pair (no UTF-8 text can hold one);
* numbers as the RFC writes them (no ``+1``, ``01``, ``.5``), and none too large for a double;
* a key given twice in one object is refused, as the YAML reader refuses it (parsers disagree
  on which one wins).

The result is the tree the YAML reader gives (:class:`Map`/:class:`Seq` with a span on every
key, value and item), so everything after reading is the same for both formats.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, NoReturn

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Label
from compiler.core.tree import Map, Seq, Span
from compiler.source.text import LineIndex
from compiler.source.yaml_reader import MAX_DEPTH, YamlResult
from compiler.source.yaml_reader.nodes import MAX_INT

_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}
#: A number written with more characters than this is refused: no SWML value needs one, and
#: converting a 100,000-digit integer is a denial of service.
MAX_NUMBER_CHARS = 400
_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_JSON_WORDS = {
    "NaN": "NaN is not JSON (Python's json module writes it, the RFC has no such value)",
    "Infinity": "Infinity is not JSON (the RFC has no such value)",
    "undefined": "undefined is not JSON",
    "True": "JSON writes true in lower case", "False": "JSON writes false in lower case",
    "None": "JSON writes null, not None", "Null": "JSON writes null in lower case",
}


class _Fail(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def read_json(text: str, file: str) -> YamlResult:
    """Parse one JSON text. Never raises: a problem comes back as one located diagnostic.

    Example:
        >>> r = read_json('{"a": [1, 2.5, "x"]}', "d.json")
        >>> r.value, str(r.value.value_span("a"))
        ({'a': [1, 2.5, 'x']}, 'd.json:1:7')
        >>> [d.message for d in read_json('{"a": NaN}', "d.json").diagnostics]
        ["NaN is not JSON (Python's json module writes it, the RFC has no such value)"]
    """
    reader = _Reader(text.removeprefix("\ufeff"), file)
    try:
        return YamlResult(reader.document(), [])
    except _Fail as fail:
        return YamlResult(None, [fail.diagnostic])


class _Reader:
    """A flat (non-recursive) reader: nesting is a list of open containers, so depth is bounded
    by :data:`MAX_DEPTH` with a diagnostic, never by Python's stack."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.index = LineIndex(text)
        self.pos = 0

    # -- places and failures ---------------------------------------------------------------

    def span(self, start: int, end: int | None = None) -> Span:
        return self.index.span(self.file, start, start + 1 if end is None else end)

    def fail(self, start: int, message: str, *, end: int | None = None, help: str | None = None,
             labels: tuple[Label, ...] = ()) -> NoReturn:
        raise _Fail(codes.JSON_SYNTAX.at(self.span(start, end), message, help=help,
                                         labels=labels))

    def skip(self) -> None:
        m = _SPACE.match(self.text, self.pos)
        assert m is not None  # the pattern matches the empty string
        self.pos = m.end()

    # -- the document ----------------------------------------------------------------------

    def document(self) -> Any:
        self.skip()
        if self.pos >= len(self.text):
            self.fail(0, "the file holds no JSON value",
                      help="a JSON document is one value, e.g. {\"version\": \"1.0.0\", ...}")
        value, _ = self.value(0)
        self.skip()
        if self.pos < len(self.text):
            self.unexpected("the end of the file, after one JSON value")
        return value

    def value(self, depth: int) -> tuple[Any, Span]:
        """The value at the cursor. Containers are read with an explicit stack of open ones
        (each with its opening offset and the key its next value goes under), not by
        recursion."""
        stack: list[tuple[Map | Seq, int, list[tuple[str, Span]]]] = []
        while True:
            self.skip()
            if stack:
                self.expect_more(stack[-1][1])
            item, span, opened = self.start_value(stack, depth)
            if opened:
                continue  # read the first entry of the container just opened
            while True:  # a value is complete: attach it, and close what closes after it
                if not stack:
                    return item, span
                container, start, key = stack[-1]
                if isinstance(container, Seq):
                    container.push(item, span)
                else:
                    name, key_span = key.pop()
                    container.put(name, item, span, key_span)
                if self.after_entry(container, start):
                    if isinstance(container, Map):
                        key.append(self.key(container))
                    break
                stack.pop()
                item, span = container, self.close(container, start)

    def start_value(self, stack: list[tuple[Map | Seq, int, list[tuple[str, Span]]]],
                    depth: int) -> tuple[Any, Span, bool]:
        """A scalar, an empty container, or (third item True) a container left open on the
        stack with the cursor at its first entry."""
        char = self.text[self.pos]
        if char not in "[{":
            return (*self.scalar(), False)
        if len(stack) + depth >= MAX_DEPTH:
            self.fail(self.pos, f"values are nested more than {MAX_DEPTH} levels deep")
        start = self.pos
        container: Map | Seq = Map() if char == "{" else Seq()
        self.pos += 1
        self.skip()
        self.expect_more(start)
        if self.text[self.pos] == ("}" if char == "{" else "]"):
            self.pos += 1
            return container, self.close(container, start), False
        key: list[tuple[str, Span]] = []
        if isinstance(container, Map):
            key.append(self.key(container))
        stack.append((container, start, key))
        return None, self.span(start), True

    def close(self, container: Map | Seq, start: int) -> Span:
        container.span = self.span(start, self.pos)
        return container.span

    def after_entry(self, container: Map | Seq, start: int) -> bool:
        """After an entry: True past a ',' (an object's next key read), False past the
        container's closer."""
        self.skip()
        self.expect_more(start)
        closer = "}" if isinstance(container, Map) else "]"
        char = self.text[self.pos]
        if char == closer:
            self.pos += 1
            return False
        if char != ",":
            what = "object" if closer == "}" else "array"
            self.unexpected(f"',' or '{closer}' in this {what}",
                            labels=(Label(self.span(start), f"the {what} opened here"),))
        comma = self.pos
        self.pos += 1
        self.skip()
        self.expect_more(start)
        if self.text[self.pos] == closer:
            self.fail(comma, f"a ',' just before '{closer}': JSON allows no trailing comma",
                      help="remove the last ','")
        return True

    def expect_more(self, opened: int) -> None:
        if self.pos >= len(self.text):
            char = self.text[opened]
            closer = "}" if char == "{" else "]"
            self.fail(opened, f"this '{char}' is never closed",
                      help=f"close it with '{closer}' (the file ends before it is)")

    def key(self, container: Map) -> tuple[str, Span]:
        start = self.pos
        if self.text[start] != '"':
            hint = ("JSON keys are strings in double quotes" if self.text[start] in "'"
                    or _WORD.match(self.text, start) else None)
            self.unexpected("a key in double quotes", help=hint)
        name = self.string()
        span = self.span(start, self.pos)
        if name in container:
            raise _Fail(codes.DUPLICATE_KEY.at(
                span, f"duplicate key '{name}'",
                labels=(Label(container.key_span(name), "first given here"),),
                help="JSON parsers disagree on which one wins: keep one"))
        self.skip()
        if self.pos >= len(self.text) or self.text[self.pos] != ":":
            if self.pos >= len(self.text):
                self.fail(start, f"the file ends after the key '{name}'")
            self.unexpected(f"':' after the key '{name}'")
        self.pos += 1
        return name, span

    # -- scalars ---------------------------------------------------------------------------

    def scalar(self) -> tuple[Any, Span]:
        start = self.pos
        char = self.text[start]
        if char == '"':
            value: Any = self.string()
        elif char == "-" or char.isdigit():
            value = self.number()
        else:
            word = _WORD.match(self.text, start)
            if word is None or word.group(0) not in _LITERALS:
                self.not_a_value(word.group(0) if word else None)
            assert word is not None
            value = _LITERALS[word.group(0)]
            self.pos = word.end()
        return value, self.span(start, self.pos)

    def string(self) -> str:
        start = self.pos
        try:
            value, end = json.decoder.scanstring(self.text, start + 1, True)  # type: ignore[attr-defined]
        except json.JSONDecodeError as exc:
            self.string_error(start, exc)
        surrogate = _SURROGATE.search(value)
        if surrogate is not None:
            escape = f"\\u{ord(surrogate.group(0)):04x}"
            at = self.text.lower().find(escape, start, end)
            self.fail(at if at >= 0 else start, f"the escape {escape} is half of a surrogate pair",
                      end=(at + 6) if at >= 0 else None,
                      help="no UTF-8 text can hold half a pair: write the whole character, or "
                           "both halves (\\ud83d\\ude00)")
        self.pos = end
        return str(value)

    def string_error(self, start: int, exc: json.JSONDecodeError) -> NoReturn:
        at = exc.pos
        if exc.msg.startswith("Invalid control character") and at < len(self.text):
            names = {"\n": ("a raw line break", "\\n"), "\r": ("a raw carriage return", "\\r"),
                     "\t": ("a raw tab", "\\t")}
            what, escape = names.get(self.text[at], (
                f"the control character U+{ord(self.text[at]):04X}",
                f"\\u{ord(self.text[at]):04x}"))
            self.fail(at, f"{what} inside a string: JSON needs it escaped",
                      help=f"write it as {escape} (a YAML reader takes the raw character; the "
                           "platform and swmlc do not)")
        if exc.msg.startswith("Unterminated string"):
            self.fail(start, "this string is never closed", help='add the closing "')
        if exc.msg.startswith("Invalid \\escape") or exc.msg.startswith("Invalid \\u"):
            self.fail(at, f"'{self.text[at:at + 2]}' is not a JSON escape",
                      end=min(at + 2, len(self.text)),
                      help='JSON escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX')
        self.fail(at, f"invalid JSON string: {exc.msg}")  # pragma: no cover - none left

    def number(self) -> int | float:
        start = self.pos
        m = _NUMBER.match(self.text, start)
        if m is None or m.end() == start:
            word = _WORD.match(self.text, start + 1)
            self.not_a_value("-" + word.group(0) if word else None)
        assert m is not None
        end = m.end()
        follow = self.text[end:end + 1]
        if follow.isdigit() or follow in (".", "e", "E") or follow.isalpha():
            self.fail(start, f"'{self.text[start:end + 1]}' is not a JSON number",
                      end=end + 1, help="JSON numbers have no leading zeros, no leading '+' or "
                                        "'.', and digits after a '.' or an exponent")
        written = m.group(0)
        if len(written) > MAX_NUMBER_CHARS:
            self.fail(start, f"a number written with {len(written)} characters: swmlc reads "
                             f"numbers of up to {MAX_NUMBER_CHARS}", end=end)
        self.pos = end
        if m.group(0).lstrip("-").isdigit():
            value_int = int(written)
            if abs(value_int) > MAX_INT:
                self.fail(start, f"the integer {written[:20]}{'...' if len(written) > 20 else ''}"
                                 " does not fit in 64 bits", end=end,
                          help="JSON readers lose such numbers: write it as a string if it is "
                               "an identifier")
            return value_int
        value = float(written)
        if math.isinf(value):
            self.fail(start, f"{written} is too large for a number (it would be infinite)",
                      end=end)
        return value

    def not_a_value(self, word: str | None) -> NoReturn:
        if word in _NOT_JSON_WORDS or (word and word.lstrip("-") in _NOT_JSON_WORDS):
            said = _NOT_JSON_WORDS.get(word or "") or _NOT_JSON_WORDS[(word or "").lstrip("-")]
            self.fail(self.pos, said, end=self.pos + len(word or "x"),
                      help="write null, a number, or the text as a string")
        self.unexpected("a value (a string, number, object, array, true, false or null)")

    def unexpected(self, wanted: str, *, help: str | None = None,
                   labels: tuple[Label, ...] = ()) -> NoReturn:
        at = self.pos
        char = self.text[at] if at < len(self.text) else ""
        if self.text.startswith(("//", "/*"), at):
            self.fail(at, "JSON has no comments", end=at + 2, help="remove the comment")
        if char == "'":
            help = help or "JSON strings use double quotes"
        shown = repr(char) if char else "the end of the file"
        self.fail(at, f"expected {wanted}, found {shown}", help=help, labels=labels)

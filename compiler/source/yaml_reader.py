"""Read YAML into a positioned tree, strictly.

PyYAML's C parser does the parsing and composes nodes that carry line/column marks; this module
constructs ``Map``/``Seq`` values from those nodes itself instead of using PyYAML's constructor,
because it needs what that constructor throws away or gets wrong for configuration files:

* positions on every key, value and item (for file:line:col on any later error);
* duplicate keys as an error (PyYAML silently keeps the last one);
* YAML 1.2 core-schema scalars (PyYAML resolves YAML 1.1, where ``no`` and ``on`` are booleans:
  the "Norway problem");
* a bound on alias expansion computed before anything is expanded, so a billion-laughs document
  is refused in microseconds with no memory spent;
* an explicit nesting limit instead of a RecursionError traceback.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Label
from compiler.core.tree import Map, Seq, Span, Tagged

#: Expanded nodes a single document may hold once its aliases are expanded. A large real agent
#: is a few thousand nodes; ten thousand agents' worth would still fit.
MAX_EXPANDED_NODES = 1_000_000
#: Nesting depth; real definitions stay under 15.
MAX_DEPTH = 200

#: Tags swmlc understands besides YAML's own (merge directives, see docs/merging.md).
MERGE_TAGS = frozenset({"!append", "!prepend", "!replace", "!delete"})

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Memo:
    """Resolution of plain scalars, memoised: the same keys and words recur thousands of times
    across a repository, and PyYAML resolves each one with a list of regexes in Python. The memo
    belongs to whoever reads (one per :class:`compiler.source.files.SourceFiles`), not to the
    process."""

    _memo: dict[tuple[str, Any], str] | None = None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        base = super().resolve  # type: ignore[misc]  # PyYAML's stubs leave it untyped
        memo = self._memo
        if memo is not None and kind is yaml.ScalarNode and implicit[0]:
            key = (value, implicit)
            tag = memo.get(key)
            if tag is None:
                tag = base(kind, value, implicit)
                if len(value) < 64 and len(memo) < 50_000:
                    memo[key] = tag
            return tag
        return base(kind, value, implicit)


class Yaml12Loader(_Memo, yaml.CSafeLoader):
    """The C parser with YAML 1.2 core-schema implicit resolvers instead of YAML 1.1's."""


class _PyYaml12Loader(_Memo, yaml.SafeLoader):
    """PyYAML's own pure-Python parser with the same resolvers: the second opinion on a file the
    C parser refused (see :func:`read_yaml`)."""


_RESOLVERS: tuple[tuple[str, str, Any], ...] = (
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (_FLOAT,
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
    (_MERGE, r"^(?:<<)$", ["<"]),
)
for _loader in (Yaml12Loader, _PyYaml12Loader):
    _loader.yaml_implicit_resolvers = {}
    for _tag, _regex, _first in _RESOLVERS:
        _loader.add_implicit_resolver(_tag, re.compile(_regex), list(_first))


@dataclass
class YamlResult:
    value: Any
    diagnostics: list[Diagnostic]


class _Fail(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


_new_tuple = tuple.__new__


def _span(file: str, node: yaml.Node) -> Span:
    s, e = node.start_mark, node.end_mark
    # tuple.__new__ directly: NamedTuple's generated __new__ is a Python frame, and the reader
    # makes a span for every key and value (~600 per mid-size agent).
    span: Span = _new_tuple(Span, (file, s.line + 1, s.column + 1, e.line + 1, e.column + 1))
    return span


#: What each core-schema tag accepts, also when the tag is written out (``!!int 12``).
_CORE_FORMS = {tag: re.compile(regex) for tag, regex, _ in _RESOLVERS if tag != _MERGE}
_TAG_WORDS = {_INT: "an integer", _FLOAT: "a number", _BOOL: "true or false", _NULL: "null"}


def _scalar(node: yaml.ScalarNode, file: str) -> Any:
    tag, text = node.tag, node.value
    if tag in (_STR, _MERGE):  # `<<` is a merge only as a key; as a value it is text
        return text
    if tag in _CORE_FORMS and not _CORE_FORMS[tag].match(text):  # only an explicit tag gets here
        short = "!!" + tag.rsplit(":", 1)[-1]
        raise _Fail(codes.WRONG_TYPE.at(
            _span(file, node), f"'{text}' is not {_TAG_WORDS[tag]}, as its tag {short} says",
            help=f"remove the {short} tag, or write the value as {_TAG_WORDS[tag]}"))
    if tag in MERGE_TAGS:
        return Tagged(tag, text, _span(file, node))
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return text.lower() == "true"
    if tag == _INT:
        sign = -1 if text.startswith("-") else 1
        t = text.lstrip("+-")
        if t.startswith("0o"):
            return sign * int(t[2:], 8)
        if t.startswith("0x"):
            return sign * int(t[2:], 16)
        return sign * int(t)
    if tag == _FLOAT:
        t = text.lower()
        if t.endswith(("inf", "nan")) or math.isinf(float(text)):  # JSON has no inf or NaN
            raise _Fail(codes.WRONG_TYPE.at(
                _span(file, node), f"'{text}' is not a number JSON can hold",
                help="JSON has no infinity or NaN: write a number, or quote the value to keep "
                     "it as text"))
        return float(text)
    raise _Fail(codes.UNKNOWN_TAG.at(
        _span(file, node), f"unknown tag '{tag}'",
        help="swmlc reads plain YAML; its own tags are !append, !prepend, !replace and !delete"))


def _expanded_size(root: yaml.Node, file: str) -> int:
    """Nodes the document holds once aliases are expanded, computed without expanding them."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if depth > MAX_DEPTH:
            raise _Fail(codes.TOO_DEEP.at(
                _span(file, node), f"values are nested more than {MAX_DEPTH} levels deep"))
        if key in in_progress:
            raise _Fail(codes.ALIAS_BOMB.at(
                _span(file, node), "an alias refers to a node that contains it",
                help="a recursive alias cannot be written as JSON; copy the value instead"))
        in_progress.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        in_progress.discard(key)
        sizes[key] = total
        if total > MAX_EXPANDED_NODES:
            raise _Fail(codes.ALIAS_BOMB.at(
                _span(file, node),
                f"aliases here expand to more than {MAX_EXPANDED_NODES:,} values",
                help="this looks like a 'billion laughs' document; write the values out, or "
                     "share them with extends/include instead of nested aliases"))
        return total

    return size(root, 0)


class _Shared(Exception):
    """A collection node reached twice: the document uses aliases (see read_yaml)."""


class _Builder:
    def __init__(self, file: str, allow_shared: bool = False) -> None:
        self.file = file
        self.allow_shared = allow_shared
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:  # the first key or value deeper than the limit is reported
            raise _Fail(codes.TOO_DEEP.at(
                _span(self.file, node), f"values are nested more than {MAX_DEPTH} levels deep"))
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node, self.file)
        if not self.allow_shared:
            if id(node) in self.seen:
                raise _Shared
            self.seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            return self.seq(node, depth)
        assert isinstance(node, yaml.MappingNode)
        return self.map(node, depth)

    def _tag(self, node: yaml.Node, default: str) -> str | None:
        if node.tag == default:
            return None
        if node.tag in MERGE_TAGS:
            return str(node.tag)
        raise _Fail(codes.UNKNOWN_TAG.at(
            _span(self.file, node), f"unknown tag '{node.tag}'",
            help="swmlc's own tags are !append, !prepend, !replace and !delete"))

    def seq(self, node: yaml.SequenceNode, depth: int) -> Seq:
        out = Seq(_span(self.file, node), self._tag(node, _SEQ))
        for child in node.value:
            out.push(self.build(child, depth + 1), _span(self.file, child))
        return out

    def map(self, node: yaml.MappingNode, depth: int) -> Map:
        out = Map(_span(self.file, node), self._tag(node, _MAP))
        merged: list[Map] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self._merge_sources(value_node, depth))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Fail(codes.WRONG_TYPE.at(
                    _span(self.file, key_node), "a mapping key must be a plain scalar",
                    help="JSON object keys are strings; write the key as text"))
            key = key_node.value
            key_span = _span(self.file, key_node)
            if depth + 1 > MAX_DEPTH:
                raise _Fail(codes.TOO_DEEP.at(
                    key_span, f"values are nested more than {MAX_DEPTH} levels deep"))
            if key in out:
                raise _Fail(codes.DUPLICATE_KEY.at(
                    key_span, f"duplicate key '{key}'",
                    labels=(Label(out.key_spans[key], "first defined here"),),
                    help="remove one of them; YAML tools disagree on which one would win"))
            value = self.build(value_node, depth + 1)
            out.put(key, value, _span(self.file, value_node), key_span)
        for source in merged:  # `<<: *base`: keys written here win over merged ones
            for key in source:
                if key not in out:
                    out.copy_entry(source, key)
        return out

    def _merge_sources(self, node: yaml.Node, depth: int) -> list[Map]:
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        found: list[Map] = []
        for n in nodes:
            value = self.build(n, depth + 1)
            if not isinstance(value, Map):
                raise _Fail(codes.WRONG_TYPE.at(
                    _span(self.file, n), "a '<<' merge key takes a mapping or a list of mappings"))
            found.append(value)
        return found


def _mark_span(file: str, mark: Any) -> Span:
    return Span(file, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)


def _syntax_error(file: str, exc: yaml.YAMLError, text: str) -> Diagnostic:
    """The diagnostic for a YAML error raised by PyYAML's pure-Python parser (never libyaml's,
    whose wording and limits change between its versions): classified by the error's class, its
    context and the character at its mark, and said in swmlc's own words."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    span = _mark_span(file, mark) if mark is not None else Span(file, 1, 1, 1, 1)
    message = problem if not context else f"{problem} ({context})"
    help_text = None
    found = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    if found == "\t" and isinstance(exc, yaml.scanner.ScannerError):
        message = "a tab character where YAML expects spaces"
        help_text = "YAML indentation uses spaces; replace the tab"
    elif context == "while scanning a quoted scalar" and context_mark is not None \
            and found == "":
        # the parser reports the end of the file; the mistake is the quote that never closes
        span = _mark_span(file, context_mark)
        quote = text[context_mark.index] if context_mark.index < len(text) else '"'
        message = "this quoted string is never closed"
        help_text = f"add the closing {quote} (or quote the value with the other kind of quote)"
    elif context == "while scanning a simple key":
        if context_mark is not None:  # the key that lacks its ':', not the end of the file
            span = _mark_span(file, context_mark)
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
        labels = (Label(_mark_span(file, context_mark),
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


def _reader_error(file: str, exc: yaml.reader.ReaderError, text: str) -> Diagnostic:
    """A character YAML forbids (the pure-Python reader gives its offset in characters)."""
    from compiler.source.text import LineIndex

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


def _old_break(text: str, file: str) -> Diagnostic | None:
    found = [text.find(c) for c in _OLD_BREAKS]
    first = min((i for i in found if i >= 0), default=-1)
    if first < 0:
        return None
    from compiler.source.text import LineIndex

    line, col = LineIndex(text).position(first)
    return codes.YAML_SYNTAX.at(
        Span(file, line, col, line, col + 1),
        f"the character U+{ord(text[first]):04X} is a line break to some YAML readers and "
        "not to others",
        help="remove it; inside a double-quoted string write it as an escape "
             f"(\"\\u{ord(text[first]):04x}\")")


#: Files with fewer characters that can open a collection than this are composed directly:
#: they cannot nest deep enough to exhaust the C stack of PyYAML's recursive composer.
_DEPTH_SCAN_ABOVE = 5_000
_OPENERS = "[{-:?"


def _too_deep(events: Iterator[yaml.Event], file: str) -> Diagnostic | None:
    """The first node deeper than :data:`MAX_DEPTH`, from a parser's events (a flat walk: no
    recursion, and nothing composed)."""
    depth = 0
    for event in events:
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            continue
        if isinstance(event, yaml.NodeEvent):
            if depth > MAX_DEPTH:
                start = event.start_mark
                assert start is not None  # both parsers mark every event
                return codes.TOO_DEEP.at(
                    _mark_span(file, start), f"values are nested more than {MAX_DEPTH} levels deep")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
    return None


def _second_opinion(text: str, file: str, memo: dict[tuple[str, Any], str] | None
                    ) -> tuple[yaml.Node | None, Diagnostic | None]:
    """The C parser refused the text. PyYAML's pure-Python parser reads it again, first only its
    events (is it nested too deep?), then, if that passes, the whole document: its error, whose
    wording PyYAML owns, is the one reported; and a text only libyaml refuses (one of its own
    limits) is read as the pure parser reads it."""
    try:
        deep = _too_deep(_events(_PyYaml12Loader(text)), file)
        if deep is not None:
            return None, deep
        loader = _PyYaml12Loader(text)
        loader._memo = memo
        return loader.get_single_node(), None
    except yaml.reader.ReaderError as exc:
        return None, _reader_error(file, exc, text)
    except yaml.YAMLError as exc:
        return None, _syntax_error(file, exc, text)


def _events(loader: yaml.SafeLoader) -> Iterator[yaml.Event]:
    while loader.check_event():
        yield loader.get_event()  # type: ignore[no-untyped-call]


def _compose(text: str, file: str, memo: dict[tuple[str, Any], str] | None
             ) -> tuple[yaml.Node | None, Diagnostic | None]:
    """The composed root node, or the one problem that stops it.

    The C parser does the work. A file that can nest deep (many characters that open a
    collection) has its depth checked from the C parser's events first: PyYAML's C composer
    recurses on the C stack, and tens of thousands of levels crash the interpreter. When the C
    parser refuses a text, for any reason (a syntax error, or one of libyaml's own limits, which
    changed in libyaml 0.2.6), :func:`_second_opinion` decides what is said.
    """
    old = _old_break(text, file)
    if old is not None:
        return None, old
    try:
        if sum(text.count(c) for c in _OPENERS) > _DEPTH_SCAN_ABOVE:
            deep = _too_deep(yaml.parse(text, Loader=Yaml12Loader), file)
            if deep is not None:
                return None, deep
        loader = _NodeLoader(text)
        loader._memo = memo
        try:
            return loader.get_single_node(), None
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return _second_opinion(text, file, memo)


def read_yaml(text: str, file: str, memo: dict[tuple[str, Any], str] | None = None
              ) -> YamlResult:
    """Parse one YAML document. Never raises: problems come back as diagnostics.

    ``memo`` is a scalar-resolution memo a caller keeps across files (see :class:`_Memo`).
    """
    try:
        node, problem = _compose(text, file, memo)
    except RecursionError:
        return YamlResult(None, [codes.TOO_DEEP.at(
            Span(file, 1, 1, 1, 1), f"values are nested more than {MAX_DEPTH} levels deep")])
    if problem is not None:
        return YamlResult(None, [problem])
    if node is None:
        return YamlResult(None, [])
    try:
        try:
            return YamlResult(_Builder(file).build(node), [])
        except _Shared:
            # Aliases: bound the expansion first (without expanding), then build, sharing.
            # Most files have none and skip this walk over every node.
            _expanded_size(node, file)
            return YamlResult(_Builder(file, allow_shared=True).build(node), [])
    except _Fail as fail:
        return YamlResult(None, [fail.diagnostic])
    except RecursionError:
        return YamlResult(None, [codes.TOO_DEEP.at(
            _span(file, node), f"values are nested more than {MAX_DEPTH} levels deep")])


class _NodeLoader(Yaml12Loader):
    """The C loader, used for its composed root node (swmlc builds values itself)."""

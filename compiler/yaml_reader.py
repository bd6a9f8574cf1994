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
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

from compiler import codes
from compiler.diagnostics import Diagnostic, Label
from compiler.tree import Map, Seq, Span, Tagged

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


class Yaml12Loader(yaml.CSafeLoader):
    """The C parser with YAML 1.2 core-schema implicit resolvers instead of YAML 1.1's.

    Resolution of plain scalars is memoised: the same keys and words recur thousands of times
    across a repository, and PyYAML resolves each one with a list of regexes in Python.
    """

    _resolved: ClassVar[dict[tuple[str, Any], str]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        base = super().resolve  # PyYAML's stubs leave it untyped
        if kind is yaml.ScalarNode and implicit[0]:
            key = (value, implicit)
            tag = self._resolved.get(key)
            if tag is None:
                tag = base(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(value) < 64 and len(self._resolved) < 50_000:
                    self._resolved[key] = tag
            return tag
        return base(kind, value, implicit)  # type: ignore[no-untyped-call]


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
Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _regex, _first in _RESOLVERS:
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_regex), list(_first))


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
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    span = _mark_span(file, mark) if mark is not None else Span(file, 1, 1, 1, 1)
    message = problem if not context else f"{problem} ({context})"
    help_text = None
    found = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    if found == "\t" or "tab character" in problem:
        message = "a tab character where YAML expects spaces"
        help_text = "YAML indentation uses spaces; replace the tab"
    elif context == "while scanning a quoted scalar" and context_mark is not None \
            and "end of stream" in problem:
        # libyaml reports the end of the file; the mistake is the quote that never closes
        span = _mark_span(file, context_mark)
        quote = text[context_mark.index] if context_mark.index < len(text) else '"'
        message = "this quoted string is never closed"
        help_text = f"add the closing {quote} (or quote the value with the other kind of quote)"
    elif "could not find expected ':'" in problem:
        if context_mark is not None:  # the key that lacks its ':', not the end of the file
            span = _mark_span(file, context_mark)
        message = "expected ':' after this key"
        help_text = "a key needs a ':' after it; a value with ': ' or '#' in it needs quotes"
    elif "mapping values are not allowed" in problem:
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
    elif "found undefined alias" in problem:
        help_text = "define the anchor (&name) before using it (*name)"
    elif "expected a single document" in message:
        message = "the file holds more than one YAML document"
        help_text = "keep one document per file (remove the extra '---')"
    return codes.YAML_SYNTAX.at(span, message, help=help_text)


#: Files with fewer characters that can open a collection than this are composed directly:
#: they cannot nest deep enough to exhaust the C stack of PyYAML's recursive composer.
_DEPTH_SCAN_ABOVE = 5_000
_OPENERS = "[{-:?"


def _too_deep(text: str, file: str) -> Diagnostic | None:
    """Refuse deep nesting before composing. PyYAML's C composer recurses on the C stack, so a
    file nested some tens of thousands deep crashes the interpreter (no RecursionError to catch).
    Each collection needs one of ``[{-:?``: a file with few of them is shallow and skips the scan,
    which walks the parser's events (flat, no recursion) counting open collections."""
    if sum(text.count(c) for c in _OPENERS) <= _DEPTH_SCAN_ABOVE:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=Yaml12Loader):
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            continue
        if isinstance(event, yaml.NodeEvent):
            if depth > MAX_DEPTH:
                start = event.start_mark
                assert start is not None  # the C parser marks every event
                return codes.TOO_DEEP.at(
                    _mark_span(file, start), f"values are nested more than {MAX_DEPTH} levels deep")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
    return None


def read_yaml(text: str, file: str) -> YamlResult:
    """Parse one YAML document. Never raises: problems come back as diagnostics."""
    try:
        deep = _too_deep(text, file)
        if deep is not None:
            return YamlResult(None, [deep])
        node = yaml.load(text, Loader=_NodeLoader)
    except yaml.reader.ReaderError as exc:  # a character YAML forbids; it has no mark
        before = text.encode("utf-8")[:exc.position].decode("utf-8", "ignore")  # a byte offset
        position = len(before)
        line = before.count("\n") + 1
        col = position - (before.rfind("\n") + 1) + 1
        return YamlResult(None, [codes.YAML_SYNTAX.at(
            Span(file, line, col, line, col + 1),
            f"the character U+{exc.character:04X} is not allowed in YAML"
            if isinstance(exc.character, int) else f"unacceptable character: {exc.reason}",
            help="remove it; to put a control character in a string, quote the string and "
                 "write it as an escape (\"\\t\", \"\\u0007\")")])
    except yaml.YAMLError as exc:
        return YamlResult(None, [_syntax_error(file, exc, text)])
    except RecursionError:
        return YamlResult(None, [codes.TOO_DEEP.at(
            Span(file, 1, 1, 1, 1), f"values are nested more than {MAX_DEPTH} levels deep")])
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
    """``yaml.load`` with this loader returns the composed root node, unconstructed."""

    def get_single_data(self) -> Any:
        return self.get_single_node()

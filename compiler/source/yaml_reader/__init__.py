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

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Span
from compiler.source.yaml_reader.errors import mark_span, old_break, reader_error, syntax_error
from compiler.source.yaml_reader.loaders import MERGE_TAGS, NodeLoader, PyYaml12Loader, Yaml12Loader
from compiler.source.yaml_reader.nodes import (
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    Builder,
    Fail,
    Shared,
    expanded_size,
    span_of,
)

__all__ = ["MAX_DEPTH", "MAX_EXPANDED_NODES", "MAX_ITEMS", "MERGE_TAGS", "YamlResult", "read_yaml",
           "too_many_items"]


@dataclass
class YamlResult:
    value: Any
    diagnostics: list[Diagnostic]


#: Files with fewer characters that can open a collection than this are composed directly:
#: they cannot nest deep enough to exhaust the C stack of PyYAML's recursive composer.
_DEPTH_SCAN_ABOVE = 5_000
_OPENERS = "[{-:?,"
#: Items of one list or mapping, by default (:attr:`compiler.core.limits.Limits.list_items`).
MAX_ITEMS = 100_000


def _too_deep(events: Iterator[yaml.Event], file: str, max_items: int | None = MAX_ITEMS
              ) -> Diagnostic | None:
    """The first node deeper than :data:`MAX_DEPTH`, or the first list or mapping holding more
    than ``max_items`` items, from a parser's events (a flat walk: no recursion, and nothing
    composed)."""
    depth = 0
    # per open collection: [events inside it, events per item (1 or 2), its start event]
    open_: list[list[Any]] = []
    for event in events:
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            if open_:
                open_.pop()
            continue
        if isinstance(event, yaml.NodeEvent):
            if depth > MAX_DEPTH:
                start = event.start_mark
                assert start is not None  # both parsers mark every event
                return codes.TOO_DEEP.at(
                    mark_span(file, start), f"values are nested more than {MAX_DEPTH} levels deep")
            if open_ and max_items is not None:
                top = open_[-1]
                top[0] += 1
                if top[0] > max_items * top[1]:
                    return _too_many(top[2], file, max_items)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                open_.append([0, 2 if isinstance(event, yaml.MappingStartEvent) else 1, event])
    return None


def _too_many(event: yaml.Event, file: str, max_items: int) -> Diagnostic:
    start = event.start_mark
    assert start is not None
    what = "mapping" if isinstance(event, yaml.MappingStartEvent) else "list"
    return too_many_items(mark_span(file, start), what, max_items)


def too_many_items(span: Span, what: str, max_items: int) -> Diagnostic:
    """SWC011 at the collection that opens at ``span`` (the YAML and the JSON reader say it
    alike)."""
    return codes.TOO_MANY_ITEMS.at(
        span, f"this {what} holds more than {max_items:,} items",
        help="no real agent needs this many (a long list of hints is a few hundred); if one "
             "does, raise limits.list_items in swmlc.yaml")


def _second_opinion(text: str, file: str, memo: dict[tuple[str, Any], str] | None,
                    max_items: int | None = MAX_ITEMS
                    ) -> tuple[yaml.Node | None, Diagnostic | None]:
    """The C parser refused the text. PyYAML's pure-Python parser reads it again, first only its
    events (is it nested too deep?), then, if that passes, the whole document: its error, whose
    wording PyYAML owns, is the one reported; and a text only libyaml refuses (one of its own
    limits) is read as the pure parser reads it."""
    try:
        deep = _too_deep(_events(PyYaml12Loader(text)), file, max_items)
        if deep is not None:
            return None, deep
        loader = PyYaml12Loader(text)
        loader._memo = memo
        return loader.get_single_node(), None
    except yaml.reader.ReaderError as exc:
        return None, reader_error(file, exc, text)
    except yaml.YAMLError as exc:
        return None, syntax_error(file, exc, text)


def _events(loader: yaml.SafeLoader) -> Iterator[yaml.Event]:
    while loader.check_event():
        yield loader.get_event()  # type: ignore[no-untyped-call]


def _compose(text: str, file: str, memo: dict[tuple[str, Any], str] | None,
             max_items: int | None = MAX_ITEMS) -> tuple[yaml.Node | None, Diagnostic | None]:
    """The composed root node, or the one problem that stops it.

    The C parser does the work. A file that can nest deep (many characters that open a
    collection) has its depth checked from the C parser's events first: PyYAML's C composer
    recurses on the C stack, and tens of thousands of levels crash the interpreter; the same
    walk bounds the items of one collection, before a node is built. When the C
    parser refuses a text, for any reason (a syntax error, or one of libyaml's own limits, which
    changed in libyaml 0.2.6), :func:`_second_opinion` decides what is said.
    """
    old = old_break(text, file)
    if old is not None:
        return None, old
    try:
        if sum(text.count(c) for c in _OPENERS) > _DEPTH_SCAN_ABOVE:
            deep = _too_deep(yaml.parse(text, Loader=Yaml12Loader), file, max_items)
            if deep is not None:
                return None, deep
        loader = NodeLoader(text)
        loader._memo = memo
        try:
            return loader.get_single_node(), None
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return _second_opinion(text, file, memo, max_items)


def read_yaml(text: str, file: str, memo: dict[tuple[str, Any], str] | None = None,
              max_items: int | None = MAX_ITEMS) -> YamlResult:
    """Parse one YAML document. Never raises: problems come back as diagnostics.

    ``memo`` is a scalar-resolution memo a caller keeps across files (see :class:`_Memo`);
    ``max_items`` bounds the items of one list or mapping (SWC011); None, only the bytes
    (a document given to validate, which may hold many verbs).
    """
    try:
        node, problem = _compose(text, file, memo, max_items)
    except RecursionError:
        return YamlResult(None, [codes.TOO_DEEP.at(
            Span(file, 1, 1, 1, 1), f"values are nested more than {MAX_DEPTH} levels deep")])
    if problem is not None:
        return YamlResult(None, [problem])
    if node is None:
        return YamlResult(None, [])
    try:
        try:
            return YamlResult(Builder(file).build(node), [])
        except Shared:
            # Aliases: bound the expansion first (without expanding), then build, sharing.
            # Most files have none and skip this walk over every node.
            expanded_size(node, file)
            return YamlResult(Builder(file, allow_shared=True).build(node), [])
    except Fail as fail:
        return YamlResult(None, [fail.diagnostic])
    except RecursionError:
        return YamlResult(None, [codes.TOO_DEEP.at(
            span_of(file, node), f"values are nested more than {MAX_DEPTH} levels deep")])

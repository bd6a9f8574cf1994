"""The positioned tree every pass works on.

Values stay plain JSON-shaped Python (dict, list, str, int, float, bool, None) so the output can go
straight to ``json.dumps`` with no conversion pass. Positions live beside the data, not inside it:
a ``Map`` remembers the span of each key and each value, a ``Seq`` the span of each item. Scalars
cannot carry attributes (``bool`` cannot even be subclassed), so a scalar's span is held by its
parent; that is also what lets a pass replace a scalar (templating) and keep its origin.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple


class Span(NamedTuple):
    """A region of a source file, 1-based line and column, end exclusive.

    Line and column come straight from the YAML parser's marks, which already counts them; keeping
    them avoids a second offset-to-line index over every file. A NamedTuple, not a frozen
    dataclass: the reader makes one per key and value, and a tuple is built about three times
    faster.
    """

    file: str
    line: int
    col: int
    end_line: int
    end_col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


NO_SPAN = Span("<unknown>", 0, 0, 0, 0)
#: The span of a value no source wrote: one swmlc supplies (``version``, the ``answer`` verb
#: before ``ai`` when no layer sets ``swml.before``), so ``explain`` and source maps say so.
DEFAULT_SPAN = Span("<default>", 0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Tagged:
    """A scalar carrying a merge tag (``!delete transfer``), resolved by the compose pass."""

    tag: str
    value: str
    span: Span


class Map(dict[str, Any]):
    """A mapping that remembers where each key and value came from."""

    __slots__ = ("key_spans", "span", "tag", "value_spans")

    def __init__(self, span: Span = NO_SPAN, tag: str | None = None) -> None:
        super().__init__()
        self.span = span
        self.tag = tag
        self.key_spans: dict[str, Span] = {}
        self.value_spans: dict[str, Span] = {}

    def put(self, key: str, value: Any, value_span: Span, key_span: Span | None = None) -> None:
        """Set ``key`` together with its spans, so no value is ever left without an origin."""
        self[key] = value
        self.value_spans[key] = value_span
        self.key_spans[key] = key_span if key_span is not None else value_span

    def copy_entry(self, other: Map, key: str, new_key: str | None = None) -> None:
        """Copy one entry of ``other`` with its spans (optionally under a new name)."""
        self.put(new_key or key, other[key], other.value_spans[key], other.key_spans[key])

    def key_span(self, key: str) -> Span:
        return self.key_spans.get(key, self.span)

    def value_span(self, key: str) -> Span:
        return self.value_spans.get(key, self.span)

    def without(self, keys: Collection[str]) -> Map:
        """A copy without ``keys`` (and without the merge tag), spans kept."""
        out = Map(self.span)
        for key in self:
            if key not in keys:
                out.copy_entry(self, key)
        return out

    def replaced(self, key: str, value: Any, value_span: Span | None = None, *,
                 new_key: str | None = None) -> Map:
        """A copy (tag kept) in which ``key`` holds ``value`` (under ``new_key`` if given), in
        its place and with its key span; the value keeps its span unless ``value_span`` is
        given. Trees are never mutated, so a pass that changes one key makes a new mapping with
        this."""
        out = Map(self.span, self.tag)
        for k in self:
            if k == key:
                out.put(new_key or k, value, value_span or self.value_spans[k], self.key_spans[k])
            else:
                out.copy_entry(self, k)
        return out


class Seq(list[Any]):
    """A sequence that remembers where each item came from."""

    __slots__ = ("item_spans", "span", "tag")

    def __init__(self, span: Span = NO_SPAN, tag: str | None = None) -> None:
        super().__init__()
        self.span = span
        self.tag = tag
        self.item_spans: list[Span] = []

    def push(self, value: Any, span: Span) -> None:
        self.append(value)
        self.item_spans.append(span)

    def item_span(self, index: int) -> Span:
        if 0 <= index < len(self.item_spans):
            return self.item_spans[index]
        return self.span


def value_at(root: Any, path: Sequence[str | int]) -> tuple[bool, Any]:
    """(True, the value) at ``path`` under ``root``, or (False, None) where the path leaves the
    tree: a key that is not there, an index out of range, a step into a scalar.

    Example:
        >>> value_at({"a": [1, {"b": 2}]}, ("a", 1, "b")), value_at({"a": [1]}, ("a", 3))
        ((True, 2), (False, None))
    """
    node = root
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False, None
    return True, node


def span_at(
    root: Any, path: tuple[str | int, ...], *, key: bool = False,
    aliases: Mapping[str, str] | None = None,
) -> Span | None:
    """The span of the value (or, with ``key``, of the key) at ``path`` under ``root``.

    Walks as far as the path exists and returns the deepest span found, so a pointer into a value
    the tree does not hold (a default the lowering added) still lands on its nearest ancestor.
    ``aliases`` maps a key of ``path`` to the one a mapping may hold instead, for a path into a
    tree some of whose keys were renamed since (``description``, read as ``purpose``).

    Example:
        >>> fn = Map(Span("a.yaml", 2, 3, 3, 1))
        >>> fn.put("purpose", "Look up", Span("a.yaml", 2, 12, 2, 19))
        >>> str(span_at(fn, ("description",))), str(span_at(fn, ("description",), aliases={
        ...     "description": "purpose"}))
        ('a.yaml:2:3', 'a.yaml:2:12')
    """
    node = root
    best: Span | None = root.span if isinstance(root, Map | Seq) else None
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if aliases and isinstance(node, Map) and isinstance(part, str) and part not in node:
            part = aliases.get(part, part)
        if isinstance(node, Map) and isinstance(part, str) and part in node:
            best = node.key_spans.get(part) if (last and key) else node.value_spans.get(part, best)
            node = node[part]
        elif isinstance(node, Seq) and isinstance(part, int) and 0 <= part < len(node):
            best = node.item_span(part)
            node = node[part]
        else:
            break
    return best


def to_plain(value: Any) -> Any:
    """Strip positions: plain dicts and lists (for golden files and equality in tests)."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value


Path = tuple[str | int, ...]


def walk(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) under ``value``, depth first, in document order."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, (*path, i))


def pointer_segment(part: str | int) -> str:
    """One segment of an RFC 6901 JSON pointer: ``~`` and ``/`` escaped."""
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer(path: tuple[str | int, ...]) -> str:
    """RFC 6901 JSON pointer of a path."""
    return "".join("/" + pointer_segment(p) for p in path)


def parse_pointer(text: str) -> tuple[str | int, ...]:
    """Inverse of :func:`pointer`; numeric segments become ints (list indexes)."""
    if text in ("", "/"):
        return ()
    parts: list[str | int] = []
    for raw in text.lstrip("/").split("/"):
        seg = raw.replace("~1", "/").replace("~0", "~")
        parts.append(int(seg) if seg.isdigit() else seg)
    return tuple(parts)

"""Every string of an agent that the platform expands at run time, and where each ``${...}`` in it
sits as far as the platform is concerned: which function, which DataMap field, which webhook,
and so in which scope (call data, or a webhook's response) it is expanded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from compiler.core.tree import Map, Seq, Span
from compiler.signalwire.native import SCOPE_OF
from compiler.signalwire.runtime_refs import RuntimeRef, find_refs, walk_refs
from compiler.source.agent_format import SOURCE_ONLY

Path = tuple[str | int, ...]

# A webhook's fields that hold templates, by the name native.SCOPE_OF knows them under.
_WEBHOOK_FIELDS = frozenset({"url", "params", "headers", "foreach", "expressions", "output"})

# How a message names each data_map field (the keys of native.SCOPE_OF).
FIELD_NAMES = {
    "expressions": "the data_map's expressions",
    "output": "the data_map's fallback output",
    "webhooks.url": "a webhook's url",
    "webhooks.params": "a webhook's params",
    "webhooks.headers": "a webhook's headers",
    "webhooks.foreach": "a webhook's foreach",
    "webhooks.expressions": "a webhook's expressions",
    "webhooks.output": "a webhook's output",
}


@dataclass(frozen=True, slots=True)
class Text:
    """One string value of the tree, with where it is."""

    path: Path
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Place:
    """Where a string sits as far as the platform's expansion is concerned.

    ``function`` is the index in ``functions``; ``field`` a key of ``native.SCOPE_OF``
    (``"webhooks.output"``) when the string is inside a data_map field that is expanded;
    ``webhook`` the webhook's index; ``in_append`` is true inside ``foreach.append``.
    """

    function: int | None = None
    field: str | None = None
    webhook: int | None = None
    in_append: bool = False


@dataclass(frozen=True, slots=True)
class Ref:
    """A runtime reference (nested ones included), the string holding it and its place."""

    text: Text
    ref: RuntimeRef
    place: Place


def texts(
    node: Any, path: Path = (), span: Span | None = None, skip: frozenset[str] = SOURCE_ONLY,
    want: Callable[[str], bool] | None = None,
) -> Iterator[Text]:
    """Every string value under ``node`` (keys excluded) that ``want`` accepts, depth first,
    with its span; the top-level keys in ``skip`` are left out.

    This runs over every string of every agent, so it is built for speed: paths are kept as
    linked pairs and made into tuples only for the strings wanted (most strings hold no runtime
    reference), and scalars that are not strings are never visited.
    """
    found: list[tuple[Any, str, Span]] = []
    add = found.append

    # Strings are handled in their parent's loop, without a call: they are most of the nodes,
    # and a call per node was most of the cost (the walk took 12% of a build, measured).
    def visit(item: Map | Seq, link: Any, top: bool) -> None:
        if isinstance(item, Map):
            spans = item.value_spans
            for key, value in item.items():
                if top and key in skip:
                    continue
                if isinstance(value, str):
                    if want is None or want(value):
                        add(((link, key), value, spans.get(key, item.span)))
                elif isinstance(value, Map | Seq):
                    visit(value, (link, key), False)
        else:
            spans_list = item.item_spans
            count = len(spans_list)
            for i, value in enumerate(item):
                if isinstance(value, str):
                    if want is None or want(value):
                        add(((link, i), value, spans_list[i] if i < count else item.span))
                elif isinstance(value, Map | Seq):
                    visit(value, (link, i), False)

    if isinstance(node, str):
        if span is not None and (want is None or want(node)):
            add((None, node, span))
    elif isinstance(node, Map | Seq):
        visit(node, None, not path)
    for link, value, at in found:
        parts: list[str | int] = []
        while link is not None:
            link, part = link
            parts.append(part)
        yield Text((*path, *reversed(parts)), value, at)


def may_hold(tree: Any, needle: bytes | re.Pattern[bytes]) -> bool:
    """Can a string under ``tree`` hold ``needle`` (text, or a pattern)? False only when it
    surely cannot.

    One orjson dump of the tree (tens of microseconds) answers for most agents without walking
    it in Python: a string's characters appear as they are in JSON unless JSON escapes them
    (quotes, backslashes, control characters), which ``needle`` must not hold. Keys and
    non-string values only add text, so the answer errs towards True; a value JSON cannot hold
    makes it True. A pattern must match whatever JSON makes of the text it looks for (the
    escapes add characters, never remove them).
    """
    import orjson

    try:
        data = orjson.dumps(tree)
    except TypeError:
        return True
    return needle in data if isinstance(needle, bytes) else needle.search(data) is not None


def place_of(path: Path) -> Place:
    """Where ``path`` sits: which function, which data_map field, which webhook."""
    if len(path) < 2 or path[0] != "functions" or not isinstance(path[1], int):
        return Place()
    function = path[1]
    rest = path[2:]
    if len(rest) < 2 or rest[0] != "data_map":
        return Place(function)
    if rest[1] in ("expressions", "output"):
        return Place(function, str(rest[1]))
    if rest[1] == "webhooks" and len(rest) >= 4 and isinstance(rest[2], int):
        field = rest[3]
        if field in _WEBHOOK_FIELDS:
            in_append = field == "foreach" and len(rest) >= 5 and rest[4] == "append"
            return Place(function, f"webhooks.{field}", rest[2], in_append)
        return Place(function, None, rest[2])
    return Place(function)


def _may_hold_ref(value: str) -> bool:
    return "{" in value


def find_runtime_refs(tree: Map) -> tuple[Ref, ...]:
    """Every runtime reference in the agent's runtime strings (nested ones included)."""
    found: list[Ref] = []
    for text in texts(tree, want=_may_hold_ref):
        place = place_of(text.path)
        found.extend(Ref(text, ref, place) for ref in walk_refs(find_refs(text.value)))
    return tuple(found)


def call_data_key(found: Ref, root: str) -> int | None:
    """Where in ``found``'s path the key it reads under the call data's ``root`` (``args``,
    ``meta_data``) sits, as the reference's DataMap scope spells it: ``${root.key}`` in the call
    data (1), ``${input.root.key}`` in a webhook's response (2); None when it reads no such key."""
    field, ref = found.place.field, found.ref
    if field is None:
        return None
    if SCOPE_OF[field].name == "call_data":
        return 1 if ref.root == root else None
    return 2 if ref.root == "input" and segment(ref, 1) == root else None


def segment(ref: RuntimeRef, index: int) -> str | None:
    """The ``index``-th path segment of ``ref``, lowercased, when it is a static name."""
    path = ref.static_path
    if index < len(path) and isinstance(path[index], str):
        return str(path[index]).lower()
    return None


def path_start(ref: RuntimeRef) -> int:
    """Offset in ``ref.raw`` where the path starts (after ``${`` and the helpers)."""
    return 2 + sum(len(h) + 1 for h in ref.helpers)

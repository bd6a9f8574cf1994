"""The agent's symbol table, and where each runtime reference sits: analysis shared by the lints.

Several static checks ask the same questions of one definition: which functions exist and which
parameters they declare, which global_data keys anything sets, which steps each context has, and,
for every ``${...}`` in every string, in which DataMap scope the platform expands it. Answering them
once here (like sqlglot's ``scope.py``) keeps each rule to its own judgement, and keeps the rules
agreeing with one another on what, say, "a function's parameters" means.

Nothing here reports: it only describes the tree. Names are compared without regard to case,
because the platform matches template paths that way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from compiler.context import Context
from compiler.platform.native import SCOPE_OF
from compiler.platform.runtime_refs import RuntimeRef, find_refs, walk_refs
from compiler.tree import Map, Seq, Span

Path = tuple[str | int, ...]

# did-you-mean cutoff for "certainly a typo" (``clinic_nam`` for ``clinic_name``, not
# ``patient_name``), used where an unlisted name may still be legitimate.
TYPO = 0.75

# Top-level keys whose strings the platform never expands as this agent's runtime templates:
# compile-time inputs, and the SWML verbs around `ai` (their `%{...}` are SWML variables).
NOT_RUNTIME = frozenset({"agent", "extends", "include", "vars", "instances", "swml", "$schema"})

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


@dataclass(frozen=True, slots=True)
class Function:
    """A SWAIG function as the checks see it.

    ``params`` maps each declared parameter, lowercased, to its name as written. ``external`` is
    true when a server swmlc cannot see answers for it (no data_map, or a ``use:`` entry not yet
    resolved): its responses may set global_data, meta_data or steps in ways no check can know.
    """

    name: str | None
    index: int
    node: Map
    params: Mapping[str, str]
    external: bool


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    index: int
    node: Map


@dataclass(frozen=True, slots=True)
class ContextDef:
    name: str
    node: Map
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class Symbols:
    functions: tuple[Function, ...]
    native: tuple[str, ...]
    included: Mapping[str, Span]
    global_data: Mapping[str, str]
    contexts: Mapping[str, ContextDef]
    external: bool

    def function(self, name: str) -> Function | None:
        return next((f for f in self.functions if f.name == name), None)


def symbols(tree: Map, ctx: Context | None = None) -> Symbols:
    """The symbol table of ``tree``; memoised for the last tree seen, as every rule asks for it."""
    if ctx is not None:
        hit = ctx.project.cache.get("refs.symbols")
        if isinstance(hit, tuple) and hit[0] is tree:
            found: Symbols = hit[1]
            return found
    table = _build(tree)
    if ctx is not None:
        ctx.project.cache["refs.symbols"] = (tree, table)
    return table


def _build(tree: Map) -> Symbols:
    functions: list[Function] = []
    raw = tree.get("functions")
    for index, fn in enumerate(raw if isinstance(raw, Seq) else ()):
        if not isinstance(fn, Map):
            continue
        name = fn.get("function")
        use = fn.get("use")
        if not isinstance(name, str) and isinstance(use, str) and "#" in use:
            name = use.rsplit("#", 1)[1]  # `use: lib.yaml#name`, before composition resolves it
        schema = fn.get("parameters", fn.get("argument"))
        props = schema.get("properties") if isinstance(schema, Map) else None
        params = {str(k).lower(): str(k) for k in props} if isinstance(props, Map) else {}
        external = not isinstance(fn.get("data_map"), Map) or "use" in fn
        functions.append(
            Function(name if isinstance(name, str) else None, index, fn, params, external)
        )
    included: dict[str, Span] = {}
    includes = tree.get("swaig_includes")
    for inc in includes if isinstance(includes, Seq) else ():
        names = inc.get("functions") if isinstance(inc, Map) else None
        if isinstance(names, Seq):
            for i, name in enumerate(names):
                if isinstance(name, str):
                    included.setdefault(name, names.item_span(i))
    native = tree.get("native_functions")
    keys: dict[str, str] = {}
    data = tree.get("global_data")
    if isinstance(data, Map):
        keys.update({str(k).lower(): str(k) for k in data})
    for fn in functions:
        for key in action_keys(fn.node, "set_global_data"):
            keys.setdefault(key.lower(), key)
    return Symbols(
        functions=tuple(functions),
        native=tuple(n for n in native if isinstance(n, str)) if isinstance(native, Seq) else (),
        included=included,
        global_data=keys,
        contexts=_contexts(tree),
        external=bool(included) or any(f.external for f in functions),
    )


def _contexts(tree: Map) -> dict[str, ContextDef]:
    prompt = tree.get("prompt")
    contexts = prompt.get("contexts") if isinstance(prompt, Map) else None
    out: dict[str, ContextDef] = {}
    for name, node in contexts.items() if isinstance(contexts, Map) else ():
        if not isinstance(node, Map):
            continue
        raw = node.get("steps")
        steps = tuple(
            Step(step["name"], i, step)
            for i, step in enumerate(raw if isinstance(raw, Seq) else ())
            if isinstance(step, Map) and isinstance(step.get("name"), str)
        )
        out[name] = ContextDef(name, node, steps)
    return out


def steps(contexts: Mapping[str, ContextDef]) -> Iterator[tuple[ContextDef, Step]]:
    """Every named step of every context, with its context, in document order."""
    for context in contexts.values():
        for step in context.steps:
            yield context, step


def step_entries(
    contexts: Mapping[str, ContextDef], key: str
) -> Iterator[tuple[ContextDef, Step, str, Span]]:
    """(context, step, name, its span) for every string in the list ``key`` of every step
    (``valid_steps``, ``valid_contexts``, ``functions``), in document order."""
    for context, step in steps(contexts):
        entries = step.node.get(key)
        if not isinstance(entries, Seq):
            continue
        for i, entry in enumerate(entries):
            if isinstance(entry, str):
                yield context, step, entry, entries.item_span(i)


def webhooks(fn: Map) -> Iterator[tuple[int, Map]]:
    """(index, webhook) for every webhook of the function ``fn``'s data_map."""
    data_map = fn.get("data_map")
    hooks = data_map.get("webhooks") if isinstance(data_map, Map) else None
    for index, hook in enumerate(hooks if isinstance(hooks, Seq) else ()):
        if isinstance(hook, Map):
            yield index, hook


def action_keys(node: Any, action: str) -> Iterator[str]:
    """Keys written by every ``{action: {key: value}}`` (``set_global_data``) under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == action and isinstance(value, dict):
                yield from (str(k) for k in value)
            else:
                yield from action_keys(value, action)
    elif isinstance(node, list):
        for item in node:
            yield from action_keys(item, action)


def action_values(node: Any, action: str) -> Iterator[str]:
    """Every string value of an ``{action: value}`` (``change_step: confirm``) under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == action and isinstance(value, str):
                yield value
            else:
                yield from action_values(value, action)
    elif isinstance(node, list):
        for item in node:
            yield from action_values(item, action)


# --------------------------------------------------------------------------- strings and refs


def texts(
    node: Any, path: Path = (), span: Span | None = None, skip: frozenset[str] = NOT_RUNTIME,
    want: Callable[[str], bool] | None = None,
) -> Iterator[Text]:
    """Every string value under ``node`` (keys excluded) that ``want`` accepts, depth first,
    with its span; the top-level keys in ``skip`` are left out.

    This runs over every string of every agent, so it is built for speed: paths are kept as
    linked pairs and made into tuples only for the strings wanted (most strings hold no runtime
    reference), and scalars that are not strings are never visited.
    """
    found: list[tuple[Any, str, Span]] = []

    def visit(item: Any, link: Any, at: Span | None, top: bool) -> None:
        if isinstance(item, str):
            if at is not None and (want is None or want(item)):
                found.append((link, item, at))
        elif isinstance(item, Map):
            spans = item.value_spans
            for key, value in item.items():
                if (top and key in skip) or not isinstance(value, str | Map | Seq):
                    continue
                visit(value, (link, key), spans.get(key, item.span), False)
        elif isinstance(item, Seq):
            spans_list = item.item_spans
            for i, value in enumerate(item):
                if isinstance(value, str | Map | Seq):
                    visit(value, (link, i), spans_list[i] if i < len(spans_list) else item.span,
                          False)

    visit(node, None, span, not path)
    for link, value, at in found:
        parts: list[str | int] = []
        while link is not None:
            link, part = link
            parts.append(part)
        yield Text((*path, *reversed(parts)), value, at)


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


def runtime_refs(tree: Map, ctx: Context | None = None) -> tuple[Ref, ...]:
    """Every runtime reference in the agent's runtime strings (memoised like :func:`symbols`)."""
    if ctx is not None:
        hit = ctx.project.cache.get("refs.runtime_refs")
        if isinstance(hit, tuple) and hit[0] is tree:
            cached: tuple[Ref, ...] = hit[1]
            return cached
    found: list[Ref] = []
    for text in texts(tree, want=_may_hold_ref):
        place = place_of(text.path)
        found.extend(Ref(text, ref, place) for ref in walk_refs(find_refs(text.value)))
    result = tuple(found)
    if ctx is not None:
        ctx.project.cache["refs.runtime_refs"] = (tree, result)
    return result


def function_refs(tree: Map, ctx: Context | None = None) -> Iterator[tuple[Function, Ref]]:
    """Every runtime reference in a data_map field that is expanded, with the function whose
    data_map holds it. A ``use:`` entry is left out: its data_map is not known yet."""
    by_index = {fn.index: fn for fn in symbols(tree, ctx).functions}
    for found in runtime_refs(tree, ctx):
        index, field = found.place.function, found.place.field
        fn = by_index.get(index) if index is not None and field is not None else None
        if fn is not None and "use" not in fn.node:
            yield fn, found


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


# --------------------------------------------------------------------------- source positions


def _line_starts(ctx: Context, file: str, source: str) -> list[int]:
    key = f"refs.line_starts:{file}"
    hit = ctx.project.cache.get(key)
    if isinstance(hit, tuple) and hit[0] is source:
        starts: list[int] = hit[1]
        return starts
    starts = [0]
    starts.extend(i + 1 for i, char in enumerate(source) if char == "\n")
    ctx.project.cache[key] = (source, starts)
    return starts


def source_of(ctx: Context, span: Span) -> tuple[str, int, int] | None:
    """The file text and the offsets ``span`` covers in it, when the file is known."""
    source = ctx.project.files.texts.get(span.file)
    if source is None or span.line < 1:
        return None
    starts = _line_starts(ctx, span.file, source)
    if span.end_line > len(starts):
        return None
    start = starts[span.line - 1] + span.col - 1
    end = starts[span.end_line - 1] + span.end_col - 1
    return source, start, end


def _span_at(ctx: Context, file: str, source: str, start: int, end: int) -> Span:
    import bisect

    starts = _line_starts(ctx, file, source)
    line = bisect.bisect_right(starts, start)
    end_line = bisect.bisect_right(starts, end)
    return Span(file, line, start - starts[line - 1] + 1, end_line, end - starts[end_line - 1] + 1)


def sub_span(ctx: Context, text: Text, start: int, end: int) -> Span:
    """The span of ``text.value[start:end]`` in the file, so the caret lands on just that part.

    A scalar's value is not its source text (quotes, escapes, folded lines), so the part is found
    by its characters inside the scalar's span: the n-th occurrence for the n-th in the value.
    When it cannot be found verbatim (split by folding), the whole scalar is the answer.
    """
    part = text.value[start:end]
    located = source_of(ctx, text.span)
    if located is None or not part:
        return text.span
    source, begin, finish = located
    nth = text.value[:start].count(part)
    pos, found = begin, -1
    for _ in range(nth + 1):
        found = source.find(part, pos, finish)
        if found < 0:
            return text.span
        pos = found + len(part)
    return _span_at(ctx, text.span.file, source, found, found + len(part))


def ref_span(ctx: Context, text: Text, ref: RuntimeRef) -> Span:
    """The span of the reference itself in the file, so the caret lands on ``${args.x}``."""
    return sub_span(ctx, text, ref.start, ref.end)


def fix_path(ctx: Context, tree: Map, path: Path, span: Span) -> Path | None:
    """``path`` as a path inside the file ``span`` is in, or None when no fix can target it.

    A fix edits the user's own file, so it is offered only where the tree and that file agree:
    every container on the way is from the agent's own file (a value composed in from an include
    has a path of its own there, unknown here), and the scalar's source holds no Jinja, whose
    rendered value would otherwise overwrite the template.
    """
    file = tree.span.file
    if span.file != file:
        return None
    node: Any = tree
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
        if not isinstance(node, Map | Seq) or node.span.file != file:
            return None
    located = source_of(ctx, span)
    if located is None:
        return None
    source, start, end = located
    region = source[start:end]
    if "{{" in region or "{%" in region:
        return None
    return path

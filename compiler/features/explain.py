"""``swmlc explain AGENT POINTER``: a compiled value, and every layer it came from.

The chain is read off data the pipeline keeps anyway: each output value's span (the YAML that
produced it, or swmlc's own ``<default>``), the spans under it (a list merged from a base, an
include and the agent holds items of all three), the other sources of a value made from several
(:attr:`Unit.contributors`: a ``webhook:`` path joined to swmlc.yaml's base URL), how each file
came in (:attr:`Unit.layer_kinds`: extends, include, use), the template string behind a rendered
value (the tree before templating, matched by span) and the definition site of each variable
that template reads (an agent's ``vars:``, a base's, swmlc.yaml, a fleet row, ``--var``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from compiler.core.suggest import did_you_mean
from compiler.core.tree import DEFAULT_SPAN, Map, Seq, Span, parse_pointer, pointer, span_at, walk
from compiler.pipeline.context import Unit
from compiler.project.config import CONFIG_NAME
from compiler.source.templating import Templates, has_template, referenced_names

#: Spans looked at under one value: a whole document's worth, bounded.
MAX_SPANS = 20_000
#: Spans shown per layer.
SHOWN = 3
_HOW = {"extends": "extended", "include": "included", "use": "used"}
#: The roles in the order their layers apply (a later one wins a plain value).
_PRECEDENCE = ("default", "project config", "vars file", "base", "function library", "include",
               "agent", "fleet row", "command line (--var)")


@dataclass(frozen=True, slots=True)
class Layer:
    """One layer that contributed to a value: its role (``base``, ``include``, ``agent``,
    ``project config``, ``fleet row``, ``default``...), its file, where in it, and how the file
    reached the agent (``(file, how, site)`` links, nearest first)."""

    role: str
    file: str
    spans: tuple[Span, ...]
    chain: tuple[tuple[str, str, Span], ...] = ()


@dataclass
class Explanation:
    agent: str
    pointer: str
    value: Any
    found: bool
    origin: Span | None = None
    layers: list[Layer] = field(default_factory=list)
    template: str | None = None
    variables: list[tuple[str, Any, Span | None, str]] = field(default_factory=list)
    default: str | None = None
    suggestions: list[str] = field(default_factory=list)

    def render(self) -> str:
        if not self.found:
            near = (f"; did you mean {' or '.join(self.suggestions)}?" if self.suggestions
                    else "")
            return f"{self.agent}: nothing at {self.pointer}{near}\n"
        lines = [f"{self.agent} {self.pointer} = {json.dumps(self.value, ensure_ascii=False)}"]
        if len(self.layers) == 1:
            lines += _layer_lines(self.layers[0], "  from ", self.default)
        elif self.layers:
            lines.append(f"  from {len(self.layers)} layers:")
            for layer in self.layers:
                lines += _layer_lines(layer, "    ", self.default)
        if self.template is not None:
            lines.append(f"  template: {json.dumps(self.template, ensure_ascii=False)}")
            for name, value, span, role in self.variables:
                where = "" if span is None else (
                    f" (set at {span}: {role})" if span.line > 0 else f" (from {span.file}: "
                    f"{role})")
                lines.append(f"    {name} = {json.dumps(value, ensure_ascii=False)}{where}")
        return "\n".join(lines) + "\n"


def _layer_lines(layer: Layer, lead: str, default: str | None) -> list[str]:
    if layer.role == "default":
        return [f"{lead}swmlc's default: {default or 'no layer sets it'}"]
    spans = ", ".join([str(layer.spans[0])] + [f"{s.line}:{s.col}" for s in
                                                 layer.spans[1:SHOWN]])
    more = f" and {len(layer.spans) - SHOWN} more" if len(layer.spans) > SHOWN else ""
    out = [f"{lead}{spans}{more} ({layer.role})" if lead.strip() == "from" else
           f"{lead}{layer.role}: {spans}{more}"]
    indent = " " * (len(lead) - len(lead.lstrip()) + 2)
    out += [f"{indent}{file} is {how} at {site}" for file, how, site in layer.chain]
    return out


def _value_at(doc: Any, path: tuple[str | int, ...]) -> tuple[bool, Any]:
    node = doc
    for part in path:
        if isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
        elif isinstance(node, list) and isinstance(part, int) and -len(node) <= part < len(node):
            node = node[part]
        else:
            return False, None
    return True, node


def _templates_by_span(composed: Map | None) -> dict[Span, str]:
    """The template string behind each rendered value, by the span it keeps."""
    found: dict[Span, str] = {}
    if composed is None:
        return found
    for _, container in walk(composed):
        if isinstance(container, Map):
            for k, v in container.items():
                if isinstance(v, str) and has_template(v):
                    found.setdefault(container.value_span(k), v)
        elif isinstance(container, Seq):
            for i, v in enumerate(container):
                if isinstance(v, str) and has_template(v):
                    found.setdefault(container.item_span(i), v)
    return found


def explain(unit: Unit, target: str, pointer_text: str) -> Explanation:
    doc = unit.documents.get(target)
    path = parse_pointer(pointer_text)
    found, value = _value_at(doc, path)
    out = Explanation(unit.name, pointer_text, value, found)
    if not found or doc is None:
        out.suggestions = nearest_pointers(doc, path)
        return out
    span = span_at(doc, path)
    out.origin = span
    if span is None:
        return out
    templates = _templates_by_span(unit.composed)
    spans = [span, *_spans_under(value)]
    engine = Templates()
    names: dict[str, set[str]] = {}
    for one in list(spans):  # a value rendered from variables owes them too (a fleet row's)
        template = templates.get(one)
        if template is None:
            continue
        if template not in names:
            names[template] = referenced_names(template, engine)
        spans += [unit.variables[n][1] for n in sorted(names[template]) if n in unit.variables]
    template = templates.get(span)
    if template is not None:
        out.template = template
        for name in sorted(names[template]):
            var_value, var_span = unit.variables.get(name, (None, None))
            out.variables.append((name, var_value, var_span,
                                  role_of(var_span.file, unit) if var_span else ""))
    out.layers = layers(unit, spans)
    if any(layer.role == "default" for layer in out.layers):
        out.default = "; ".join(_defaults_under(doc, path))
    return out


def _spans_under(value: Any) -> list[Span]:
    """The spans of every entry and item under ``value`` (bounded), in document order."""
    found: list[Span] = []
    for _, node in walk(value):
        if len(found) >= MAX_SPANS:
            break
        if isinstance(node, Map):
            found += node.value_spans.values()
        elif isinstance(node, Seq):
            found += node.item_spans
    return found


def role_of(file: str, unit: Unit) -> str:
    """What a file is to the agent: the layer it is."""
    if file == DEFAULT_SPAN.file:
        return "default"
    if file == CONFIG_NAME:
        return "project config"
    if file == "--var":
        return "command line (--var)"
    if file == unit.file:
        return "agent"
    if unit.row_span is not None and file == unit.row_span.file:
        return "fleet row"
    kind = unit.layer_kinds.get(file)
    if kind is not None:
        return {"extends": "base", "include": "include", "use": "function library"}[kind]
    return "vars file"


def layers(unit: Unit, spans: list[Span]) -> list[Layer]:
    """The layers behind ``spans`` (and the values they were made from), in the order they
    apply: swmlc's defaults, swmlc.yaml, then the agent's layers as composed."""
    by_file: dict[str, list[Span]] = {}
    for span in spans:
        for one in (span, *unit.contributors.get(span, ())):
            if one.file == "<unknown>":
                continue
            got = by_file.setdefault(one.file, [])
            if one not in got:
                got.append(one)
    merged = {f: i for i, f in enumerate(unit.inputs)}
    out = []
    for file in sorted(by_file, key=lambda f: (_PRECEDENCE.index(role_of(f, unit)),
                                               merged.get(f, len(merged)), f)):
        out.append(Layer(role_of(file, unit), file,
                         tuple(sorted(by_file[file], key=lambda s: (s.line, s.col))),
                         _chain(unit, file)))
    return out


def _chain(unit: Unit, file: str) -> tuple[tuple[str, str, Span], ...]:
    links: list[tuple[str, str, Span]] = []
    seen: set[str] = set()
    while file in unit.included_from and file not in seen:
        seen.add(file)
        site = unit.included_from[file]
        links.append((file, _HOW.get(unit.layer_kinds.get(file, ""), "included"), site))
        file = site.file
    return tuple(links)


#: What swmlc writes when no layer does, by where it sits in a SWML document.
_DEFAULTS = (
    (("version",), "every SWML document swmlc writes is version 1.0.0"),
    (("sections", "main", 0), 'no layer sets swml.before, which defaults to [{"answer": {}}] '
                              "(docs/source-format.md)"),
)


def _defaults_under(doc: Any, path: tuple[str | int, ...]) -> list[str]:
    """Why each value swmlc supplied at or under ``path`` is there."""
    return [why for where, why in _DEFAULTS
            if where[:len(path)] == path and span_at(doc, where) == DEFAULT_SPAN] \
        or ["no layer sets it"]


def nearest_pointers(doc: Any, path: tuple[str | int, ...]) -> list[str]:
    """Pointers that exist and are likely meant: those ending with ``path``
    (``/ai/hints`` for ``/sections/main/1/ai/hints``), else the deepest part of ``path`` that
    exists followed by the closest key there.

    Example:
        >>> doc = {"sections": {"main": [{"answer": {}}, {"ai": {"hints": ["x"]}}]}}
        >>> nearest_pointers(doc, ("ai", "hints")), nearest_pointers(doc, ("sections", "mian"))
        (['/sections/main/1/ai/hints'], ['/sections/main'])
    """
    if doc is None or not path:
        return []
    ends = [p for p, _ in _paths(doc) if len(p) > len(path) and p[-len(path):] == path]
    if ends:
        return [pointer(p) for p in sorted(ends, key=len)[:SHOWN]]
    node, depth = doc, 0
    for part in path:
        found, child = _value_at(node, (part,))
        if not found:
            break
        node, depth = child, depth + 1
    if isinstance(node, dict) and depth < len(path):
        guess = did_you_mean(str(path[depth]), [str(k) for k in node])
        if guess is not None:
            return [pointer((*path[:depth], guess, *path[depth + 1:]))] \
                if _value_at(doc, (*path[:depth], guess, *path[depth + 1:]))[0] \
                else [pointer((*path[:depth], guess))]
    return []


def _paths(doc: Any) -> list[tuple[tuple[str | int, ...], Any]]:
    """Every (path, value) of a document, bounded by :data:`MAX_SPANS`."""
    out: list[tuple[tuple[str | int, ...], Any]] = []
    todo: list[tuple[tuple[str | int, ...], Any]] = [((), doc)]
    while todo and len(out) < MAX_SPANS:
        path, node = todo.pop()
        out.append((path, node))
        items = node.items() if isinstance(node, dict) else \
            enumerate(node) if isinstance(node, list) else ()
        todo += [((*path, k), v) for k, v in items]
    return out

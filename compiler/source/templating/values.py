"""Rendering every string of a tree, and variables that refer to each other."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Label
from compiler.core.tree import Map, Seq, Span, walk
from compiler.source.templating.scope import RenderScope, TemplateFailure
from compiler.source.templating.text import FUNCTIONS, has_template

if TYPE_CHECKING:  # pragma: no cover
    from compiler.source.templating.engine import Templates


def render_value(value: Any, span: Span, variables: Mapping[str, Any], scope: RenderScope,
                 templates: Templates, report: Callable[[Diagnostic], None]) -> Any:
    """``value`` with every string rendered; structure and spans kept."""
    if isinstance(value, str):
        if not has_template(value):
            return value
        try:
            return wrap(templates.render(value, span, variables, scope), span)
        except TemplateFailure as fail:
            report(fail.diagnostic)
            return value
    # Copy on write: a container whose strings hold no template is returned as it is.
    if isinstance(value, Map):
        rendered = [render_value(value[k], value.value_spans[k], variables, scope, templates,
                                 report) for k in value]
        if all(new is old for new, old in zip(rendered, value.values(), strict=True)):
            return value
        out = Map(value.span, value.tag)
        for k, new in zip(value, rendered, strict=True):
            out.put(k, new, value.value_spans[k], value.key_spans[k])
        return out
    if isinstance(value, Seq):
        items = [render_value(item, value.item_span(i), variables, scope, templates, report)
                 for i, item in enumerate(value)]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        seq = Seq(value.span, value.tag)
        for i, new in enumerate(items):
            seq.push(new, value.item_span(i))
        return seq
    return value


def wrap(value: Any, span: Span) -> Any:
    """A plain value from a template, as a positioned tree (every part at the template's span)."""
    if isinstance(value, Map | Seq):
        return value
    if isinstance(value, Mapping):
        out = Map(span)
        for k, v in value.items():
            out.put(str(k), wrap(v, span), span)
        return out
    if isinstance(value, list | tuple):
        seq = Seq(span)
        for v in value:
            seq.push(wrap(v, span), span)
        return seq
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def referenced_names(text: str, templates: Templates) -> set[str]:
    """Variables a template string reads (for ordering variables that refer to each other)."""
    return templates.referenced_names(text) - set(FUNCTIONS)


def resolve_values(raw: Mapping[str, tuple[Any, Span, Span]], scope: RenderScope,
                   templates: Templates, report: Callable[[Diagnostic], None]) -> dict[str, Any]:
    """Variables ``name -> (value, value span, key span)`` with templates in their values
    rendered against the other variables, in dependency order; a cycle is reported and its
    variables keep their raw text. Used for an agent's variables and for swmlc.yaml's."""
    resolved: dict[str, Any] = {}
    resolving: list[str] = []

    def deps(value: Any) -> set[str]:
        names: set[str] = set()
        for _, v in walk(value):
            if isinstance(v, str) and has_template(v):
                names |= referenced_names(v, templates)
        return names

    def get(name: str) -> None:
        if name in resolved:
            return
        if name in resolving:
            chain = [*resolving[resolving.index(name):], name]
            labels = tuple(Label(raw[n][2], f"'{n}' is defined here") for n in chain[1:-1])
            report(codes.VARIABLE_CYCLE.at(
                raw[name][2], f"variables refer to each other in a cycle: {' -> '.join(chain)}",
                labels=labels, help="give one of them a value that does not use the others"))
            resolved[name] = raw[name][0]
            return
        resolving.append(name)
        value, span, _ = raw[name]
        for dep in sorted(deps(value)):
            if dep in raw:
                get(dep)
        resolved[name] = render_value(value, span, resolved, scope, templates, report)
        resolving.pop()

    for name in raw:
        get(name)
    return resolved

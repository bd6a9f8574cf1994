"""``swmlc explain AGENT POINTER``: a compiled value, and every step of where it came from.

The chain is read off data the pipeline keeps anyway: each output value's span (the YAML that
produced it), the include sites of each file (extends/include/use), the template string behind
a rendered value (the tree before templating, matched by span) and the definition site of each
variable that template reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from compiler.core.tree import Map, Seq, Span, parse_pointer, span_at, walk
from compiler.pipeline.context import Unit
from compiler.source.templating import Templates, has_template, referenced_names


@dataclass
class Explanation:
    agent: str
    pointer: str
    value: Any
    found: bool
    origin: Span | None = None
    chain: list[tuple[Span, str]] = field(default_factory=list)
    template: str | None = None
    variables: list[tuple[str, Any, Span | None]] = field(default_factory=list)

    def render(self) -> str:
        if not self.found:
            return f"{self.agent}: nothing at {self.pointer}\n"
        lines = [f"{self.agent} {self.pointer} = {json.dumps(self.value, ensure_ascii=False)}"]
        if self.origin is not None:
            lines.append(f"  from {self.origin}")
        for site, how in self.chain:
            lines.append(f"  {how} {site}")
        if self.template is not None:
            lines.append(f"  template: {json.dumps(self.template, ensure_ascii=False)}")
            for name, value, span in self.variables:
                where = f" (set at {span})" if span is not None and span.line > 0 else \
                    (f" (from {span.file})" if span is not None else "")
                lines.append(f"    {name} = {json.dumps(value, ensure_ascii=False)}{where}")
        return "\n".join(lines) + "\n"


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


def _template_at(composed: Map | None, span: Span) -> str | None:
    if composed is None:
        return None
    for _, container in walk(composed):
        if isinstance(container, Map):
            for k, v in container.items():
                if isinstance(v, str) and container.value_spans.get(k) == span and has_template(v):
                    return v
        elif isinstance(container, Seq):
            for i, v in enumerate(container):
                if isinstance(v, str) and container.item_span(i) == span and has_template(v):
                    return v
    return None


def explain(unit: Unit, target: str, pointer_text: str) -> Explanation:
    doc = unit.documents.get(target)
    path = parse_pointer(pointer_text)
    found, value = _value_at(doc, path)
    out = Explanation(unit.name, pointer_text, value, found)
    if not found or doc is None:
        return out
    span = span_at(doc, path)
    out.origin = span
    if span is None:
        return out
    file, seen = span.file, set()
    while file in unit.included_from and file not in seen:
        seen.add(file)
        site = unit.included_from[file]
        out.chain.append((site, f"{file} is included from"))
        file = site.file
    template = _template_at(unit.composed, span)
    if template is not None:
        out.template = template
        for name in sorted(referenced_names(template, Templates())):
            var_value, var_span = unit.variables.get(name, (None, None))
            out.variables.append((name, var_value, var_span))
    return out

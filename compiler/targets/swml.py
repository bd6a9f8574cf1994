"""The SWML target: the agent model as a SWML document, ``version`` and ``sections.main`` with the
``ai`` verb between the verbs around it.

Lowering is a rename-and-regroup: the source keeps SWML's field names, so most values pass
through as they are (shared, never copied: no pass mutates a tree). What changes is where things
live (``functions`` goes under ``SWAIG``), the POM spelling (``sections`` becomes ``pom``), and the
verbs around ``ai``. Every output value keeps the span of the source value it came from, which is
what lets ``validate_schema`` point at the YAML line behind a failing JSON pointer. The relay and
bedrock targets start from the same :func:`lower_ai`, so the three cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from compiler.core.tree import Map, Seq, Span
from compiler.source.agent_format import FUNCTION_SOURCE_ONLY, SOURCE_ONLY, SWAIG_KEYS


def lower_pom(sections: Seq) -> Seq:
    """POM sections keep their fields; only nested ``subsections`` recurse."""
    out = Seq(sections.span)
    for i, section in enumerate(sections):
        if isinstance(section, Map) and isinstance(section.get("subsections"), Seq):
            out.push(section.without(()).replaced("subsections",
                                                  lower_pom(section["subsections"])),
                     sections.item_span(i))
        else:
            out.push(section, sections.item_span(i))
    return out


def lower_prompt_body(source: Map, *, allow_contexts: bool) -> Map:
    """A prompt-like mapping (prompt, post_prompt, a context, a step): ``sections`` -> ``pom``."""
    out = Map(source.span)
    for key in source:
        value = source[key]
        if key == "sections" and isinstance(value, Seq):
            out.put("pom", lower_pom(value), source.value_spans[key], source.key_spans[key])
        elif key == "contexts" and allow_contexts and isinstance(value, Map):
            out.put(key, lower_contexts(value), source.value_spans[key], source.key_spans[key])
        elif key == "steps" and isinstance(value, Seq):
            steps = Seq(value.span)
            for i, step in enumerate(value):
                steps.push(lower_prompt_body(step, allow_contexts=False)
                           if isinstance(step, Map) else step, value.item_span(i))
            out.put(key, steps, source.value_spans[key], source.key_spans[key])
        else:
            out.copy_entry(source, key)
    return out


def lower_contexts(contexts: Map) -> Map:
    out = Map(contexts.span)
    for name in contexts:
        ctx_value = contexts[name]
        lowered = (lower_prompt_body(ctx_value, allow_contexts=False)
                   if isinstance(ctx_value, Map) else ctx_value)
        out.put(name, lowered, contexts.value_spans[name], contexts.key_spans[name])
    return out


def lower_function(fn: Any) -> Any:
    if not isinstance(fn, Map) or not (FUNCTION_SOURCE_ONLY & fn.keys()):
        return fn
    out = Map(fn.span)
    for key in fn:
        if key not in FUNCTION_SOURCE_ONLY:
            out.copy_entry(fn, key)
    return out


def lower_ai(tree: Map) -> Map:
    """The ``ai`` verb's object, keys in source order (SWAIG where its first key stands)."""
    ai = Map(tree.span)
    swaig: Map | None = None
    for key in tree:
        if key in SOURCE_ONLY:
            continue
        value = tree[key]
        if key in ("prompt", "post_prompt") and isinstance(value, Map):
            ai.put(key, lower_prompt_body(value, allow_contexts=key == "prompt"),
                   tree.value_spans[key], tree.key_spans[key])
        elif key in SWAIG_KEYS:
            if swaig is None:
                swaig = Map(tree.key_spans[key])
                ai.put("SWAIG", swaig, tree.key_spans[key])
            if key == "functions" and isinstance(value, Seq):
                fns = Seq(value.span)
                for i, fn in enumerate(value):
                    fns.push(lower_function(fn), value.item_span(i))
                value = fns
            swaig.put(SWAIG_KEYS[key], value, tree.value_spans[key], tree.key_spans[key])
        else:
            ai.copy_entry(tree, key)
    return ai


def _verbs(swml: Map | None, key: str, default: list[dict[str, Any]] | None, span: Span) -> Seq:
    if swml is not None and isinstance(swml.get(key), Seq):
        value: Seq = swml[key]
        return value
    out = Seq(span)
    for verb in default or []:
        m = Map(span)
        for k, v in verb.items():
            m.put(k, Map(span) if v == {} else v, span)
        out.push(m, span)
    return out


def lower_swml(tree: Map, verb: str = "ai", body: Map | None = None) -> Map:
    """The whole SWML document: ``version``, then ``sections.main`` = before + verb + after."""
    root_span = tree.span
    swml = tree.get("swml") if isinstance(tree.get("swml"), Map) else None
    swml_span = tree.value_span("swml") if swml is not None else root_span
    main = Seq(swml_span)
    for v_i, v in enumerate(before := _verbs(swml, "before", [{"answer": {}}], swml_span)):
        main.push(v, before.item_span(v_i))
    wrapper = Map(root_span)
    wrapper.put(verb, body if body is not None else lower_ai(tree), root_span)
    main.push(wrapper, root_span)
    for v_i, v in enumerate(after := _verbs(swml, "after", None, swml_span)):
        main.push(v, after.item_span(v_i))
    sections = Map(swml_span)
    sections.put("main", main, swml_span)
    extra = swml.get("sections") if swml is not None else None
    if isinstance(extra, Map):
        for name in extra:
            sections.copy_entry(extra, name)
    doc = Map(root_span)
    doc.put("version", "1.0.0", root_span)
    doc.put("sections", sections, swml_span)
    return doc

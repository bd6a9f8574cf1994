"""Pass: variables resolved and every string of the definition rendered (the Jinja engine is
:mod:`compiler.source.templating`).

Variable precedence, lowest first: swmlc.yaml ``vars``, the layers' ``vars`` in merge order
(already merged by compose), a fleet row's columns, ``--vars-file`` files, ``--var``. A variable's
value may itself hold templates, rendered against the other variables in dependency order; a
cycle is an error that names it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from compiler.core import codes
from compiler.core.tree import Map, Span
from compiler.pipeline.context import Context, Unit, pipeline_pass
from compiler.source.agent_format import TEMPLATE_KEYS
from compiler.source.templating import (
    FUNCTIONS,
    RenderScope,
    Templates,
    render_value,
    resolve_values,
)


def scope_for(ctx: Context) -> RenderScope:
    cfg = ctx.project.config
    files = ctx.project.files
    return RenderScope(ctx.project.options.root, cfg.env, cfg.secrets, ctx.project.options.env,
                       files.read_text)


def _sources(unit: Unit, ctx: Context) -> list[Map]:
    """The variable layers, lowest precedence first, each a Map keeping spans."""
    layers: list[Map] = [ctx.project.config.vars]
    if unit.tree is not None and isinstance(unit.tree.get("vars"), Map):
        layers.append(unit.tree["vars"])
    elif unit.tree is not None and "vars" in unit.tree:
        ctx.report(codes.WRONG_TYPE.at(unit.tree.value_span("vars"),
                                       "vars must be a mapping of names to values"))
    if unit.row is not None:
        row = Map(unit.row_span or Span(unit.file, 1, 1, 1, 1))
        for k, v in unit.row.items():
            row.put(k, v, unit.row_span or row.span)
        layers.append(row)
    for rel in ctx.project.vars_files:
        loaded = ctx.project.files.load(rel)
        for diag in loaded.diagnostics:
            ctx.report(diag)
        if isinstance(loaded.value, Map):
            layers.append(loaded.value)
        elif not loaded.diagnostics:
            ctx.report(codes.WRONG_TYPE.at(Span(rel, 1, 1, 1, 1),
                                           "a vars file must be a mapping of names to values"))
    cli = Map(Span("--var", 0, 0, 0, 0))
    for k, v in ctx.project.options.cli_vars:
        cli.put(k, v, cli.span)
    layers.append(cli)
    return layers


def _placeholders(tree: Map, ctx: Context, *, declared: frozenset[str] | None) -> None:
    """Report text shaped like a secret placeholder: every one in ``tree`` when ``declared`` is
    None (a source: only secret() may make one), else those naming an undeclared secret (the
    rendered tree: whatever a template built, only declared secrets are ever bound)."""
    from compiler.analysis.strings import may_hold, texts
    from compiler.core.secrets import PLACEHOLDER

    if not may_hold(tree, b"<<secret:"):
        return
    for text in texts(tree, skip=frozenset(), want=lambda s: "<<secret:" in s):
        for m in PLACEHOLDER.finditer(text.value):
            if declared is None:
                message = f"'{m.group(0)}' is written as text"
            elif m.group(1) in declared:
                continue
            else:
                message = f"a template built a placeholder for {m.group(1)}, which is not " \
                          "declared under secrets:"
            ctx.report(codes.PLACEHOLDER_IN_SOURCE.at(
                text.span, message, help="only secret('NAME'), for a name listed under "
                "secrets: in swmlc.yaml, may stand for a secret: write {{ secret('NAME') }}"))


def resolve_variables(unit: Unit, ctx: Context, scope: RenderScope, templates: Templates,
                      spans: dict[str, Span] | None = None) -> dict[str, Any]:
    raw: dict[str, tuple[Any, Span, Span]] = {}
    for layer in _sources(unit, ctx):
        _placeholders(layer, ctx, declared=None)
        for name in layer:
            raw[name] = (layer[name], layer.value_span(name), layer.key_span(name))
    for name in [n for n in raw if n in FUNCTIONS]:  # a variable would hide the function
        ctx.report(codes.BAD_VALUE.at(
            raw.pop(name)[2], f"'{name}' is reserved: templates call {name}(...)",
            help=f"rename the variable; {', '.join(FUNCTIONS)} are template functions"))
    resolved = resolve_values(raw, scope, templates, ctx.report)
    if spans is not None:
        spans.update({name: raw[name][1] for name in raw})
    return resolved


@pipeline_pass()
def render_templates(unit: Unit, ctx: Context) -> Unit:
    """Resolve the unit's variables, then render every string of its tree once.

    Example:
        >>> from compiler.pipeline.testing import run_passes
        >>> unit, _ = run_passes("vars: {t: 700}\\nprompt: {text: 'wait {{ t }}'}\\n"
        ...                      "params: {attention_timeout: '{{ t * 20 }}'}\\n")
        >>> unit.tree["prompt"]["text"], unit.tree["params"]["attention_timeout"]
        ('wait 700', 14000)
    """
    assert unit.tree is not None
    templates = ctx.session.templates
    scope = scope_for(ctx)
    var_spans: dict[str, Span] = {}
    variables = resolve_variables(unit, ctx, scope, templates, var_spans)
    if ctx.failed():
        return unit
    body = unit.tree.without(TEMPLATE_KEYS)
    _placeholders(body, ctx, declared=None)
    if ctx.failed():
        return unit
    rendered = render_value(body, body.span, variables, scope, templates, ctx.report)
    assert isinstance(rendered, Map)
    _placeholders(rendered, ctx, declared=frozenset(ctx.project.config.secrets))
    name = rendered.get("agent")
    if "agent" in rendered and not isinstance(name, str):
        ctx.report(codes.WRONG_TYPE.at(rendered.value_span("agent"), "agent must be a string"))
    new_name = name if isinstance(name, str) else unit.name
    inputs = (*unit.inputs, *[f for f in scope.inputs if f not in unit.inputs])
    return replace(unit, tree=rendered, name=new_name, inputs=inputs, composed=unit.tree,
                   variables={k: (variables[k], var_spans[k]) for k in variables})

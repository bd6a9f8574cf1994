"""Pass: extends, include and ``use:`` turned into one tree.

The layers of a file are: its ``extends`` chain (deepest base first), then its includes in order,
then the file itself; a base or an include is composed the same way, recursively. The layers are
linearised before merging, keeping the first occurrence of each file, so a file reached twice (a
diamond) is applied once: otherwise an ``!append`` in a shared fragment would apply twice.
"""

from __future__ import annotations

from dataclasses import replace

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Label
from compiler.core.tree import Map, Seq, Span
from compiler.pipeline.compose.merge import merge_maps, strip_tags
from compiler.pipeline.context import Context, Unit, pipeline_pass
from compiler.source.agent_format import COMPOSE_KEYS
from compiler.source.paths import resolve_path


class _Cycle(Exception):
    pass


def _load_map(ctx: Context, rel: str, site: Span | None, what: str) -> Map | None:
    loaded = ctx.project.files.load(rel, site)
    for diag in loaded.diagnostics:
        ctx.report(diag)
    if loaded.diagnostics:
        return None
    if not isinstance(loaded.value, Map):
        span = getattr(loaded.value, "span", None) or Span(rel, 1, 1, 1, 1)
        ctx.report(codes.NOT_A_MAPPING.at(span, f"{what} must be a mapping",
                                          labels=(Label(site, "used here"),) if site else ()))
        return None
    return loaded.value


def _linearise(ctx: Context, rel: str, stack: list[tuple[str, Span | None]],
               out: list[str]) -> None:
    """Append the layers of ``rel`` to ``out`` in merge order (depth first, first wins)."""
    tree = ctx.project.files.parsed[rel].value
    assert isinstance(tree, Map)
    depth = ctx.project.config.limits.compose_depth
    if len(stack) >= depth:
        site = stack[-1][1]
        ctx.report(codes.EXTENDS_CYCLE.at(
            site or tree.span, f"extends/include go more than {depth} files deep",
            help="flatten the chain, or raise limits.compose_depth in swmlc.yaml"))
        raise _Cycle
    sites: list[tuple[str, Span, str]] = []
    if "extends" in tree:
        value = tree["extends"]
        if isinstance(value, str):
            sites.append((value, tree.value_span("extends"), "extends"))
        else:
            ctx.report(codes.WRONG_TYPE.at(tree.value_span("extends"),
                                           "extends takes one path",
                                           help="to merge several files, use include: [...]"))
    if "include" in tree:
        value = tree["include"]
        if isinstance(value, Seq) and all(isinstance(v, str) for v in value):
            sites += [(v, value.item_span(i), "include") for i, v in enumerate(value)]
        else:
            ctx.report(codes.WRONG_TYPE.at(tree.value_span("include"),
                                           "include takes a list of paths"))
    for target, site, kind in sites:
        resolved = resolve_path(ctx.project.options.root, rel, target, site,
                                ctx.project.files.resolved)
        if isinstance(resolved, Diagnostic):
            ctx.report(resolved)
            continue
        chain = [f for f, _ in stack]
        if resolved in chain or resolved == rel:
            _report_cycle(ctx, [*stack, (rel, site)], resolved)
            raise _Cycle
        ctx.included_from.setdefault(resolved, site)  # before loading: its errors say who named it
        ctx.layer_kinds.setdefault(resolved, kind)
        if _load_map(ctx, resolved, site, "an extended or included file") is None:
            continue
        _linearise(ctx, resolved, [*stack, (rel, site)], out)
    if rel not in out:
        out.append(rel)


def _report_cycle(ctx: Context, stack: list[tuple[str, Span | None]], back_to: str) -> None:
    start = next(i for i, (f, _) in enumerate(stack) if f == back_to)
    links = [(f, s) for f, s in stack[start:]]
    files = [f for f, _ in links] + [back_to]
    names = " -> ".join(files)
    labels = tuple(Label(s, f"names {files[i + 1]}") for i, (_, s) in enumerate(links[:-1])
                   if s is not None)
    last_site = links[-1][1]
    assert last_site is not None
    ctx.report(codes.EXTENDS_CYCLE.at(
        last_site, f"composition cycle: {names}", labels=labels,
        notes=(f"{links[-1][0]} names {back_to} here, closing the cycle",),
        help="a file cannot extend or include itself, directly or through others"))


@pipeline_pass()
def compose(unit: Unit, ctx: Context) -> Unit:
    """Merge the unit's layers into one tree and expand ``use:`` references.

    Example:
        >>> from compiler.pipeline.testing import run_passes
        >>> unit, _ = run_passes("prompt: {text: hi}\\nhints: !append [b]\\n")
        >>> unit.tree["hints"]
        ['b']
    """
    assert unit.tree is not None
    layers: list[str] = []
    try:
        _linearise(ctx, unit.file, [], layers)
    except _Cycle:
        return unit
    if ctx.failed():
        return unit
    from compiler.pipeline.compose.uses import expand_uses

    merged: Map | None = None
    for rel in layers:
        tree = ctx.project.files.parsed[rel].value
        assert isinstance(tree, Map)
        layer = expand_uses(tree.without(COMPOSE_KEYS), rel, ctx)
        merged = strip_tags(layer, ctx.report, ()) if merged is None else \
            merge_maps(merged, layer, (), ctx.report)
    assert merged is not None
    seen = set(unit.inputs)
    inputs = list(unit.inputs)
    for f in [*layers, *ctx.included_from]:  # layers, then libraries named by use:
        if f not in seen:
            seen.add(f)
            inputs.append(f)
    return replace(unit, tree=merged, inputs=tuple(inputs), included_from=dict(ctx.included_from),
                   layer_kinds=dict(ctx.layer_kinds))

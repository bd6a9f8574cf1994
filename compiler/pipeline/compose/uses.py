"""``functions: [{use: _functions/orders.yaml#lookup_order, ...overrides}]``: SWAIG functions
taken from a function library, with the entry's other keys merged on top (the merge rules of
docs/merging.md). Only functions that are used are taken, so a library can hold a team's whole
toolbox while each agent ships just what it calls."""

from __future__ import annotations

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Label
from compiler.core.suggest import did_you_mean
from compiler.core.tree import Map, Seq, Span
from compiler.pipeline.compose.merge import merge_maps, strip_tags
from compiler.pipeline.context import Context, Library
from compiler.source.paths import resolve_path


def _library(ctx: Context, rel: str, site: Span) -> Library | None:
    """The functions of the library ``rel``, read once per run (a broken one is reported to
    every unit that uses it, and read again)."""
    cached = ctx.session.libraries.get(rel)
    if cached is not None:
        return cached
    loaded = ctx.project.files.load(rel, site)
    for diag in loaded.diagnostics:
        ctx.report(diag)
    if loaded.diagnostics:
        return None
    value = loaded.value
    if not isinstance(value, Seq):
        span = value.span if isinstance(value, Map) else Span(rel, 1, 1, 1, 1)
        ctx.report(codes.BAD_LIBRARY.at(span, "a function library must be a list of functions",
                                        labels=(Label(site, "used here"),)))
        return None
    found: Library = {}
    for i, fn in enumerate(value):
        if not isinstance(fn, Map) or not isinstance(fn.get("function"), str):
            ctx.report(codes.BAD_LIBRARY.at(value.item_span(i),
                                            "each library entry needs a 'function' name"))
            return None
        found[fn["function"]] = (fn, value.item_span(i))
    ctx.session.libraries[rel] = found
    return found


def expand_uses(layer: Map, rel: str, ctx: Context) -> Map:
    functions = layer.get("functions")
    if not isinstance(functions, Seq) or not any(
            isinstance(f, Map) and "use" in f for f in functions):
        return layer
    out_fns = Seq(functions.span, functions.tag)
    for i, entry in enumerate(functions):
        if not (isinstance(entry, Map) and "use" in entry):
            out_fns.push(entry, functions.item_span(i))
            continue
        expanded = _expand(entry, rel, ctx)
        out_fns.push(expanded if expanded is not None else entry, functions.item_span(i))
    return layer.replaced("functions", out_fns)


def _expand(entry: Map, rel: str, ctx: Context) -> Map | None:
    use = entry["use"]
    site = entry.value_span("use")
    if not isinstance(use, str) or "#" not in use:
        ctx.report(codes.WRONG_TYPE.at(site, "use takes 'path#function'",
                                       help="e.g. use: _functions/orders.yaml#lookup_order"))
        return None
    path, name = use.rsplit("#", 1)
    resolved = resolve_path(ctx.project.options.root, rel, path, site,
                            ctx.project.files.resolved)
    if isinstance(resolved, Diagnostic):
        ctx.report(resolved)
        return None
    library = _library(ctx, resolved, site)
    if library is None:
        return None
    ctx.included_from.setdefault(resolved, site)
    ctx.layer_kinds.setdefault(resolved, "use")
    if name not in library:
        suggestion = did_you_mean(name, list(library))
        ctx.report(codes.UNKNOWN_LIBRARY_FUNCTION.at(
            site, f"{resolved} has no function '{name}'",
            help=f"did you mean '{suggestion}'?" if suggestion else
            f"it defines: {', '.join(library) or 'nothing'}"))
        return None
    base, _ = library[name]
    overrides = Map(entry.span)
    for key in entry:
        if key != "use":
            overrides.copy_entry(entry, key)
    return merge_maps(strip_tags(base, ctx.report), overrides, ("functions", 0), ctx.report)

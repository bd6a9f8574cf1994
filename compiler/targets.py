"""Which documents a unit lowers to, by target name."""

from __future__ import annotations

from compiler.context import Context
from compiler.passes.lower import lower_swml
from compiler.tree import Map


def requested_targets(ctx: Context) -> tuple[str, ...]:
    opts = ctx.project.options
    return tuple(opts.targets) if opts.targets else ctx.project.config.targets


def lower_targets(tree: Map, ctx: Context) -> dict[str, Map]:
    out: dict[str, Map] = {}
    for target in requested_targets(ctx):
        if target == "swml":
            out["swml"] = lower_swml(tree)
    return out

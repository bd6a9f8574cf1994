"""Pass: a function's relative ``webhook: /path`` becomes its ``web_hook_url``.

The project's ``swaig: {base_url, auth_user, auth_password}`` (swmlc.yaml) names the SWAIG server
once; each function names only its path. SWML expects basic-auth credentials inside the URL
(``https://user:pass@host/path``), so they are written there, usually as secret placeholders.
``SWAIG.defaults.web_hook_url`` is set to the base URL for an agent that uses ``webhook:``, unless
the agent sets its own ``swaig_defaults``.
"""

from __future__ import annotations

from dataclasses import replace

from compiler.core import codes
from compiler.core.tree import Map, Seq, Span
from compiler.core.urls import join_url, with_credentials
from compiler.pipeline.context import Context, Unit, pipeline_pass


@pipeline_pass()
def resolve_refs(unit: Unit, ctx: Context) -> Unit:
    """Turn ``webhook`` paths into ``web_hook_url`` and set the SWAIG default URL.

    Example:
        >>> from compiler.core.urls import join_url, with_credentials
        >>> with_credentials(join_url("https://t.example.com/swaig/", "/transfer"), "u", "p")
        'https://u:p@t.example.com/swaig/transfer'
    """
    tree = unit.tree
    assert tree is not None
    swaig = ctx.project.config.swaig
    functions = tree.get("functions")
    if not isinstance(functions, Seq) or not functions:
        return unit
    base = swaig.base_url
    base_auth = with_credentials(base, swaig.auth_user, swaig.auth_password) if base else None
    base_span, config_spans = _config_spans(ctx)
    contributors: dict[Span, tuple[Span, ...]] = dict(unit.contributors)
    new_fns = Seq(functions.span, functions.tag)
    changed = False
    for i, fn in enumerate(functions):
        if isinstance(fn, Map) and "webhook" in fn:
            path = fn["webhook"]
            span = fn.value_span("webhook")
            if base_auth is None:
                ctx.report(codes.WEBHOOK_WITHOUT_BASE.at(
                    span, "webhook needs swaig.base_url in swmlc.yaml",
                    help="set swaig: {base_url: https://...} in swmlc.yaml, or write the full "
                         "web_hook_url"))
            elif not isinstance(path, str) or "://" in path:
                ctx.report(codes.WRONG_TYPE.at(
                    span, "webhook takes a path relative to swaig.base_url, e.g. /transfer",
                    help="for a full URL, use web_hook_url"))
            else:
                fn = fn.replaced("webhook", join_url(base_auth, path), span,
                                 new_key="web_hook_url")
                contributors[span] = config_spans
                changed = True
        new_fns.push(fn, functions.item_span(i))
    out = tree.replaced("functions", new_fns) if changed else tree
    if changed and base_auth is not None and "swaig_defaults" not in out:
        # the defaults are swmlc.yaml's swaig: (its base_url's line), named at the agent's
        # functions: key, which made them needed
        where = base_span or out.key_span("functions")
        defaults = Map(where)
        defaults.put("web_hook_url", base_auth, where)
        contributors[where] = config_spans
        with_defaults = Map(out.span, out.tag)
        for key in out:
            if key == "functions":  # SWAIG.defaults sits just before the functions
                with_defaults.put("swaig_defaults", defaults, where, out.key_span("functions"))
            with_defaults.copy_entry(out, key)
        out = with_defaults
    if out is tree:
        return unit
    return replace(unit, tree=out, contributors=contributors)


def _config_spans(ctx: Context) -> tuple[Span | None, tuple[Span, ...]]:
    """Where swmlc.yaml's ``swaig:`` writes the base URL, and each of its base_url, auth_user
    and auth_password (the sources of a resolved ``web_hook_url``)."""
    tree = ctx.project.config.tree
    swaig = tree.get("swaig") if tree is not None else None
    if not isinstance(swaig, Map):
        return None, ()
    spans = tuple(swaig.value_span(k) for k in ("base_url", "auth_user", "auth_password")
                  if k in swaig)
    return (swaig.value_span("base_url") if "base_url" in swaig else None), spans

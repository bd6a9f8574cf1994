"""Which documents a unit lowers to, by target name: swml, relay and bedrock.

All three come from one lowered ``ai`` object (``compiler.passes.lower.lower_ai``), so they cannot
drift apart: relay renames two fields the way the SDK wants them (``compiler.relay``), and bedrock
keeps the fields the ``amazon_bedrock`` verb takes. Bedrock takes fewer fields than ``ai``; each
one it cannot take is reported at its source key (SWC601), never dropped in silence.
"""

from __future__ import annotations

from compiler import codes
from compiler.context import Context
from compiler.diagnostics import Diagnostic, Severity
from compiler.passes.lower import SWAIG_KEYS, lower_ai, lower_swml
from compiler.relay import lower_relay
from compiler.tree import Map, Seq, Span

#: The ``amazon_bedrock`` verb's fields ($defs/AmazonBedrockObject in the official schema).
BEDROCK_AI = ("prompt", "post_prompt", "post_prompt_url", "global_data", "params", "SWAIG")
#: Prompt and post-prompt fields ($defs/BedrockPrompt, BedrockPostPrompt): no ``contexts``.
#: (``voice_id`` is Bedrock's own and has no source field yet.)
BEDROCK_PROMPT = ("text", "pom", "max_tokens", "temperature", "top_p", "confidence",
                  "presence_penalty", "frequency_penalty")
#: ``SWAIG`` fields ($defs/BedrockSWAIG): no ``internal_fillers``.
BEDROCK_SWAIG = ("functions", "defaults", "native_functions", "includes")
#: Function fields ($defs/BedrockSWAIGFunction): no fillers, wait_file, skip_fillers, ...
BEDROCK_FUNCTION = ("function", "description", "parameters", "active", "meta_data",
                    "meta_data_token", "data_map", "web_hook_url")
#: Params the Bedrock schema documents ($defs/BedrockParams); others pass, undocumented.
BEDROCK_PARAMS = ("attention_timeout", "hard_stop_time", "hard_stop_prompt",
                  "inactivity_timeout", "video_listening_file", "video_idle_file",
                  "video_talking_file")

_SOURCE_NAME = {v: k for k, v in SWAIG_KEYS.items()}
_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}


def requested_targets(ctx: Context) -> tuple[str, ...]:
    opts = ctx.project.options
    return tuple(opts.targets) if opts.targets else ctx.project.config.targets


def lower_targets(tree: Map, ctx: Context) -> dict[str, Map]:
    """One document per requested target, in the order swml, relay, bedrock."""
    wanted = requested_targets(ctx)
    out: dict[str, Map] = {}
    if "swml" in wanted:
        out["swml"] = lower_swml(tree)
    if "relay" in wanted:
        out["relay"] = lower_relay(lower_ai(tree))
        _relay_verbs(tree, ctx)
    if "bedrock" in wanted:
        out["bedrock"] = lower_bedrock(tree, ctx)
    return out


# -- reporting ---------------------------------------------------------------------------------


def report(ctx: Context, diag: Diagnostic) -> None:
    """Report a target diagnostic, honouring ``rules:`` levels and ``# swmlc: ignore[...]``, as
    the lints do: a team that accepts that Bedrock has no hints silences it once."""
    from compiler.passes.check import ignored_codes

    level = ctx.project.config.rules.get(diag.code)
    if level == "off" or diag.code in ignored_codes(ctx, diag):
        return
    ctx.report(diag.with_severity(_LEVELS[level]) if level in _LEVELS else diag)


# -- relay -------------------------------------------------------------------------------------


def _relay_verbs(tree: Map, ctx: Context) -> None:
    swml = tree.get("swml")
    if not isinstance(swml, Map):
        return
    for key in ("before", "after", "sections"):
        value = swml.get(key)
        if value is None or (key == "before" and _only_answer(value)) \
                or (isinstance(value, Seq | Map) and not value):
            continue
        report(ctx, codes.RELAY_VERBS.at(
            swml.key_span(key),
            f"swml.{key} is not part of the relay target (call.ai() takes the ai verb only)",
            help="run these verbs from the RELAY app, e.g. await call.answer() before "
                 "await call.ai(**ai_kwargs(...))"))


def _only_answer(value: object) -> bool:
    return isinstance(value, list) and len(value) == 1 and value[0] == {"answer": {}}


# -- bedrock -----------------------------------------------------------------------------------


def lower_bedrock(tree: Map, ctx: Context) -> Map:
    """The SWML document with ``amazon_bedrock`` in place of ``ai``, and a diagnostic for each
    field left out because the verb does not take it."""
    ai = lower_ai(tree)
    body = Map(ai.span)
    for key in ai:
        value = ai[key]
        if key not in BEDROCK_AI:
            _left_out(ctx, ai.key_span(key), key)
            continue
        if key in ("prompt", "post_prompt") and isinstance(value, Map):
            value = _keep(ctx, value, BEDROCK_PROMPT, key)
        elif key == "SWAIG" and isinstance(value, Map):
            value = _bedrock_swaig(ctx, value)
            if not value:
                continue  # each of its fields was reported; an empty SWAIG says nothing
        elif key == "params" and isinstance(value, Map):
            for name in value:
                if name not in BEDROCK_PARAMS:
                    report(ctx, codes.BEDROCK_PARAM.at(
                        value.key_span(name),
                        f"amazon_bedrock does not document params.{name}; kept as written",
                        help=f"Bedrock documents: {', '.join(BEDROCK_PARAMS)}"))
        body.put(key, value, ai.value_spans[key], ai.key_spans[key])
    return lower_swml(tree, verb="amazon_bedrock", body=body)


def _left_out(ctx: Context, span: Span, what: str, where: str = "") -> None:
    report(ctx, codes.BEDROCK_UNSUPPORTED.at(
        span, f"amazon_bedrock has no '{what}'{where}: the bedrock document leaves it out",
        help="keep it for the other targets and silence this line with "
             "'# swmlc: ignore[SWC601]', or set rules: {SWC601: off} in swmlc.yaml"))


def _keep(ctx: Context, source: Map, allowed: tuple[str, ...], where: str) -> Map:
    out = Map(source.span)
    for key in source:
        if key in allowed:
            out.copy_entry(source, key)
        else:
            _left_out(ctx, source.key_span(key), "sections" if key == "pom" else key,
                      f" in {where}")
    return out


def _bedrock_swaig(ctx: Context, swaig: Map) -> Map:
    out = Map(swaig.span)
    for key in swaig:
        if key not in BEDROCK_SWAIG:
            _left_out(ctx, swaig.key_span(key), _SOURCE_NAME.get(key, key))
            continue
        value = swaig[key]
        if key == "functions" and isinstance(value, Seq):
            fns = Seq(value.span)
            for i, fn in enumerate(value):
                name = fn.get("function") if isinstance(fn, Map) else None
                fns.push(_keep(ctx, fn, BEDROCK_FUNCTION,
                               f"function '{name}'" if name else "a function")
                         if isinstance(fn, Map) else fn, value.item_span(i))
            value = fns
        out.put(key, value, swaig.value_spans[key], swaig.key_spans[key])
    return out

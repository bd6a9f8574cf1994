"""The bedrock target: the SWML document with the ``amazon_bedrock`` verb in place of ``ai``.

It starts from the same lowered ``ai`` object as the SWML target and keeps the fields the verb
takes. Bedrock takes fewer fields than ``ai``; each one it cannot take is reported at its source
key (SWC601), never dropped in silence.
"""

from __future__ import annotations

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Map, Seq, Span
from compiler.source.agent_format import SWAIG_KEYS
from compiler.targets.swml import lower_ai, lower_swml

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


def lower_bedrock(tree: Map) -> tuple[Map, list[Diagnostic]]:
    """The SWML document with ``amazon_bedrock`` in place of ``ai``, and a diagnostic for each
    field left out because the verb does not take it."""
    said: list[Diagnostic] = []
    ai = lower_ai(tree)
    body = Map(ai.span)
    for key in ai:
        value = ai[key]
        if key not in BEDROCK_AI:
            _left_out(said, ai.key_span(key), key)
            continue
        if key in ("prompt", "post_prompt") and isinstance(value, Map):
            value = _keep(said, value, BEDROCK_PROMPT, key)
        elif key == "SWAIG" and isinstance(value, Map):
            value = _bedrock_swaig(said, value)
            if not value:
                continue  # each of its fields was reported; an empty SWAIG says nothing
        elif key == "params" and isinstance(value, Map):
            for name in value:
                if name not in BEDROCK_PARAMS:
                    said.append(codes.BEDROCK_PARAM.at(
                        value.key_span(name),
                        f"amazon_bedrock does not document params.{name}; kept as written",
                        help=f"Bedrock documents: {', '.join(BEDROCK_PARAMS)}"))
        body.put(key, value, ai.value_spans[key], ai.key_spans[key])
    return lower_swml(tree, verb="amazon_bedrock", body=body), said


def _left_out(said: list[Diagnostic], span: Span, what: str, where: str = "") -> None:
    said.append(codes.BEDROCK_UNSUPPORTED.at(
        span, f"amazon_bedrock has no '{what}'{where}: the bedrock document leaves it out",
        help="keep it for the other targets and silence this line with "
             "'# swmlc: ignore[SWC601]', or set rules: {SWC601: off} in swmlc.yaml"))


def _keep(said: list[Diagnostic], source: Map, allowed: tuple[str, ...], where: str) -> Map:
    out = Map(source.span)
    for key in source:
        if key in allowed:
            out.copy_entry(source, key)
        else:
            _left_out(said, source.key_span(key), "sections" if key == "pom" else key,
                      f" in {where}")
    return out


def _bedrock_swaig(said: list[Diagnostic], swaig: Map) -> Map:
    out = Map(swaig.span)
    for key in swaig:
        if key not in BEDROCK_SWAIG:
            _left_out(said, swaig.key_span(key), _SOURCE_NAME.get(key, key))
            continue
        value = swaig[key]
        if key == "functions" and isinstance(value, Seq):
            fns = Seq(value.span)
            for i, fn in enumerate(value):
                name = fn.get("function") if isinstance(fn, Map) else None
                fns.push(_keep(said, fn, BEDROCK_FUNCTION,
                               f"function '{name}'" if name else "a function")
                         if isinstance(fn, Map) else fn, value.item_span(i))
            value = fns
        out.put(key, value, swaig.value_spans[key], swaig.key_spans[key])
    return out

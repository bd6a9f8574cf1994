"""Facts about swmlc's agent source format that several layers need, stated once.

The source keeps SWML's own field names, so most keys pass through to the ``ai`` verb; these
are the exceptions. The whole format is schemas/agent.schema.json.
"""

from __future__ import annotations

#: Top-level keys that only steer compilation and never reach an output (nor are they strings
#: the platform expands at run time: the verbs in ``swml`` have their own SWML variables).
SOURCE_ONLY = frozenset({"agent", "extends", "include", "vars", "instances", "swml", "$schema"})
#: The keys the compose pass consumes.
COMPOSE_KEYS = ("extends", "include")
#: The keys the render_templates pass consumes.
TEMPLATE_KEYS = ("vars", "instances")
#: Source-only keys inside a function (resolved by ``resolve_refs`` before lowering).
FUNCTION_SOURCE_ONLY = frozenset({"use", "webhook"})
#: Source keys that become ``ai.SWAIG.<name>``.
SWAIG_KEYS = {
    "swaig_defaults": "defaults",
    "native_functions": "native_functions",
    "swaig_includes": "includes",
    "functions": "functions",
    "internal_fillers": "internal_fillers",
}
#: Every top-level key of a definition (the ``properties`` of schemas/agent.schema.json; a test
#: keeps the two equal): what tells an agent definition from a SWML document.
TOP_LEVEL_KEYS = frozenset({
    "$schema", "agent", "extends", "functions", "global_data", "hints", "include", "instances",
    "internal_fillers", "languages", "native_functions", "params", "post_prompt",
    "post_prompt_url", "prompt", "pronounce", "swaig_defaults", "swaig_includes", "swml", "vars",
})

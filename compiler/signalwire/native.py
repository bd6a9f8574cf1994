"""Names the platform defines itself: native functions, internal fillers, DataMap scopes.

These are small, stable facts taken from the official schema (``signalwire-sdk`` 3.7.5
``schema.json``) and from PLATFORM.md / the SDK's DataMap guide. They are written out here rather
than read from the schema at run time because the build must not pay for the SDK; a unit test
compares them with the installed schema, so an SDK upgrade that changes them fails loudly.

The DataMap scopes matter because a reference that does not resolve expands to an empty string,
silently. The classic bug is ``${args.q}`` in a webhook's ``output``: there the call data lives
under ``input``, so the platform sends the caller a blank where the query should be.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, TypeAlias

# $defs/SWAIGNativeFunction: the values `native_functions` accepts.
NATIVE_FUNCTIONS: tuple[str, ...] = (
    "check_time",
    "wait_seconds",
    "wait_for_user",
    "adjust_response_latency",
)

# $defs/SWAIGInternalFiller: the keys of `SWAIG.internal_fillers` (functions the platform itself
# calls, so a user function of the same name is not the one these fillers play for).
INTERNAL_FILLER_NAMES: tuple[str, ...] = (
    "hangup",
    "check_time",
    "wait_for_user",
    "wait_seconds",
    "adjust_response_latency",
    "next_step",
    "change_context",
    "get_visual_input",
    "get_ideal_strategy",
)

# $defs/FunctionFillers: each fillers object holds exactly one of these keys (oneOf), so several
# languages need several fillers objects.
FILLER_LANGUAGE_KEYS: frozenset[str] = frozenset(
    {
        "default",
        "bg", "ca", "cs", "da", "da-DK", "de", "de-CH", "el",
        "en", "en-AU", "en-GB", "en-IN", "en-NZ", "en-US",
        "es", "es-419", "et", "fi", "fr", "fr-CA", "hi", "hu", "id", "it", "ja",
        "ko", "ko-KR", "lt", "lv", "ms", "multi", "nl", "nl-BE", "no", "pl",
        "pt", "pt-BR", "pt-PT", "ro", "ru", "sk", "sv", "sv-SE", "th", "th-TH",
        "tr", "uk", "vi",
        "zh", "zh-CN", "zh-HK", "zh-Hans", "zh-Hant", "zh-TW",
    }
)  # fmt: skip

# --------------------------------------------------------------------------- DataMap scopes

# Details of the call at the root of the call data.
CALL_DETAIL_KEYS: tuple[str, ...] = (
    "call_id",
    "ai_session_id",
    "conversation_id",
    "function",
    "caller_id_name",
    "caller_id_num",
    "project_id",
    "space_id",
    "app_name",
)

# Built-in prompt variables (swaig_reference.md "prompt_vars Contents"). The call data merges
# them into its root; every global_data key is merged in too, which is why the call-data scope
# is open: `${plan}` can resolve when global_data has `plan`.
PROMPT_VAR_KEYS: tuple[str, ...] = (
    "call_direction",
    "caller_id_name",
    "caller_id_number",
    "local_date",
    "local_time",
    "time_of_day",
    "supported_languages",
    "default_language",
)

ScopeName: TypeAlias = Literal["call_data", "webhook_response"]


@dataclass(frozen=True, slots=True)
class DataMapScope:
    """What a ``${...}`` root can name in one part of a DataMap.

    ``roots`` always resolve (given the data exists). ``open`` says other roots may resolve too
    (response fields, global_data keys merged into the root), so an unlisted root is not an error
    by itself. ``empty`` maps a root that is known to read *nothing* here to the prefix that reads
    what the author meant: ``"input.args"`` for ``args``; ``""`` to drop the root
    (``${response.total}`` is ``${total}``); ``None`` when nothing reads it.
    """

    name: ScopeName
    roots: frozenset[str]
    open: bool
    empty: tuple[tuple[str, str | None], ...]

    def fix_for(self, root: str) -> str | None:
        """The prefix to write instead of ``root``, when ``root`` reads nothing in this scope."""
        for name, fix in self.empty:
            if name == root:
                return fix
        return None

    def reads_nothing(self, root: str) -> bool:
        """True when ``${root...}`` always expands to an empty string in this scope."""
        return any(name == root for name, _ in self.empty)


# The top-level `expressions`, and a webhook's `url`, `params` and `headers`.
CALL_DATA = DataMapScope(
    name="call_data",
    roots=frozenset({"args", "global_data", "meta_data", *CALL_DETAIL_KEYS, *PROMPT_VAR_KEYS}),
    open=True,
    # `input` exists but stays empty until a webhook has responded; `this` lives only inside a
    # foreach; the prompt variables sit at the root here, not under `prompt_vars`.
    empty=(("input", None), ("this", None), ("prompt_vars", "")),
)

# The top-level `output`, the fallback: the call data, plus the prompt variables by that name.
CALL_DATA_OUTPUT = DataMapScope(
    name="call_data",
    roots=CALL_DATA.roots | {"prompt_vars"},
    open=True,
    empty=(("input", None), ("this", None)),
)

# A webhook's `foreach`, `expressions` and `output`: the response's fields at the root (no
# `response.` prefix; an array response is `array`), plus these. A response field of the same
# name hides any of them, so `args` is empty here *unless* the response has an `args` field.
WEBHOOK_RESPONSE = DataMapScope(
    name="webhook_response",
    roots=frozenset({"input", "global_data", "prompt_vars", "array"}),
    open=True,
    empty=(
        ("args", "input.args"),
        ("meta_data", "input.meta_data"),
        *((key, f"input.{key}") for key in CALL_DETAIL_KEYS),
        *((key, f"prompt_vars.{key}") for key in PROMPT_VAR_KEYS if key not in CALL_DETAIL_KEYS),
        ("response", ""),
    ),
)

# Roots that exist only while a `foreach.append` template runs (its `output_key`s are per
# document and come from the foreach itself).
FOREACH_APPEND_ROOTS: frozenset[str] = frozenset({"this"})

# Where each DataMap field reads from. PLATFORM.md puts a webhook's `headers` in the call data;
# the SDK's datamap_guide.md (section 4.4) says header values are sent as written. We follow
# PLATFORM.md, the project's own record, until the platform settles it.
SCOPE_OF: Mapping[str, DataMapScope] = MappingProxyType(
    {
        "expressions": CALL_DATA,
        "output": CALL_DATA_OUTPUT,
        "webhooks.url": CALL_DATA,
        "webhooks.params": CALL_DATA,
        "webhooks.headers": CALL_DATA,
        "webhooks.foreach": WEBHOOK_RESPONSE,
        "webhooks.expressions": WEBHOOK_RESPONSE,
        "webhooks.output": WEBHOOK_RESPONSE,
    }
)

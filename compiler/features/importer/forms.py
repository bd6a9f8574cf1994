"""Migrations for forms the official schema refuses where what the platform does is known
without them: keys it never reads where they stand, knobs that tune nothing, and the two
rewrites of a platform feature into the form the schema accepts (docs/import.md).

Each keeps what the platform does *as it does it today*: a key the platform does not read is
removed with a warning that says where it would be read, never moved there (moving it would
change the agent). The evidence for each is in docs/import.md and ../shared/PLATFORM.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

Path = tuple[str | int, ...]


class Migrated(Protocol):
    """What :mod:`.migrate` records into (its ``Migrated``; a protocol, so no import cycle)."""

    doc: Any

    def change(self, path: Path, message: str, key: bool = False, *, kind: str) -> None: ...

#: Fields of the ``ai`` verb the platform reads on ``ai`` only: written inside ``SWAIG`` they
#: are read by no one (SWAIG's fields are defaults, functions, includes, native_functions,
#: internal_fillers).
AI_FIELDS = frozenset({"prompt", "post_prompt", "post_prompt_url", "languages", "hints",
                       "pronounce", "params", "global_data"})

#: The LLM knobs of a ``post_prompt`` (the official schema's AIPostPrompt): alone, with no
#: ``text`` or ``pom``, they tune a summary that is never asked for.
POST_PROMPT_KNOBS = frozenset({"max_tokens", "temperature", "top_p", "confidence",
                               "presence_penalty", "frequency_penalty"})

#: ElevenLabs' own name for the platform's ``similarity`` language param, and the default
#: the official schema documents for it: at that value the voice is the same whichever name
#: the platform reads, so only that value is migrated.
SIMILARITY_ALIAS, SIMILARITY_DEFAULT = "similarity_boost", 0.75


def top_level(out: Migrated) -> None:
    """A document's top level holds ``version`` and ``sections``; the SDK's ``_global_data``
    beside them is read by no one (global data is ``ai.global_data``)."""
    doc = out.doc
    if isinstance(doc, dict) and "_global_data" in doc and "sections" in doc:
        del doc["_global_data"]
        out.change(("_global_data",), "'_global_data' beside sections is not read by the "
                   "platform (it reads ai.global_data): removed, the agent does what it did; "
                   "move it into ai.global_data if it was meant for the agent", True,
                   kind="unread key removed")


def ai_forms(ai: dict[str, Any], base: Path, out: Migrated) -> None:
    """The ``ai``-level forms: a post_prompt of knobs only, ai fields written in SWAIG,
    ElevenLabs' ``similarity_boost`` at the platform's default."""
    post = ai.get("post_prompt")
    if isinstance(post, dict) and post and "text" not in post and "pom" not in post \
            and set(post) <= POST_PROMPT_KNOBS:
        del ai["post_prompt"]
        out.change((*base, "post_prompt"), f"a post_prompt with only {', '.join(post)} and no "
                   "text or pom asks for no summary (the knobs tune nothing): removed", True,
                   kind="knob-only post_prompt removed")
    swaig = ai.get("SWAIG")
    swaig = swaig if isinstance(swaig, dict) else {}
    for key in [k for k in swaig if k in AI_FIELDS]:
        del swaig[key]
        out.change((*base, "SWAIG", key), f"'{key}' inside SWAIG is not read by the platform "
                   f"(it reads ai.{key}): removed, the agent does what it did; move it to "
                   f"ai.{key} if it was meant for the agent", True,
                   kind="unread key removed")
    for i, lang in enumerate(ai.get("languages") or []):
        params = lang.get("params") if isinstance(lang, dict) else None
        if isinstance(params, dict) and SIMILARITY_ALIAS in params and "similarity" not in params \
                and params[SIMILARITY_ALIAS] == SIMILARITY_DEFAULT:
            params["similarity"] = params.pop(SIMILARITY_ALIAS)
            out.change((*base, "languages", i, "params", SIMILARITY_ALIAS),
                       f"'similarity_boost: {SIMILARITY_DEFAULT}' (ElevenLabs' name) is written "
                       f"'similarity: {SIMILARITY_DEFAULT}', the platform's name; "
                       f"{SIMILARITY_DEFAULT} is its default, so the voice is the same", True,
                       kind="similarity_boost to similarity")


def webhook_forms(data_map: dict[str, Any], where: Path, out: Migrated) -> None:
    """A webhook's ``body`` is sent by no one: the platform sends ``params`` as the body."""
    for i, hook in enumerate(data_map.get("webhooks") or []):
        if isinstance(hook, dict) and "body" in hook:
            del hook["body"]
            out.change((*where, "data_map", "webhooks", i, "body"),
                       "a webhook's 'body' is not sent by the platform (it sends 'params' as "
                       "the request body): removed, the request is what it was; rename it "
                       "'params' if it was meant to be sent", True, kind="unread key removed")


def negated(pattern: str) -> str | None:
    """A pattern that matches a string exactly when ``pattern`` finds no match in it, as the
    platform searches (PCRE, anywhere in the string, ``/pat/flags`` or case-insensitive), or
    None when ``pattern`` is one the platform never matches (``/`` with no closing ``/``).

    Example:
        >>> negated("sales"), negated("/^A/s")
        ('^(?![\\\\s\\\\S]*?(?:sales))', '/^(?![\\\\s\\\\S]*?(?:^A))/s')
    """
    if not pattern.startswith("/"):
        return rf"^(?![\s\S]*?(?:{pattern}))"
    close = pattern.rfind("/", 1)
    if close < 1:
        return None
    return rf"/^(?![\s\S]*?(?:{pattern[1:close]}))/{pattern[close + 1:]}"


def nomatch_outputs(out: Migrated, ais: Iterable[tuple[str, int, dict[str, Any]]]) -> None:
    """``nomatch-output`` (the SDK's; the platform uses it when an expression's pattern finds
    no match, and the function ends) is written as the next expression: the same string, the
    negated pattern, that output. Runs last: the new expression shifts the ones after it, which
    can never run (the expression before them now always ends the function)."""
    for section, index, ai in ais:
        swaig = ai.get("SWAIG")
        for f, fn in enumerate(swaig.get("functions") or [] if isinstance(swaig, dict) else []):
            data_map = fn.get("data_map") if isinstance(fn, dict) else None
            if not isinstance(data_map, dict):
                continue
            where: Path = ("sections", section, index, "ai", "SWAIG", "functions", f, "data_map")
            _nomatch(data_map, where, out)
            for w, hook in enumerate(data_map.get("webhooks") or []):
                if isinstance(hook, dict):
                    _nomatch(hook, (*where, "webhooks", w), out)


def _nomatch(holder: dict[str, Any], where: Path, out: Migrated) -> None:
    expressions = holder.get("expressions")
    if not isinstance(expressions, list):
        return
    for i in reversed(range(len(expressions))):
        expr = expressions[i]
        if not isinstance(expr, dict) or "nomatch-output" not in expr:
            continue
        string, pattern = expr.get("string"), expr.get("pattern")
        opposite = negated(pattern) if isinstance(pattern, str) else None
        if not isinstance(string, str) or "output" not in expr or "expr" in expr \
                or opposite is None:
            continue  # the schema refuses it still, with its reason
        nomatch = expr.pop("nomatch-output")
        expressions.insert(i + 1, {"string": string, "pattern": opposite, "output": nomatch})
        out.change((*where, "expressions", i, "nomatch-output"),
                   "'nomatch-output' is written as the next expression: the same string, the "
                   f"pattern '{opposite}' (true exactly when '{pattern}' finds no match), that "
                   "output", True, kind="nomatch-output to an expression")

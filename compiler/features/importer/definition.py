"""A migrated SWML document to an agent definition: the inverse of ``compiler.pipeline.lower``.

Lowering renames ``sections`` to ``pom``, gathers the SWAIG keys under ``SWAIG``, and puts the
verbs of ``swml.before``/``after`` around ``ai``; this undoes each step, keeping every key in the
order the document has it, so that compiling the definition gives back the same ``ai`` object,
key for key. What the source format has no field for is returned as a list of problems, with the
place in the document, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from compiler.core.secrets import PLACEHOLDER
from compiler.core.urls import has_userinfo, split_credentials
from compiler.features.importer.compare import Path
from compiler.source.agent_format import SOURCE_ONLY, SWAIG_KEYS
from compiler.source.templating import has_template

#: ``ai`` fields the source format holds under their own names (SWAIG is spread out).
AI_FIELDS = ("prompt", "post_prompt", "post_prompt_url", "global_data", "hints", "pronounce",
             "languages", "params")
#: ``SWAIG`` field -> source key.
SWAIG_SOURCE = {v: k for k, v in SWAIG_KEYS.items()}
DEFAULT_BEFORE: list[dict[str, Any]] = [{"answer": {}}]



@dataclass
class Problem:
    """Something the source format cannot hold, at ``path`` in the migrated document."""

    path: Path
    message: str
    key: bool = True


@dataclass
class Built:
    definition: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


def _prompt_body(body: dict[str, Any]) -> dict[str, Any]:
    """``pom`` -> ``sections`` in a prompt, a context or a step, keeping key order."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key == "pom" and isinstance(value, list):
            out["sections"] = value
        elif key == "contexts" and isinstance(value, dict):
            out[key] = {name: _prompt_body(ctx) if isinstance(ctx, dict) else ctx
                        for name, ctx in value.items()}
        elif key == "steps" and isinstance(value, list):
            out[key] = [_prompt_body(step) if isinstance(step, dict) else step for step in value]
        else:
            out[key] = value
    return out


def build_definition(doc: dict[str, Any], ai_index: int) -> Built:
    """The definition for the ``ai`` verb at ``sections.main[ai_index]`` of a migrated document."""
    sections = doc["sections"]
    main = sections["main"]
    ai_path: Path = ("sections", "main", ai_index, "ai")
    verb = main[ai_index]
    ai = verb["ai"]
    built = Built({})
    for key in verb:
        if key != "ai":
            built.problems.append(Problem(
                ("sections", "main", ai_index, key),
                f"'{key}' beside 'ai' in the verb: the source format has no place for it"))
    for key in doc:
        if key not in ("version", "sections"):
            built.problems.append(Problem((key,), f"top-level '{key}': the source format "
                                                  "writes only version and sections"))
    if doc.get("version", "1.0.0") != "1.0.0":
        built.problems.append(Problem(("version",), "swmlc writes SWML version 1.0.0 only",
                                      key=False))
    defn = built.definition
    for key, value in ai.items():
        if key == "SWAIG" and isinstance(value, dict):
            if not value:
                built.problems.append(Problem((*ai_path, key), "an empty SWAIG has no source "
                                                               "form (it compiles to nothing)"))
            for sub, sub_value in value.items():
                if sub in SWAIG_SOURCE:
                    defn[SWAIG_SOURCE[sub]] = sub_value
                else:
                    built.problems.append(Problem(
                        (*ai_path, key, sub),
                        f"SWAIG.{sub} is not a SWAIG field the source format knows "
                        f"({', '.join(SWAIG_SOURCE)})"))
        elif key in ("prompt", "post_prompt") and isinstance(value, dict):
            defn[key] = _prompt_body(value)
        elif key in AI_FIELDS:
            defn[key] = value
        else:
            why = (" (a source-only key there would change the build)"
                   if key in SOURCE_ONLY or key in SWAIG_KEYS else "")
            built.problems.append(Problem(
                (*ai_path, key), f"ai.{key} is not a field of the ai verb the source format "
                                 f"holds{why}"))
    swml: dict[str, Any] = {}
    before, after = main[:ai_index], main[ai_index + 1:]
    if before != DEFAULT_BEFORE:
        swml["before"] = before
    if after:
        swml["after"] = after
    others = {name: verbs for name, verbs in sections.items() if name != "main"}
    if others:
        swml["sections"] = others
    if swml:
        defn["swml"] = swml
    return built


def doc_path(def_path: Path, ai_index: int) -> Path:
    """Where a place in the definition came from in the (migrated) document."""
    ai_path: Path = ("sections", "main", ai_index, "ai")
    if not def_path:
        return ai_path
    head, rest = def_path[0], def_path[1:]
    if head == "swml" and len(rest) >= 2:
        part, index, tail = rest[0], rest[1], rest[2:]
        if part == "before" and isinstance(index, int):
            return ("sections", "main", index, *tail)
        if part == "after" and isinstance(index, int):
            return ("sections", "main", ai_index + 1 + index, *tail)
        if part == "sections":
            return ("sections", index, *tail)
    if isinstance(head, str) and head in SWAIG_KEYS:
        return (*ai_path, "SWAIG", SWAIG_KEYS[head], *rest)
    if head in ("prompt", "post_prompt"):
        return (*ai_path, head, *("pom" if p == "sections" else p for p in rest))
    return (*ai_path, *def_path)


# -- secrets and template escapes -------------------------------------------------------------


def _token(text: str) -> str:
    token = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").upper()
    return token if token and not token[0].isdigit() else f"S_{token}"


def _base_name(path: Path, defn: dict[str, Any]) -> str:
    """A readable secret name for the URL at ``path``: POST_PROMPT, SWAIG, LOOKUP_WEBHOOK..."""
    if path == ("post_prompt_url",):
        return "POST_PROMPT"
    if path == ("swaig_defaults", "web_hook_url"):
        return "SWAIG"
    if len(path) == 3 and path[0] == "functions" and isinstance(path[1], int):
        fn = defn["functions"][path[1]]
        name = fn.get("function") if isinstance(fn, dict) else None
        return f"{_token(str(name))}_WEBHOOK" if name else "WEBHOOK"
    if path and path[0] == "swaig_includes":
        return "SWAIG_INCLUDE"
    keys = [p for p in path if isinstance(p, str)]
    last = keys[-1] if keys else "URL"
    if last.lower() in ("url", "uri") and len(keys) > 1:
        last = keys[-2]
    return _token(re.sub(r"_?url$", "", last, flags=re.I) or last)


@dataclass
class SecretUse:
    """A URL whose credentials moved to secrets: its place in the definition, and the names."""

    path: Path
    names: tuple[str, ...]
    placeholder: bool = False


def extract_secrets(defn: dict[str, Any], prefix: str
                    ) -> tuple[dict[str, Any], dict[str, str], list[SecretUse]]:
    """Credentials inside URLs become ``{{ secret('NAME') }}``; returns the new definition, the
    secret values by name (kept in memory, never written), and where each was found.

    The same user and password found twice (every function of an SDK-rendered document carries
    the agent's credentials) share one pair of names. A ``<<secret:NAME>>`` placeholder (a
    document swmlc built) becomes ``{{ secret('NAME') }}`` again, under its own name and with no
    value to remember.
    """
    values: dict[str, str] = {}
    by_pair: dict[tuple[str | None, str | None], tuple[str, ...]] = {}
    uses: list[SecretUse] = []
    stem = _token(prefix)

    def name_for(base: str, suffix: str, value: str) -> str:
        name = f"{stem}_{base}_{suffix}"
        n = 2
        while name in values and values[name] != value:
            name = f"{stem}_{base}_{suffix}_{n}"
            n += 1
        values[name] = value
        return name

    def visit(value: Any, path: Path) -> Any:
        if isinstance(value, dict):
            return {k: visit(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [visit(v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(value, str) and PLACEHOLDER.search(value):
            found = tuple(dict.fromkeys(PLACEHOLDER.findall(value)))
            uses.append(SecretUse(path, found, placeholder=True))
            return PLACEHOLDER.sub(lambda m: f"{{{{ secret('{m.group(1)}') }}}}", value)
        if not isinstance(value, str) or not has_userinfo(value):
            return value
        clean, user, password = split_credentials(value)
        if user is None or "${" in value.split("@", 1)[0] or "%{" in value.split("@", 1)[0]:
            return value  # no credentials, or runtime ones the platform fills in
        pair = (user, password)
        if pair not in by_pair:
            base = _base_name(path, defn)
            names = [name_for(base, "USER", user)]
            if password is not None:
                names.append(name_for(base, "PASSWORD", password))
            by_pair[pair] = tuple(names)
        names_used = by_pair[pair]
        uses.append(SecretUse(path, names_used))
        scheme, rest = clean.split("://", 1)
        userinfo = ":".join(f"{{{{ secret('{n}') }}}}" for n in names_used)
        return f"{scheme}://{userinfo}@{rest}"

    return visit(defn, ()), values, uses


def escape_templates(value: Any) -> Any:
    """Text that Jinja would read (``{{``, ``{%``, ``{#``) is wrapped in ``{% raw %}``, so the
    compile-time templating pass gives it back unchanged."""
    if isinstance(value, dict):
        return {k: escape_templates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [escape_templates(v) for v in value]
    if isinstance(value, str) and has_template(value):
        return "{% raw %}" + value + "{% endraw %}"
    return value

"""A migrated SWML document to an agent definition: the inverse of ``compiler.pipeline.lower``.

Lowering renames ``sections`` to ``pom``, gathers the SWAIG keys under ``SWAIG``, and puts the
verbs of ``swml.before``/``after`` around ``ai``; this undoes each step, keeping every key in the
order the document has it, so that compiling the definition gives back the same ``ai`` object,
key for key. What the source format has no field for is returned as a list of problems, with the
place in the document, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compiler.core.secrets import PLACEHOLDER
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


def def_path(path: Path, ai_index: int) -> Path | None:
    """Where a place in the (migrated) document went in its definition: the inverse of
    :func:`doc_path` (None for a place the definition does not hold, such as ``version``).

    Example:
        >>> def_path(("sections", "main", 0, "play"), 1), def_path(("sections", "x", 2), 1)
        (('swml', 'before', 0, 'play'), ('swml', 'sections', 'x', 2))
    """
    if len(path) < 3 or path[0] != "sections":
        return None
    section, index, rest = path[1], path[2], path[3:]
    if section != "main":
        return ("swml", "sections", section, index, *rest)
    if not isinstance(index, int):
        return None
    if index < ai_index:
        return ("swml", "before", index, *rest)
    if index > ai_index:
        return ("swml", "after", index - ai_index - 1, *rest)
    if not rest or rest[0] != "ai":
        return None
    rest = rest[1:]
    if len(rest) >= 2 and rest[0] == "SWAIG" and rest[1] in SWAIG_SOURCE:
        return (SWAIG_SOURCE[str(rest[1])], *rest[2:])
    if rest and rest[0] in ("prompt", "post_prompt"):
        return (rest[0], *("sections" if p == "pom" else p for p in rest[1:]))
    return rest


# -- writing values as compile-time templates -----------------------------------------------------


def template_text(value: str) -> str:
    """A string of the document as the definition writes it: each ``<<secret:NAME>>`` as
    ``{{ secret('NAME') }}``, and text Jinja would read (``{{``, ``{%``, ``{#``) wrapped in
    ``{% raw %}...{% endraw %}``, so compile-time templating gives back exactly the document's
    string, with the placeholders.

    Example:
        >>> template_text("https://<<secret:U>>@h/{{x}}")
        "https://{{ secret('U') }}{% raw %}@h/{{x}}{% endraw %}"
    """
    out: list[str] = []
    last = 0
    for m in PLACEHOLDER.finditer(value):
        out += [_raw(value[last:m.start()]), f"{{{{ secret('{m.group(1)}') }}}}"]
        last = m.end()
    out.append(_raw(value[last:]))
    return "".join(out)


def _raw(text: str) -> str:
    """``text`` so that Jinja gives it back as it is. A raw block cannot hold its own end tag,
    so the text is cut at each ``{%`` (which then comes from an expression) and every piece is
    a raw block of its own: a document holding ``{% endraw %}`` comes back too.

    Example:
        >>> _raw("a {% endraw %} {{ b }}")
        "{% raw %}a {% endraw %}{{ '{%' }}{% raw %} endraw %} {{ b }}{% endraw %}"
    """
    if not has_template(text):
        return text
    pieces = text.split("{%")
    return "{{ '{%' }}".join(f"{{% raw %}}{piece}{{% endraw %}}" if piece else ""
                             for piece in pieces)


def templated(value: Any) -> Any:
    """:func:`template_text` on every string of ``value`` (keys stay as they are)."""
    if isinstance(value, dict):
        return {k: templated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [templated(v) for v in value]
    if isinstance(value, str) and ("<<secret:" in value or has_template(value)):
        return template_text(value)
    return value

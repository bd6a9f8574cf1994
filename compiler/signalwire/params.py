"""The ``ai.params`` the platform knows, and a checker for one name/value pair.

Why a catalogue of our own: the official schema leaves ``params`` open (unknown names pass), so a
typo such as ``barge_confidance`` validates and the platform silently ignores it. swmlc checks
names and values itself, and must do so without the SDK (a second to import) on the hot path.

The data lives in ``compiler/data/params.json``, generated once from the SDK's ``schema.json``
(``site-packages/signalwire/schema.json``) and committed::

    python -m compiler.signalwire.params --regenerate path/to/signalwire/schema.json

Params that SignalWire's documentation names but the schema lacks are merged in from
``DOCS_ONLY_PARAMS`` with a ``source`` saying where they come from, so that regenerating never
loses them. Checks follow the schema, not the laxer docs, because the schema is what judges every
compiled document; where the docs disagree, the spec carries a note for that kind of problem, so
the diagnostic can say why the docs seemed to allow the value.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

JSONScalar: TypeAlias = str | int | float | bool | None
Number: TypeAlias = int | float
ProblemKind = Literal["unknown", "type", "range", "enum", "stringly", "pattern"]

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "params.json"

# The schema's $defs/SWMLVar: a whole-string runtime template. The schema is ECMA-262, where `.`
# stops at a newline and `$` is the true end; fullmatch without DOTALL reproduces both.
_TEMPLATE = re.compile(r"[$%]\{.*\}")

_TYPE_ORDER = ("boolean", "integer", "number", "string", "array", "object", "null")
_ARTICLE = {"integer": "an integer", "array": "an array", "object": "an object", "null": "null"}

# A documented param missing from the schema is still a real param: without these entries
# swmlc would call it unknown and "suggest" a different name.
DOCS_ONLY_PARAMS: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "barge_confidence": {
            "types": ["number"],
            "template": True,
            "minimum": 0,
            "maximum": 1,
            "description": "How confident the ASR must be before the caller's speech interrupts "
            "the AI.",
            "source": "docs: RELAY Call.ai reference (ai_params={'barge_confidence': 0.02}); "
            "SDK set_prompt_llm_params docs",
            "note": "absent from the official schema; the SDK's llm_parameters.md says the "
            "platform accepts it but never applies it (tune barge_min_words / enable_barge)",
        },
    }
)

# Where SignalWire's params reference disagrees with the schema, by the kind of problem the
# disagreement explains. The check keeps to the schema, which judges the output.
DOC_NOTES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "acknowledge_interruptions": {
            "type": "the docs also allow a positive integer (how many interruptions to "
            "acknowledge); the official schema allows only a boolean"
        },
        "interrupt_on_noise": {
            "type": "the docs also allow a positive integer threshold; the official schema "
            "allows only a boolean"
        },
        "inactivity_timeout": {
            "range": "the docs allow 0 to disable it; the official schema's minimum is 10000"
        },
        "end_of_speech_timeout": {
            "range": "older docs allow 0-10000; the official schema's minimum is 250"
        },
    }
)

# A regex is a poor message. These say in words what the schema's pattern wants.
PATTERN_HINTS: Mapping[str, str] = MappingProxyType(
    {"hard_stop_time": "a duration like 30s, 2m or 1h45m30s"}
)


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """What the platform accepts for one ``ai.params`` entry.

    ``types`` are JSON types. ``template`` says a whole-string runtime template (``${...}`` or
    ``%{...}``) is also accepted. ``enum`` is a closed set of strings; ``known_values`` an open
    one (model names: other strings pass). ``also_allowed`` are numbers accepted outside
    ``minimum``/``maximum`` (``attention_timeout: 0`` disables the timeout). ``note`` is general
    (``barge_confidence`` has no effect); ``problem_notes`` explain one kind of problem.
    """

    name: str
    types: tuple[str, ...]
    template: bool = False
    minimum: Number | None = None
    maximum: Number | None = None
    enum: tuple[str, ...] = ()
    also_allowed: tuple[Number, ...] = ()
    known_values: tuple[str, ...] = ()
    pattern: str | None = None
    pattern_hint: str | None = None
    format: str | None = None
    default: JSONScalar = None
    deprecated: bool = False
    description: str = ""
    source: str = "schema"
    note: str | None = None
    problem_notes: tuple[tuple[str, str], ...] = ()

    def note_for(self, kind: str) -> str | None:
        """What the docs say about this kind of problem with this param, when they disagree."""
        for noted_kind, text in self.problem_notes:
            if noted_kind == kind:
                return text
        return None


@dataclass(frozen=True, slots=True)
class ParamProblem:
    """One thing wrong with a param, as data: the lint decides severity and rendering.

    ``suggestion`` is a replacement name (``unknown``) or value (``enum``); ``fix_value`` is the
    typed value a ``stringly`` string stands for, safe for ``lint --fix`` to write back. ``None``
    means no fix (no fix ever proposes JSON null).
    """

    kind: ProblemKind
    name: str
    message: str
    suggestion: str | None = None
    fix_value: bool | int | float | None = None
    minimum: Number | None = None
    maximum: Number | None = None
    expected: tuple[str, ...] = ()
    note: str | None = None


# --------------------------------------------------------------------------- loading


@cache
def load_params(path: Path = DATA_PATH) -> Mapping[str, ParamSpec]:
    """Read the catalogue once per process; a read-only view so no caller can corrupt the cache."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return MappingProxyType({name: _spec(name, entry) for name, entry in raw["params"].items()})


def _spec(name: str, entry: Mapping[str, Any]) -> ParamSpec:
    return ParamSpec(
        name=name,
        types=tuple(entry["types"]),
        template=bool(entry.get("template", False)),
        minimum=entry.get("minimum"),
        maximum=entry.get("maximum"),
        enum=tuple(entry.get("enum", ())),
        also_allowed=tuple(entry.get("also_allowed", ())),
        known_values=tuple(entry.get("known_values", ())),
        pattern=entry.get("pattern"),
        pattern_hint=entry.get("pattern_hint"),
        format=entry.get("format"),
        default=entry.get("default"),
        deprecated=bool(entry.get("deprecated", False)),
        description=entry.get("description", ""),
        source=entry.get("source", "schema"),
        note=entry.get("note"),
        problem_notes=tuple(sorted(entry.get("problem_notes", {}).items())),
    )


class _LazyParams(Mapping[str, ParamSpec]):
    """A module-level mapping that reads the JSON on first use, not at import.

    Importing this module must stay free for runs that never look at params.
    """

    __slots__ = ()

    def __getitem__(self, key: str) -> ParamSpec:
        return load_params()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(load_params())

    def __len__(self) -> int:
        return len(load_params())

    def __contains__(self, key: object) -> bool:
        return key in load_params()

    def __repr__(self) -> str:
        return f"<ai.params catalogue: {len(self)} params>"


PARAMS: Mapping[str, ParamSpec] = _LazyParams()


# --------------------------------------------------------------------------- checking


def is_template(value: object) -> bool:
    """True when ``value`` is a whole runtime template string, as the schema's SWMLVar means it."""
    return isinstance(value, str) and _TEMPLATE.fullmatch(value) is not None


def json_type(value: object) -> str:
    """The JSON type name of a loaded YAML/JSON value (bool is not a number, as in JSON)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return "array"
    return type(value).__name__


def _has_type(value: object, types: tuple[str, ...]) -> bool:
    kind = json_type(value)
    if kind in types:
        return True
    if kind == "integer" and "number" in types:
        return True
    # JSON Schema (2020-12) counts 700.0 as an integer; YAML writes it as a float.
    return (
        kind == "number" and "integer" in types and isinstance(value, float) and value.is_integer()
    )


def check_param(name: str, value: object) -> list[ParamProblem]:
    """Problems with ``params[name] = value``; empty when the platform will take it as meant.

    Example:
        >>> [p.suggestion for p in check_param("barge_confidance", 0.5)]
        ['barge_confidence']
        >>> check_param("wait_for_user", "true")[0].fix_value
        True
    """
    spec = load_params().get(name)
    if spec is None:
        return [_unknown(name)]
    template_note = None
    if is_template(value):
        if spec.template:
            return []
        template_note = "the official schema accepts no runtime template here"
    if not _has_type(value, spec.types):
        fixed = None
        if isinstance(value, str) and template_note is None:
            fixed = _unstring(value, spec.types)
        if fixed is None:
            return [_type_problem(spec, value, template_note or spec.note_for("type"))]
        stringly = ParamProblem(
            kind="stringly",
            name=name,
            message=f"'{name}' must be {_types_phrase(spec.types)}, got the string {_show(value)}",
            fix_value=fixed,
            note=f"write {json.dumps(fixed)} without quotes",
        )
        return [stringly, *_value_problems(spec, fixed, None)]
    return _value_problems(spec, value, template_note)


def check_params(params: Mapping[str, object]) -> list[ParamProblem]:
    """Every problem in one ``params`` object, in key order (the source order)."""
    return [problem for key, value in params.items() for problem in check_param(key, value)]


def _unknown(name: str) -> ParamProblem:
    import difflib  # only a typo pays for it

    names = list(load_params())
    by_lower = {n.lower(): n for n in names}
    suggestion = by_lower.get(name.lower())
    if suggestion is None:
        close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.75)
        suggestion = by_lower[close[0]] if close else None
    return ParamProblem(
        kind="unknown", name=name, message=f"unknown param '{name}'", suggestion=suggestion
    )


def _value_problems(
    spec: ParamSpec, value: object, template_note: str | None
) -> list[ParamProblem]:
    problems: list[ParamProblem] = []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        problem = _range_problem(spec, value)
        if problem is not None:
            problems.append(problem)
    elif isinstance(value, str):
        if spec.enum and value not in spec.enum:
            problems.append(_enum_problem(spec, value, template_note or spec.note_for("enum")))
        elif spec.pattern is not None and not _matches(spec.pattern, value):
            hint = spec.pattern_hint or f"match {spec.pattern}"
            problems.append(
                ParamProblem(
                    kind="pattern",
                    name=spec.name,
                    message=f"'{spec.name}' must be {hint}, got {_show(value)}",
                    note=template_note or spec.note_for("pattern"),
                )
            )
    return problems


def _range_problem(spec: ParamSpec, value: Number) -> ParamProblem | None:
    if value in spec.also_allowed:
        return None
    low, high = spec.minimum, spec.maximum
    if low is not None and value < low:
        bound = f"at least {_num(low)}"
    elif high is not None and value > high:
        bound = f"at most {_num(high)}"
    else:
        return None
    also = ", ".join(_num(v) for v in spec.also_allowed)
    note = f"{also} is also allowed" if also else spec.note_for("range")
    return ParamProblem(
        kind="range",
        name=spec.name,
        message=f"'{spec.name}' must be {bound}, got {_num(value)}",
        minimum=low,
        maximum=high,
        note=note,
    )


def _enum_problem(spec: ParamSpec, value: object, note: str | None) -> ParamProblem:
    suggestion = None
    if isinstance(value, str):
        import difflib

        lowered = {v.lower(): v for v in spec.enum}
        suggestion = lowered.get(value.lower())
        if suggestion is None:
            close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
            suggestion = lowered[close[0]] if close else None
    choices = [f"'{v}'" for v in spec.enum]
    wanted = " or ".join(choices) if len(choices) <= 2 else "one of " + ", ".join(choices)
    return ParamProblem(
        kind="enum",
        name=spec.name,
        message=f"'{spec.name}' must be {wanted}, got {_show(value)}",
        suggestion=suggestion,
        expected=spec.enum,
        note=note,
    )


def _type_problem(spec: ParamSpec, value: object, note: str | None) -> ParamProblem:
    got = f"the string {_show(value)}" if isinstance(value, str) else _show(value)
    return ParamProblem(
        kind="type",
        name=spec.name,
        message=f"'{spec.name}' must be {_types_phrase(spec.types)}, got {got}",
        note=note,
    )


_BOOL_WORDS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}
_INT = re.compile(r"[+-]?\d{1,18}")
_FLOAT = re.compile(r"[+-]?(?:\d{1,18}(?:\.\d{0,18})?|\.\d{1,18})(?:[eE][+-]?\d{1,3})?")


def _unstring(text: str, types: tuple[str, ...]) -> bool | int | float | None:
    """The typed value a quoted scalar stands for, when the param wants that type.

    YAML 1.2 (swmlc's loader) reads ``yes``/``on`` as strings, so they count as booleans
    written as strings too. Returns None when ``text`` is not such a value.
    """
    word = text.strip()
    if "boolean" in types and word.lower() in _BOOL_WORDS:
        return _BOOL_WORDS[word.lower()]
    if "integer" in types or "number" in types:
        if _INT.fullmatch(word):
            return int(word)
        if _FLOAT.fullmatch(word):
            number = float(word)
            if number.is_integer() and "integer" in types and "number" not in types:
                return int(number)
            if "number" in types:
                return number
    return None


@cache
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:  # an ECMA-only construct: better no check than a wrong one
        return None


def _matches(pattern: str, value: str) -> bool:
    compiled = _compiled(pattern)
    return compiled is None or compiled.search(value) is not None


def _types_phrase(types: tuple[str, ...]) -> str:
    return " or ".join(_ARTICLE.get(t, f"a {t}") for t in types)


def _num(value: Number) -> str:
    return repr(value)


def _show(value: object) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return "'" + text.replace("'", "\\'") + "'"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return repr(value)
    kind = json_type(value)
    return _ARTICLE.get(kind, f"a {kind}")


# --------------------------------------------------------------------------- regenerating


def regenerate(schema_path: str | os.PathLike[str]) -> dict[str, Any]:
    """Build the catalogue (the content of ``params.json``) from the official schema file.

    Deterministic: the same schema gives the same dict, whatever the machine, so the generated
    file can be reviewed as a diff when the SDK is upgraded.
    """
    import hashlib  # maintenance-only imports stay off the build's import path

    data = Path(schema_path).read_bytes()
    schema = json.loads(data)
    defs: Mapping[str, Any] = schema["$defs"]
    params: dict[str, dict[str, Any]] = {}
    for name, prop in defs["AIParams"]["properties"].items():
        params[name] = _entry(name, prop, defs)
    for name, extra in DOCS_ONLY_PARAMS.items():
        if name not in params:
            params[name] = dict(extra)
    return {
        "$comment": "Generated by `python -m compiler.signalwire.params --regenerate SCHEMA`; "
        "do not edit by hand (edit DOCS_ONLY_PARAMS / DOC_NOTES and regenerate).",
        "schema": {"id": schema.get("$id"), "sha256": hashlib.sha256(data).hexdigest()},
        "params": {name: params[name] for name in sorted(params)},
    }


def _entry(name: str, prop: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
    template = False
    typed: set[str] = set()
    consts: list[Any] = []
    minimum, maximum = prop.get("minimum"), prop.get("maximum")
    for leaf in _leaves(prop, defs):
        if leaf is None:
            template = True
        elif "const" in leaf:
            consts.append(leaf["const"])
        elif "enum" in leaf:
            consts.extend(leaf["enum"])
        elif "type" in leaf:
            kinds = leaf["type"]
            typed.update([kinds] if isinstance(kinds, str) else kinds)
            minimum = leaf.get("minimum", minimum)
            maximum = leaf.get("maximum", maximum)

    entry: dict[str, Any] = {}
    if typed:
        entry["types"] = [t for t in _TYPE_ORDER if t in typed]
    else:
        entry["types"] = [t for t in _TYPE_ORDER if any(json_type(c) == t for c in consts)]
    entry["template"] = template
    if minimum is not None:
        entry["minimum"] = minimum
    if maximum is not None:
        entry["maximum"] = maximum
    strings = [c for c in consts if isinstance(c, str)]
    numbers = [c for c in consts if isinstance(c, (int, float)) and not isinstance(c, bool)]
    if strings:
        entry["known_values" if "string" in typed else "enum"] = strings
    if numbers:
        entry["also_allowed"] = numbers
    pattern = prop.get("pattern")
    if pattern is not None:
        entry["pattern"] = pattern
        if name in PATTERN_HINTS:
            entry["pattern_hint"] = PATTERN_HINTS[name]
        if template and re.search(pattern, "${x}") is None:
            # anyOf admits SWMLVar, but the pattern beside it applies to every string.
            entry["template"] = False
            entry["note"] = (
                "the official schema's anyOf admits a runtime template, but its pattern refuses one"
            )
    if "format" in prop:
        entry["format"] = prop["format"]
    if "default" in prop:
        entry["default"] = prop["default"]
    if prop.get("deprecated"):
        entry["deprecated"] = True
    entry["description"] = _one_line(prop.get("description", ""))
    entry["source"] = "schema"
    if name in DOC_NOTES:
        entry["problem_notes"] = dict(sorted(DOC_NOTES[name].items()))
    return entry


def _leaves(node: Mapping[str, Any], defs: Mapping[str, Any]) -> Iterator[Mapping[str, Any] | None]:
    """The alternatives a property accepts; None stands for the SWMLVar template branch."""
    branches = node.get("anyOf") or node.get("oneOf")
    if branches is not None:
        for branch in branches:
            yield from _leaves(branch, defs)
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = ref.removeprefix("#/$defs/")
        if target == "SWMLVar":
            yield None
        else:
            yield from _leaves(defs[target], defs)
        return
    yield node


def _one_line(description: str) -> str:
    text = " ".join(description.split())
    text = re.split(r"\s*\*\*Default", text, maxsplit=1)[0]
    match = re.match(r"(.+?[.!?])(?:\s|$)", text)
    line = match.group(1) if match else text
    return line if len(line) <= 160 else line[:157].rstrip() + "..."


def write_catalogue(catalogue: Mapping[str, Any], path: Path = DATA_PATH) -> None:
    """Write sorted, newline-terminated JSON through a temp file, so a failed run leaves the old."""
    import tempfile

    text = json.dumps(catalogue, indent=2, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".params-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m compiler.signalwire.params --regenerate SCHEMA [--output PATH]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m compiler.signalwire.params")
    parser.add_argument(
        "--regenerate", metavar="SCHEMA", required=True, help="path of signalwire/schema.json"
    )
    parser.add_argument("--output", metavar="PATH", type=Path, default=DATA_PATH)
    args = parser.parse_args(argv)
    write_catalogue(regenerate(args.regenerate), args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())

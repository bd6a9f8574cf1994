"""The ``ai.params`` the platform knows: the catalogue, read from ``compiler/data/params.json``.

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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

JSONScalar: TypeAlias = str | int | float | bool | None
Number: TypeAlias = int | float
ProblemKind = Literal["unknown", "type", "range", "enum", "stringly", "pattern"]

#: JSON types in the order the catalogue lists them.
TYPE_ORDER = ("boolean", "integer", "number", "string", "array", "object", "null")

DATA_PATH = Path(__file__).resolve().parent.parent.parent / "data" / "params.json"

_AI_PARAMETERS_PAGE = (
    "docs: https://developer.signalwire.com/sdks/agents-sdk/building-agents/ai-parameters "
    "(AI Model parameters: temperature, top_p, max_tokens; set_params({'temperature': 0.5}))")

# A documented param missing from the schema is still a real param: without these entries
# swmlc would call it unknown and "suggest" a different name. Each names the page of
# SignalWire's reference that documents it.
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
        # The LLM knobs: the schema has them on prompt and post_prompt only, SignalWire's
        # agents-SDK AI Parameters page lists them among the params too ("AI Model:
        # temperature, top_p, max_tokens") and sets one with set_params. Ranges are the
        # schema's own for the same knobs on prompt.
        "temperature": {
            "types": ["number"],
            "template": True,
            "minimum": 0,
            "maximum": 1.5,
            "description": "Randomness of the AI's replies, 0.0 to 1.5.",
            "source": _AI_PARAMETERS_PAGE,
        },
        "top_p": {
            "types": ["number"],
            "template": True,
            "minimum": 0,
            "maximum": 1,
            "description": "Nucleus sampling, an alternative to temperature, 0.0 to 1.0.",
            "source": _AI_PARAMETERS_PAGE,
        },
        "max_tokens": {
            "types": ["integer"],
            "minimum": 0,
            "maximum": 4096,
            "description": "The most tokens the AI may generate for one reply.",
            "source": _AI_PARAMETERS_PAGE,
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


@cache  # immutable data shipped in the package: read once, like a module constant
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

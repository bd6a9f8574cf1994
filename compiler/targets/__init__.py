"""The targets: what an agent compiles to, by name, in one explicit registry.

Each target lowers the agent model (the composed, rendered, checked tree) to one document and
says what it could not carry. All start from :func:`compiler.targets.swml.lower_ai`, so they
cannot drift apart: ``swml`` is the SWML document, ``relay`` the ``call.ai()`` keyword arguments,
``bedrock`` the SWML document with ``amazon_bedrock``. To add one: a module here with its lower
function, and an entry in :data:`TARGETS` (ARCHITECTURE.md has the recipe).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Map
from compiler.targets.swml import lower_swml

Lower = Callable[[Map], tuple[Map, list[Diagnostic]]]


def _swml(tree: Map) -> tuple[Map, list[Diagnostic]]:
    return lower_swml(tree), []


# The relay and bedrock targets load when a build asks for them: most projects build SWML
# only, and the relay target brings the RELAY signature tables (~5 ms of a one-agent build).
def _relay(tree: Map) -> tuple[Map, list[Diagnostic]]:
    from compiler.targets.relay import lower_relay_target

    return lower_relay_target(tree)


def _relay_as_swml(doc: Map) -> Map:
    from compiler.targets.relay import relay_as_swml

    return relay_as_swml(doc)


def _bedrock(tree: Map) -> tuple[Map, list[Diagnostic]]:
    from compiler.targets.bedrock import lower_bedrock

    return lower_bedrock(tree)


def _same(doc: Map) -> Map:
    return doc


@dataclass(frozen=True)
class Target:
    """One output of an agent: how it is lowered, named and judged.

    ``suffix`` ends the output's name before its format's extension; ``json_only`` targets are
    written as JSON whatever ``--format`` says; ``as_swml`` is the SWML document the official
    schema judges for it; ``same_ai_as`` names a target holding the very same ``ai`` verb, whose
    check says everything this one's would (said once, not twice).
    """

    name: str
    lower: Lower
    suffix: str
    json_only: bool = False
    as_swml: Callable[[Map], Map] = _same
    same_ai_as: str | None = None
    notes: tuple[str, ...] = ()


#: Every target, in the order their documents are made and listed.
TARGETS: dict[str, Target] = {t.name: t for t in (
    Target("swml", _swml, ".swml"),
    Target("relay", _relay, ".relay", json_only=True, as_swml=_relay_as_swml,
           same_ai_as="swml",
           notes=("checked as the ai verb that call.ai() sends for the relay target",)),
    Target("bedrock", _bedrock, ".bedrock.swml"),
)}


def lower_targets(tree: Map, wanted: Sequence[str]) -> tuple[dict[str, Map], list[Diagnostic]]:
    """One document per wanted target, in registry order, and what each could not carry."""
    documents: dict[str, Map] = {}
    said: list[Diagnostic] = []
    for target in TARGETS.values():
        if target.name in wanted:
            documents[target.name], more = target.lower(tree)
            said += more
    return documents, said


def output_name(agent: str, target: str, fmt: str) -> str:
    """``support.swml.json``, ``support.relay.json``, ``support.bedrock.swml.yaml``."""
    spec = TARGETS[target]
    return f"{agent}{spec.suffix}.{'json' if spec.json_only else fmt}"


def parse_output_name(name: str) -> tuple[str, str, str] | None:
    """``(agent, target, format)`` of a name :func:`output_name` makes, None for any other
    (the longest suffix wins: ``x.bedrock.swml.json`` is bedrock, not swml)."""
    stem, dot, fmt = name.rpartition(".")
    if not dot or fmt not in ("json", "yaml"):
        return None
    for spec in sorted(TARGETS.values(), key=lambda t: -len(t.suffix)):
        if stem.endswith(spec.suffix) and len(stem) > len(spec.suffix) and (
                fmt == "json" or not spec.json_only):
            return stem[: -len(spec.suffix)], spec.name, fmt
    return None

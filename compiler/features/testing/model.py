"""Test files (``*.test.yaml``) read into typed cases, every value keeping its file:line:col so
a failed expectation is reported at the line that states it.

The format is ``schemas/agent-test.schema.json`` (docs/testing.md). It names fixtures of the
HTTP fixture format (``schemas/http-fixtures.schema.json``), which the published schema
references; swmlc checks both as one schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Map, Seq, Span
from compiler.features.fixtures import SCHEMA as FIXTURE_SCHEMA
from compiler.features.fixtures import Fixtures, fixtures_from, load_fixtures, status_help
from compiler.source.files import SourceFiles
from compiler.source.paths import resolve_path
from compiler.source.schema import BUNDLED, JsonSchema

__all__ = ["Case", "TestFile", "Turn", "load_test_file"]

SCHEMA = "agent-test.schema.json"
SUFFIX = ".test.yaml"
_KINDS = {k: codes.TEST_FILE for k in ("unknown", "type", "missing", "value")}
_PREFIX = FIXTURE_SCHEMA + "#/$defs/"


@dataclass(frozen=True)
class Turn:
    """One turn: the model calls ``function``, moves to ``step`` or ``context``, or does
    nothing (only ``expect`` is checked). ``node`` is the turn's mapping, with spans."""

    node: Map
    function: str | None = None
    args: Any = None
    step: str | None = None
    context: str | None = None
    expect: Map | None = None


@dataclass(frozen=True)
class Case:
    name: str
    node: Map
    turns: tuple[Turn, ...]
    conversation: bool
    fixtures: Fixtures
    call: dict[str, Any]
    global_data: dict[str, Any]
    prompt_vars: dict[str, Any]
    now: datetime | None
    skip: str | None = None
    start: Map | None = None


@dataclass
class TestFile:
    path: str
    node: Map
    agents: tuple[str, ...]
    cases: list[Case] = field(default_factory=list)


def _schema() -> JsonSchema:
    """The test-file schema with the fixture schema's definitions folded in (editors follow
    the relative reference; swmlc's validators get one self-contained schema)."""
    tests = json.loads((BUNDLED / SCHEMA).read_text(encoding="utf-8"))
    fixtures = json.loads((BUNDLED / FIXTURE_SCHEMA).read_text(encoding="utf-8"))

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: rewrite(v) for k, v in node.items()}
            ref = out.get("$ref")
            if isinstance(ref, str) and ref.startswith(_PREFIX):
                out["$ref"] = "#/$defs/http_" + ref[len(_PREFIX):]
            return out
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    own = {f"http_{k}": _local(v) for k, v in fixtures["$defs"].items()}
    combined = rewrite(tests)
    combined["$defs"].update(own)
    return JsonSchema(combined, BUNDLED / SCHEMA)


def _local(node: Any) -> Any:
    """A fixture-schema definition, its own ``#/$defs/x`` references renamed ``http_x``."""
    if isinstance(node, dict):
        out = {k: _local(v) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = "#/$defs/http_" + ref[len("#/$defs/"):]
        return out
    if isinstance(node, list):
        return [_local(v) for v in node]
    return node


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [] if value is None else [value]


def _fixtures(node: Map, rel: str, files: SourceFiles) -> tuple[Fixtures, list[Diagnostic]]:
    """The fixtures a file or case names: files (relative to the test file) and inline ones."""
    found, said = Fixtures(), []
    raw = node.get("fixtures")
    items = raw if isinstance(raw, Seq) else None
    for index, item in enumerate(_listed(raw)):
        site = items.item_span(index) if items is not None else node.value_span("fixtures")
        if isinstance(item, str):
            target = resolve_path(files.root, rel, item, site)
            if isinstance(target, Diagnostic):
                said.append(codes.TEST_FILE.at(site, target.message, help=target.help))
                continue
            more, problems = load_fixtures(files.root, target, site, files)
        else:
            more, problems = fixtures_from([(item, site)], rel)
        found += more
        said += problems
    return found, said


def _now(node: Map) -> tuple[datetime | None, list[Diagnostic]]:
    text = node.get("now")
    if text is None:
        return None, []
    try:
        value = datetime.fromisoformat(str(text))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        return None, [codes.TEST_FILE.at(node.value_span("now"),
                                         f"'{text}' is not a date-time with its offset",
                                         help="write it as 2025-01-15T09:30:00-08:00")]
    return value, []


def _turn(node: Map) -> Turn:
    return Turn(node, node.get("function"), node.get("args", {}), node.get("step"),
                node.get("context"), node.get("expect"))


def _case(node: Map, defaults: Map, rel: str, files: SourceFiles, base: Fixtures
          ) -> tuple[Case, list[Diagnostic]]:
    said: list[Diagnostic] = []
    own, problems = _fixtures(node, rel, files)
    said += problems
    now, problems = _now(node) if "now" in node else _now(defaults)
    said += problems
    conversation = "turns" in node
    if conversation and "function" in node:
        said.append(codes.TEST_FILE.at(node.key_span("function"),
                                       "a case has turns or a function, not both",
                                       help="make the call one of the turns"))
    turns = tuple(_turn(t) for t in node["turns"]) if conversation else (_turn(node),)
    for turn in turns:
        moves = [k for k in ("function", "step", "context") if k in turn.node]
        if len(moves) > 1:
            said.append(codes.TEST_FILE.at(turn.node.key_span(moves[1]),
                                           f"a turn does one thing: {' and '.join(moves)} given",
                                           help="split it into turns, in the order they happen"))
    skip = node.get("skip")
    return Case(
        name=str(node["name"]), node=node, turns=turns, conversation=conversation,
        fixtures=own + base, call={**defaults.get("call", {}), **node.get("call", {})},
        global_data={**defaults.get("global_data", {}), **node.get("global_data", {})},
        prompt_vars={**defaults.get("prompt_vars", {}), **node.get("prompt_vars", {})},
        now=now, skip=(skip if isinstance(skip, str) else "skipped") if skip else None,
        start=node.get("start"),
    ), said


def load_test_file(rel: str, files: SourceFiles) -> tuple[TestFile | None, list[Diagnostic]]:
    """Read and check one test file; None when it cannot be run at all."""
    loaded = files.load(rel)
    if loaded.diagnostics:
        return None, list(loaded.diagnostics)
    tree = loaded.value
    if not isinstance(tree, Map):
        return None, [codes.TEST_FILE.at(Span(rel, 1, 1, 1, 1), f"{rel} is not a test file",
                                         help="a test file is a mapping with agent and cases")]
    said = _schema().problems(tree, _KINDS, "a test file")
    if said:
        return None, status_help(said, tree)
    base, said = _fixtures(tree, rel, files)
    agents = tuple(str(a) for a in _listed(tree["agent"]))
    out = TestFile(rel, tree, agents)
    for node in tree["cases"]:
        case, problems = _case(node, tree, rel, files, base)
        out.cases.append(case)
        said += problems
    return (None, said) if said else (out, [])

"""The bedrock target: build/<agent>.bedrock.swml.json runs ``amazon_bedrock``, passes the official
schema, and every field of the agent that the verb cannot take is a diagnostic at its source
line (SWC601): nothing is dropped in silence."""

from __future__ import annotations

import json
from typing import Any

import pytest

from compiler.core.tree import to_plain, walk
from compiler.targets import bedrock
from tests.conftest import assert_official


def verb_of(doc: Any, name: str) -> Any:
    return next(v[name] for v in doc["sections"]["main"] if name in v)


def test_every_bundled_agent_has_a_bedrock_document_that_passes(all_targets: Any,
                                                                judge: Any) -> None:
    names = sorted(n for n in all_targets.files if n.endswith(".bedrock.swml.json"))
    assert [n[: -len(".bedrock.swml.json")] for n in names] == sorted(
        u.name for u in all_targets.units)
    for name in names:
        doc = json.loads(all_targets.files[name])
        assert verb_of(doc, "amazon_bedrock")["prompt"]
        assert_official(judge, doc, name)


def _missing(full: Any, kept: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The outermost places ``full`` has and ``kept`` lacks."""
    if isinstance(full, dict):
        out: list[tuple[Any, ...]] = []
        for k, v in full.items():
            if not isinstance(kept, dict) or k not in kept:
                out.append((*path, k))
            else:
                out += _missing(v, kept[k], (*path, k))
        return out
    if isinstance(full, list) and isinstance(kept, list):
        return [p for i, (a, b) in enumerate(zip(full, kept, strict=True))
                for p in _missing(a, b, (*path, i))]
    return []


def test_each_field_left_out_is_reported(all_targets: Any, tmp_path: Any) -> None:
    """Compare each bundled agent's ai verb with its bedrock verb: exactly one SWC601 per field
    left out, each at a real source line."""
    for unit in all_targets.units:
        lowered, diagnostics = bedrock.lower_bedrock(unit.tree)
        doc = to_plain(lowered)
        ai = verb_of(to_plain(unit.documents["swml"]), "ai")
        missing = _missing(ai, verb_of(doc, "amazon_bedrock"))
        said = [d for d in diagnostics if d.code == "SWC601"]
        assert len(said) == len(missing), (unit.name, missing, [d.message for d in said])
        assert all(d.span.line > 0 for d in said)
        for path in missing:  # all of them are fields the tables say Bedrock lacks
            assert path[-1] not in (*bedrock.BEDROCK_AI, *bedrock.BEDROCK_PROMPT,
                                    *bedrock.BEDROCK_FUNCTION) or len(path) == 1, path


def test_dropped_fields_are_warnings_at_their_keys(compile_agent: Any) -> None:
    result = compile_agent(
        "prompt:\n  text: Hi\n  contexts:\n    default:\n      steps: [{name: a, text: b}]\n"
        "hints: [Acme]\n"
        "languages: [{name: English, code: en-US, voice: rime.spore}]\n"
        "pronounce: [{replace: GIF, with: jif}]\n"
        "functions:\n  - function: f\n    description: d\n    fillers: {en-US: [One moment]}\n"
        "internal_fillers: {check_time: {en-US: [Let me see]}}\n",
        targets=("bedrock",))
    assert result.ok
    said = sorted((d.span.line, d.span.col, d.severity.label, d.message)
                  for d in result.diagnostics if d.code == "SWC601")
    assert [(line, col, sev) for line, col, sev, _ in said] == [
        (3, 3, "warning"), (6, 1, "warning"), (7, 1, "warning"), (8, 1, "warning"),
        (12, 5, "warning"), (13, 1, "warning")]
    assert "'contexts' in prompt" in said[0][3]
    assert "'fillers' in function 'f'" in said[4][3]
    bedrock = verb_of(json.loads(result.files["agent.bedrock.swml.json"]), "amazon_bedrock")
    assert bedrock == {"prompt": {"text": "Hi"},
                       "SWAIG": {"functions": [{"function": "f", "description": "d"}]}}


def test_ignore_comment_and_rules_silence_or_raise_it(compile_agent: Any) -> None:
    text = "prompt: {text: Hi}\nhints: [Acme]  # swmlc: ignore[SWC601]\npronounce: []\n"
    result = compile_agent(text, targets=("bedrock",))
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("SWC601", 3)]
    result = compile_agent(text, targets=("bedrock",), config="rules: {SWC601: off}\n")
    assert [d.code for d in result.diagnostics] == []
    result = compile_agent(text, targets=("bedrock",), config="rules: {SWC601: error}\n")
    assert [(d.code, d.severity.label) for d in result.diagnostics] == [("SWC601", "error")]
    assert not result.ok


def test_undocumented_params_are_kept_and_noted(compile_agent: Any) -> None:
    result = compile_agent(
        "prompt: {text: Hi}\nparams:\n  attention_timeout: 20000\n  barge_confidence: 0.5\n",
        targets=("bedrock",))
    assert [(d.code, d.severity.label, d.span.line) for d in result.diagnostics] == [
        ("SWC602", "info", 4)]
    bedrock = verb_of(json.loads(result.files["agent.bedrock.swml.json"]), "amazon_bedrock")
    assert bedrock["params"] == {"attention_timeout": 20000, "barge_confidence": 0.5}


def test_bedrock_keeps_the_verbs_around_it(compile_agent: Any) -> None:
    result = compile_agent("prompt: {text: Hi}\nswml:\n  after: [{hangup: {}}]\n",
                           targets=("bedrock",))
    doc = json.loads(result.files["agent.bedrock.swml.json"])
    assert doc["sections"]["main"] == [{"answer": {}}, {"amazon_bedrock": {"prompt": {
        "text": "Hi"}}}, {"hangup": {}}]


@pytest.fixture(scope="module")
def defs() -> Any:
    from tests.conftest import official_validator

    return official_validator().schema["$defs"]


def _props(defs: Any, name: str) -> set[str]:
    sub = defs[name]
    names = set(sub.get("properties", {}))
    for branch in (*sub.get("anyOf", []), *sub.get("oneOf", [])):
        names |= _props(defs, branch["$ref"].split("/")[-1])
    return names


def test_the_bedrock_tables_match_the_official_schema(defs: Any) -> None:
    """swmlc's lists of what amazon_bedrock takes are the schema's own, minus voice_id (which
    has no source field yet)."""
    assert set(bedrock.BEDROCK_AI) == _props(defs, "AmazonBedrockObject")
    assert set(bedrock.BEDROCK_PROMPT) | {"voice_id"} == _props(defs, "BedrockPrompt")
    assert set(bedrock.BEDROCK_PROMPT) >= _props(defs, "BedrockPostPrompt")
    assert set(bedrock.BEDROCK_SWAIG) == _props(defs, "BedrockSWAIG")
    assert set(bedrock.BEDROCK_FUNCTION) == _props(defs, "BedrockSWAIGFunction")
    assert set(bedrock.BEDROCK_PARAMS) == _props(defs, "BedrockParams")


def test_the_ai_verb_has_everything_bedrock_lacks(defs: Any) -> None:
    """The reverse direction: what SWC601 can fire on exists in the ai verb."""
    assert _props(defs, "AIObject") - set(bedrock.BEDROCK_AI) >= {
        "hints", "languages", "pronounce"}
    assert "contexts" in _props(defs, "AIPrompt") - set(bedrock.BEDROCK_PROMPT)
    assert "internal_fillers" in _props(defs, "SWAIG") - set(bedrock.BEDROCK_SWAIG)


def test_walk_of_a_bedrock_document_has_no_ai_verb(all_targets: Any) -> None:
    for unit in all_targets.units:
        assert not any(path[-1:] == ("ai",) for path, _ in walk(to_plain(
            unit.documents["bedrock"])) if len(path) == 4), unit.name

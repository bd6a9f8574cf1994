"""compiler.signalwire.params: the ai.params catalogue and check_param."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.signalwire import params
from compiler.signalwire.params import (
    DATA_PATH,
    DOCS_ONLY_PARAMS,
    PARAMS,
    ParamProblem,
    check_param,
    check_params,
    is_template,
    json_type,
)
from compiler.signalwire.params.regenerate import main as regenerate_main
from compiler.signalwire.params.regenerate import regenerate

REPO = Path(__file__).resolve().parents[3]
REAL_CORPUS = REPO.parent / "shared" / "corpus" / "real"


def _schema_path() -> Path | None:
    spec = importlib.util.find_spec("signalwire")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / "schema.json"
        if candidate.is_file():
            return candidate
    return None


SCHEMA = _schema_path()
needs_schema = pytest.mark.skipif(SCHEMA is None, reason="signalwire-sdk is not installed")


def only(problems: list[ParamProblem]) -> ParamProblem:
    assert len(problems) == 1, problems
    return problems[0]


# --------------------------------------------------------------------------- the catalogue


@needs_schema
def test_committed_catalogue_is_what_the_schema_generates() -> None:
    assert SCHEMA is not None
    on_disk = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    assert regenerate(SCHEMA) == on_disk


@needs_schema
def test_every_schema_param_is_known_plus_the_documented_extras() -> None:
    assert SCHEMA is not None
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    names = set(schema["$defs"]["AIParams"]["properties"])
    assert len(names) == 92
    assert names <= set(PARAMS)
    assert set(PARAMS) - names == set(DOCS_ONLY_PARAMS) == {
        "barge_confidence", "temperature", "top_p", "max_tokens"}
    assert len(PARAMS) == 96


def test_each_documented_extra_cites_signalwire_s_reference() -> None:
    """A param the schema lacks is in the table only because a page of SignalWire's reference
    documents it; its entry says which."""
    for name in DOCS_ONLY_PARAMS:
        assert PARAMS[name].source.startswith("docs:"), name
    for name in ("temperature", "top_p", "max_tokens"):
        assert "https://developer.signalwire.com/sdks/agents-sdk/building-agents/ai-parameters" \
            in PARAMS[name].source


def test_documented_param_missing_from_the_schema_says_where_it_comes_from() -> None:
    spec = PARAMS["barge_confidence"]
    assert spec.source.startswith("docs:")
    assert spec.types == ("number",)
    assert (spec.minimum, spec.maximum) == (0, 1)
    assert spec.note is not None and "never applies" in spec.note


def test_attention_timeout_range_with_zero_as_the_exception() -> None:
    spec = PARAMS["attention_timeout"]
    assert spec.types == ("integer",)
    assert spec.template is True
    assert (spec.minimum, spec.maximum) == (10000, 600000)
    assert spec.also_allowed == (0,)


def test_specs_carry_types_ranges_enums_and_defaults() -> None:
    assert PARAMS["end_of_speech_timeout"].minimum == 250
    assert PARAMS["end_of_speech_timeout"].maximum == 10000
    assert PARAMS["end_of_speech_timeout"].default == 700
    assert PARAMS["ai_volume"].minimum == -50
    assert PARAMS["energy_level"].types == ("number",)
    assert PARAMS["debug"].types == ("boolean", "integer")
    assert PARAMS["background_file_loops"].types == ("integer", "null")
    assert PARAMS["swaig_post_swml_vars"].types == ("boolean", "array")
    assert PARAMS["tts_number_format"].enum == ("international", "national")
    assert PARAMS["tts_number_format"].template is False
    assert PARAMS["direction"].enum == ("inbound", "outbound")
    assert PARAMS["direction"].template is True
    assert PARAMS["summary_mode"].enum == ("string", "original")
    assert PARAMS["ai_model"].enum == ()
    assert PARAMS["ai_model"].known_values == ("gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1-nano")
    assert PARAMS["ai_model"].default == "gpt-4o-mini"
    assert PARAMS["eleven_labs_stability"].deprecated is True
    assert PARAMS["hold_music"].format == "uri"
    assert PARAMS["wait_for_user"].description.startswith("When false, AI agent will")
    assert all("\n" not in spec.description for spec in PARAMS.values())


def test_hard_stop_time_pattern_refuses_templates_despite_the_anyof() -> None:
    spec = PARAMS["hard_stop_time"]
    assert spec.pattern == r"^(?:\d+h)?(?:\d+m)?(?:\d+s)?$"
    assert spec.template is False
    assert spec.note is not None


def test_params_mapping_is_lazy_and_read_only() -> None:
    assert "barge_confidence" in PARAMS
    assert "nope" not in PARAMS
    assert sorted(PARAMS)[0] == "acknowledge_interruptions"
    with pytest.raises(TypeError):
        params.load_params()["x"] = PARAMS["debug"]  # type: ignore[index]


def test_import_does_not_read_the_catalogue_or_import_heavy_modules() -> None:
    code = (
        "import sys, compiler.signalwire.params as p, compiler.signalwire.runtime_refs, "
        "compiler.signalwire.native\n"
        "assert p.load_params.cache_info().currsize == 0\n"
        "heavy = {'yaml', 'jsonschema', 'jinja2', 'signalwire', 'difflib'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


def test_regenerate_cli_writes_the_same_catalogue(tmp_path: Path) -> None:
    if SCHEMA is None:
        pytest.skip("signalwire-sdk is not installed")
    out = tmp_path / "params.json"
    assert regenerate_main(["--regenerate", str(SCHEMA), "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert json.loads(text) == regenerate(SCHEMA)
    assert text == DATA_PATH.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- check_param


def test_unknown_param_suggests_the_close_name() -> None:
    problem = only(check_param("barge_confidance", 0.5))
    assert problem.kind == "unknown"
    assert problem.message == "unknown param 'barge_confidance'"
    assert problem.suggestion == "barge_confidence"


def test_unknown_param_suggests_a_schema_name() -> None:
    problem = only(check_param("end_of_speach_timeout", 700))
    assert problem.suggestion == "end_of_speech_timeout"
    assert only(check_param("AI_Model", "x")).suggestion == "ai_model"


def test_unknown_param_without_a_close_name() -> None:
    problem = only(check_param("temperature_custom_unknown_key", 1))
    assert problem.kind == "unknown"
    assert problem.suggestion is None


def test_valid_values_pass() -> None:
    assert check_param("end_of_speech_timeout", 700) == []
    assert check_param("barge_confidence", 0.02) == []
    assert check_param("wait_for_user", True) == []
    assert check_param("attention_timeout", 0) == []
    assert check_param("attention_timeout", 30000) == []
    assert check_param("ai_model", "some-future-model") == []
    assert check_param("enable_barge", "complete,partial") == []
    assert check_param("enable_barge", False) == []
    assert check_param("background_file_loops", None) == []
    assert check_param("swaig_post_swml_vars", ["a", "b"]) == []
    assert check_param("hard_stop_time", "1h45m30s") == []
    assert check_param("debug", 2) == []


def test_integer_params_take_whole_floats_as_json_schema_does() -> None:
    assert check_param("barge_min_words", 3.0) == []
    problem = only(check_param("barge_min_words", 2.5))
    assert problem.kind == "type"
    assert problem.message == "'barge_min_words' must be an integer, got 2.5"


def test_stringly_boolean_has_a_typed_fix() -> None:
    problem = only(check_param("wait_for_user", "true"))
    assert problem.kind == "stringly"
    assert problem.message == "'wait_for_user' must be a boolean, got the string 'true'"
    assert problem.fix_value is True
    assert only(check_param("audible_debug", "False")).fix_value is False
    # YAML 1.2 reads an unquoted `yes` as a string.
    assert only(check_param("transparent_barge", "yes")).fix_value is True


def test_stringly_numbers_have_typed_fixes() -> None:
    problem = only(check_param("barge_confidence", "0.5"))
    assert problem.kind == "stringly"
    assert problem.fix_value == 0.5
    problem = only(check_param("end_of_speech_timeout", "700"))
    assert problem.message == "'end_of_speech_timeout' must be an integer, got the string '700'"
    assert problem.fix_value == 700
    assert isinstance(problem.fix_value, int)
    assert only(check_param("debug", "1")).fix_value == 1


def test_stringly_value_out_of_range_reports_both() -> None:
    stringly, out_of_range = check_param("attention_timeout", "5000")
    assert stringly.kind == "stringly"
    assert stringly.fix_value == 5000
    assert out_of_range.kind == "range"
    assert out_of_range.message == "'attention_timeout' must be at least 10000, got 5000"


def test_a_string_where_string_is_allowed_is_not_stringly() -> None:
    assert check_param("enable_barge", "true") == []


def test_range_below_minimum() -> None:
    problem = only(check_param("attention_timeout", 5000))
    assert problem.kind == "range"
    assert problem.message == "'attention_timeout' must be at least 10000, got 5000"
    assert (problem.minimum, problem.maximum) == (10000, 600000)
    assert problem.note == "0 is also allowed"


def test_range_above_maximum() -> None:
    problem = only(check_param("ai_volume", 80))
    assert problem.message == "'ai_volume' must be at most 50, got 80"
    assert (problem.minimum, problem.maximum) == (-50, 50)
    assert only(check_param("barge_confidence", 1.5)).kind == "range"


def test_range_note_explains_where_the_docs_disagree() -> None:
    problem = only(check_param("inactivity_timeout", 0))
    assert problem.kind == "range"
    assert problem.note is not None and "docs allow 0" in problem.note


def test_enum_with_suggestion() -> None:
    problem = only(check_param("tts_number_format", "National"))
    assert problem.kind == "enum"
    assert problem.message == (
        "'tts_number_format' must be 'international' or 'national', got 'National'"
    )
    assert problem.suggestion == "national"
    assert problem.expected == ("international", "national")
    assert only(check_param("summary_mode", "orig")).suggestion == "original"
    assert only(check_param("direction", "inbond")).suggestion == "inbound"


def test_template_accepted_where_the_schema_allows_swmlvar() -> None:
    assert check_param("end_of_speech_timeout", "${global_data.eos}") == []
    assert check_param("wait_for_user", "%{global_data.wait}") == []
    assert check_param("direction", "${call_direction}") == []
    assert check_param("ai_volume", "${a} and ${b}") == []  # the schema's SWMLVar is greedy


def test_template_refused_where_the_schema_has_no_swmlvar() -> None:
    problem = only(check_param("pom_format", "${global_data.fmt}"))
    assert problem.kind == "enum"
    assert problem.note == "the official schema accepts no runtime template here"
    problem = only(check_param("hard_stop_time", "${global_data.limit}"))
    assert problem.kind == "pattern"
    assert problem.message.startswith("'hard_stop_time' must be a duration like 30s")


def test_partial_template_is_not_a_template() -> None:
    problem = only(check_param("end_of_speech_timeout", "${global_data.eos}ms"))
    assert problem.kind == "type"


def test_wrong_types() -> None:
    assert only(check_param("wait_for_user", 1)).message == (
        "'wait_for_user' must be a boolean, got 1"
    )
    assert only(check_param("energy_level", True)).message == (
        "'energy_level' must be a number, got true"
    )
    assert only(check_param("debug", {"a": 1})).message == (
        "'debug' must be a boolean or an integer, got an object"
    )
    assert only(check_param("ai_name", None)).message == "'ai_name' must be a string, got null"
    assert only(check_param("wait_for_user", "maybe")).kind == "type"


def test_type_note_explains_where_the_docs_disagree() -> None:
    problem = only(check_param("acknowledge_interruptions", 3))
    assert problem.kind == "type"
    assert problem.note is not None and "positive integer" in problem.note


def test_check_params_keeps_source_order() -> None:
    problems = check_params({"barge_confidance": 0.1, "wait_for_user": "true", "ai_volume": 5})
    assert [(p.name, p.kind) for p in problems] == [
        ("barge_confidance", "unknown"),
        ("wait_for_user", "stringly"),
    ]


def test_helpers() -> None:
    assert is_template("${x}") and is_template("%{a.b}")
    assert not is_template("${x}\n") and not is_template("x ${y}") and not is_template(5)
    values: tuple[object, ...] = (None, True, 1, 1.5, "s", [], {})
    assert [json_type(v) for v in values] == [
        "null",
        "boolean",
        "integer",
        "number",
        "string",
        "array",
        "object",
    ]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from([*sorted(PARAMS), "barge_confidance", "x"]), value=_json)
def test_check_param_never_raises(name: str, value: Any) -> None:
    for problem in check_param(name, value):
        assert problem.name == name
        assert problem.message


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="shared corpus is absent")
def test_real_documents_params_check_without_error() -> None:
    seen = 0

    def walk(node: Any) -> None:
        nonlocal seen
        if isinstance(node, dict):
            ai = node.get("ai")
            if isinstance(ai, dict) and isinstance(ai.get("params"), dict):
                seen += 1
                check_params(ai["params"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for path in sorted(REAL_CORPUS.glob("*.json")):
        try:
            walk(json.loads(path.read_text(encoding="utf-8")))
        except ValueError:
            continue
    assert seen > 0

"""compiler.signalwire.native: constants checked against the official schema."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from compiler.signalwire import native


def _schema() -> dict[str, Any]:
    spec = importlib.util.find_spec("signalwire")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("signalwire-sdk is not installed")
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / "schema.json"
        if candidate.is_file():
            loaded: dict[str, Any] = json.loads(candidate.read_text(encoding="utf-8"))
            return loaded
    pytest.skip("signalwire/schema.json not found")


def test_native_functions_match_the_schema_enum() -> None:
    defs = _schema()["$defs"]
    assert list(native.NATIVE_FUNCTIONS) == defs["SWAIGNativeFunction"]["enum"]


def test_internal_filler_names_match_the_schema() -> None:
    defs = _schema()["$defs"]
    assert list(native.INTERNAL_FILLER_NAMES) == list(defs["SWAIGInternalFiller"]["properties"])


def test_filler_language_keys_match_the_schema() -> None:
    defs = _schema()["$defs"]
    keys = {key for branch in defs["FunctionFillers"]["oneOf"] for key in branch["properties"]}
    assert keys == native.FILLER_LANGUAGE_KEYS
    assert "default" in native.FILLER_LANGUAGE_KEYS
    assert len(native.FILLER_LANGUAGE_KEYS) == 55


def test_args_is_empty_in_a_webhook_response_and_input_args_is_the_fix() -> None:
    scope = native.SCOPE_OF["webhooks.output"]
    assert scope is native.WEBHOOK_RESPONSE
    assert scope.reads_nothing("args")
    assert scope.fix_for("args") == "input.args"
    assert scope.fix_for("call_id") == "input.call_id"
    assert scope.fix_for("time_of_day") == "prompt_vars.time_of_day"
    assert scope.fix_for("response") == ""
    assert {"input", "global_data", "prompt_vars", "array"} <= scope.roots
    assert not scope.reads_nothing("global_data")


def test_call_data_scope() -> None:
    scope = native.SCOPE_OF["webhooks.url"]
    assert scope is native.CALL_DATA
    assert {"args", "global_data", "meta_data", "call_id", "caller_id_num"} <= scope.roots
    assert scope.reads_nothing("input")
    assert scope.reads_nothing("prompt_vars")
    assert native.SCOPE_OF["expressions"] is native.CALL_DATA
    output = native.SCOPE_OF["output"]
    assert "prompt_vars" in output.roots and not output.reads_nothing("prompt_vars")
    assert {"this"} == native.FOREACH_APPEND_ROOTS
    for place in ("webhooks.foreach", "webhooks.expressions", "webhooks.output"):
        assert native.SCOPE_OF[place].name == "webhook_response"

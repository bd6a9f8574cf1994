"""The strict JSON reader: RFC 8259 and nothing more, a span on every key, value and item, and
every fault at its file:line:col in swmlc's own words."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.core.tree import Map, Seq, to_plain
from compiler.source.json_reader import MAX_NUMBER_CHARS, read_json
from compiler.source.yaml_reader import MAX_DEPTH


def fault(text: str) -> tuple[str, int, int, str]:
    result = read_json(text, "d.json")
    assert result.value is None
    [d] = result.diagnostics
    return d.code, d.span.line, d.span.col, d.message


def test_every_key_value_and_item_has_its_span() -> None:
    text = '{\n  "a": [1, "two", {"b": null}],\n  "c": {"d": -2.5e3}\n}\n'
    doc = read_json(text, "d.json").value
    assert isinstance(doc, Map) and to_plain(doc) == json.loads(text)
    assert str(doc.span) == "d.json:1:1" and (doc.span.end_line, doc.span.end_col) == (4, 2)
    assert str(doc.key_span("a")) == "d.json:2:3"
    assert str(doc.value_span("a")) == "d.json:2:8"
    items = doc["a"]
    assert isinstance(items, Seq)
    assert [str(items.item_span(i)) for i in range(3)] == ["d.json:2:9", "d.json:2:12",
                                                           "d.json:2:19"]
    assert (items.item_span(1).end_line, items.item_span(1).end_col) == (2, 17)
    assert str(doc["c"].value_span("d")) == "d.json:3:14"


def test_positions_count_characters_and_every_line_break() -> None:
    doc = read_json('{\r\n "é": [\r\n  "ü", 1]}', "d.json").value
    assert str(doc.key_span("é")) == "d.json:2:2"
    assert str(doc["é"].item_span(1)) == "d.json:3:8"


def test_a_byte_order_mark_is_not_a_fault() -> None:
    assert read_json('\ufeff{"a": 1}', "d.json").value == {"a": 1}


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param('{"a": NaN}', ("SWC008", 1, 7, "NaN is not JSON (Python's json module writes "
                                                "it, the RFC has no such value)"), id="nan"),
    pytest.param('[1, -Infinity]', ("SWC008", 1, 5, "Infinity is not JSON (the RFC has no "
                                                    "such value)"), id="infinity"),
    pytest.param('{"a": "one\ntwo"}', ("SWC008", 1, 11, "a raw line break inside a string: "
                                                        "JSON needs it escaped"), id="newline"),
    pytest.param('["a\tb"]', ("SWC008", 1, 4, "a raw tab inside a string: JSON needs it "
                                              "escaped"), id="tab"),
    pytest.param('["a\x01"]', ("SWC008", 1, 4, "the control character U+0001 inside a "
                                               "string: JSON needs it escaped"), id="ctl"),
    pytest.param('{"a": 1,}', ("SWC008", 1, 8, "a ',' just before '}': JSON allows no "
                                               "trailing comma"), id="trailing-comma"),
    pytest.param('{\n  "a": [1, 2\n', ("SWC008", 2, 8, "this '[' is never closed"),
                 id="unclosed-array-at-its-opener"),
    pytest.param('{"a": 1', ("SWC008", 1, 1, "this '{' is never closed"), id="unclosed-object"),
    pytest.param('"abc', ("SWC008", 1, 1, "this string is never closed"), id="unclosed-string"),
    pytest.param("{'a': 1}", ("SWC008", 1, 2, "expected a key in double quotes, found \"'\""),
                 id="single-quotes"),
    pytest.param('// note\n{}', ("SWC008", 1, 1, "JSON has no comments"), id="comment"),
    pytest.param('[01]', ("SWC008", 1, 2, "'01' is not a JSON number"), id="leading-zero"),
    pytest.param('[1.]', ("SWC008", 1, 2, "'1.' is not a JSON number"), id="bare-point"),
    pytest.param('1e400', ("SWC008", 1, 1, "1e400 is too large for a number (it would be "
                                           "infinite)"), id="overflow"),
    pytest.param('"\\ud83d"', ("SWC008", 1, 2, "the escape \\ud83d is half of a surrogate "
                                               "pair"), id="lone-surrogate"),
    pytest.param('"\\x41"', ("SWC008", 1, 2, "'\\x' is not a JSON escape"), id="bad-escape"),
    pytest.param('{"a" 1}', ("SWC008", 1, 6, "expected ':' after the key 'a', found '1'"),
                 id="missing-colon"),
    pytest.param('[1 2]', ("SWC008", 1, 4, "expected ',' or ']' in this array, found '2'"),
                 id="missing-comma"),
    pytest.param('{"a": True}', ("SWC008", 1, 7, "JSON writes true in lower case"),
                 id="python-true"),
    pytest.param('{} {}', ("SWC008", 1, 4, "expected the end of the file, after one JSON "
                                           "value, found '{'"), id="two-values"),
    pytest.param('  \n ', ("SWC008", 1, 1, "the file holds no JSON value"), id="empty"),
    pytest.param('{"a": 1,\n "a": 2}', ("SWC002", 2, 2, "duplicate key 'a'"), id="duplicate"),
])
def test_each_fault_is_located_and_said(text: str, expected: tuple[str, int, int, str]) -> None:
    assert fault(text) == expected


def test_a_duplicate_key_points_at_the_first_one_too() -> None:
    [d] = read_json('{"a": 1,\n "a": 2}', "d.json").diagnostics
    assert [(str(lb.span), lb.message) for lb in d.labels] == [("d.json:1:2", "first given here")]


def test_nesting_and_number_size_are_bounded() -> None:
    assert fault("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)) == (
        "SWC008", 1, MAX_DEPTH + 1, f"values are nested more than {MAX_DEPTH} levels deep")
    assert read_json("[" * MAX_DEPTH + "]" * MAX_DEPTH, "d.json").diagnostics == []
    code, line, col, message = fault("[" + "9" * (MAX_NUMBER_CHARS + 1) + "]")
    assert (code, line, col) == ("SWC008", 1, 2) and "swmlc reads numbers of up to" in message


def test_a_long_flat_array_needs_no_recursion() -> None:
    text = json.dumps(list(range(50_000)))
    assert read_json(text, "d.json").value == list(range(50_000))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**63 - 1), 2**63 - 1),  # 64 bits
              st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=25)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(json_values, st.sampled_from([None, 2]), st.booleans())
def test_what_json_dumps_writes_reads_back_the_same(value: Any, indent: int | None,
                                                     ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    result = read_json(text, "d.json")
    assert result.diagnostics == []
    assert to_plain(result.value) == value
    assert json.dumps(to_plain(result.value)) == json.dumps(value)  # int stays int, 1.0 a float


def _strict_loads(text: str) -> Any:
    def no_constants(name: str) -> Any:
        raise ValueError(name)

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({k for k, _ in pairs}) != len(pairs):
            raise ValueError("duplicate")
        return dict(pairs)

    value = json.loads(text, parse_constant=no_constants, object_pairs_hook=no_duplicates)
    if any(0xD800 <= ord(c) <= 0xDFFF for c in json.dumps(value, ensure_ascii=False)):
        raise ValueError("surrogate")
    return value


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='{}[],:"\\ \n\t01-.eEtrufalsnNI9xu"', max_size=14))
def test_the_verdict_is_the_rfc_s(text: str) -> None:
    """Accepted exactly when a strict reading by the json module (no NaN/Infinity, no duplicate
    keys, no lone surrogate) accepts, and then to the same value."""
    try:
        want: Any = _strict_loads(text)
        ok = True
    except (ValueError, RecursionError):
        ok = False
    result = read_json(text, "d.json")
    assert (result.diagnostics == []) == ok, (text, result.diagnostics)
    if ok:
        assert to_plain(result.value) == want
    else:
        [d] = result.diagnostics
        assert 1 <= d.span.line <= text.count("\n") + 1

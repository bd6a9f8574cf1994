"""The strict YAML reader (compiler/source/yaml_reader.py), one promise per test.

It proves: YAML 1.2 core scalars (`no`, `on`, `y` stay strings, `0o17` is 15, `1_000` is text);
positions on every key, value and item; duplicate keys refused at the second key with a label at
the first (never last-wins); a billion-laughs document refused with SWC003 at the node that
crosses the bound, in bounded memory; a recursive alias refused; deep nesting refused with
SWC004, even nesting deep enough to crash PyYAML's recursive C composer; each syntax error at the
file:line:col where the fix goes, with its exact message and help; explicit tags and numbers JSON
cannot hold refused instead of raising; and that ``read_yaml`` never raises on any text.
"""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.core.diagnostics import Diagnostic
from compiler.core.tree import Map, Seq, Span
from compiler.source.yaml_reader import MAX_DEPTH, read_yaml

FILE = "a.yaml"


def only(text: str) -> Diagnostic:
    """The single diagnostic reading ``text`` gives; a refused file has no value."""
    result = read_yaml(text, FILE)
    assert result.value is None
    assert len(result.diagnostics) == 1, result.diagnostics
    return result.diagnostics[0]


def facts(d: Diagnostic) -> tuple[str, int, int, str, str | None]:
    return d.code, d.span.line, d.span.col, d.message, d.help


def value_of(text: str) -> Any:
    result = read_yaml(text, FILE)
    assert result.diagnostics == []
    return result.value


# -- YAML 1.2 core schema ---------------------------------------------------------------------

@pytest.mark.parametrize(("plain", "expected"), [
    # the Norway problem: YAML 1.1 booleans stay strings
    ("no", "no"), ("on", "on"), ("yes", "yes"), ("off", "off"), ("y", "y"), ("n", "n"),
    ("NO", "NO"), ("Yes", "Yes"), ("Off", "Off"),
    # the 1.2 booleans and nulls
    ("true", True), ("false", False), ("True", True), ("FALSE", False),
    ("~", None), ("null", None), ("Null", None), ("", None),
    # 1.2 integers: 0o octal and 0x hex; a leading zero is decimal; no underscores, no 0b
    ("0o17", 15), ("0x1F", 31), ("012", 12), ("+12", 12), ("-7", -7),
    ("1_000", "1_000"), ("0b101", "0b101"), ("-0o17", "-0o17"),
    # floats
    ("1.5", 1.5), ("1e3", 1000.0), (".5", 0.5),
    # YAML 1.1 timestamps and sexagesimals are text
    ("2001-12-14", "2001-12-14"), ("1:20", "1:20"),
    # a quoted scalar is always a string
    ('"12"', "12"), ("'true'", "true"), ('"no"', "no"),
    # `<<` is a merge only as a key
    ("<<", "<<"),
])
def test_plain_scalars_resolve_by_the_yaml_1_2_core_schema(plain: str, expected: Any) -> None:
    got = value_of(f"v: {plain}\n")["v"]
    assert got == expected
    assert type(got) is type(expected)  # True is not 1, 15 is not "15"


def test_mapping_keys_are_always_text() -> None:
    tree = value_of("1: a\ntrue: b\nnull: c\nno: d\n")
    assert list(tree) == ["1", "true", "null", "no"]


def test_positions_of_keys_values_and_items() -> None:
    tree = value_of("prompt:\n  text: hi\nhints: [a, b]\n")
    assert isinstance(tree, Map)
    assert tree.key_spans["prompt"] == Span(FILE, 1, 1, 1, 7)
    assert tree.key_spans["hints"] == Span(FILE, 3, 1, 3, 6)
    assert tree.value_spans["hints"] == Span(FILE, 3, 8, 3, 14)
    assert tree["prompt"].value_spans["text"] == Span(FILE, 2, 9, 2, 11)
    assert isinstance(tree["hints"], Seq)
    assert tree["hints"].item_spans == [Span(FILE, 3, 9, 3, 10), Span(FILE, 3, 12, 3, 13)]


def test_key_order_is_source_order() -> None:
    assert list(value_of("zeta: 1\nalpha: 2\nmid: 3\n")) == ["zeta", "alpha", "mid"]


def test_merge_key_keys_written_here_win() -> None:
    tree = value_of("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n")
    assert tree["other"] == {"x": 1, "y": 3}


def test_swmlc_merge_tags_are_kept_on_the_value() -> None:
    tree = value_of("hints: !append [a]\n")
    assert tree["hints"] == ["a"]
    assert tree["hints"].tag == "!append"


def test_small_aliases_expand() -> None:
    assert value_of("a: &x [1, 2]\nb: *x\n")["b"] == [1, 2]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_an_empty_document_is_none_without_diagnostics(text: str) -> None:
    result = read_yaml(text, FILE)
    assert (result.value, result.diagnostics) == (None, [])


# -- duplicate keys ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "second", "first"), [
    ("hints: [a]\nhints: [b]\n", (2, 1), (1, 1)),
    ("prompt:\n  text: a\n  temperature: 1\n  text: b\n", (4, 3), (2, 3)),
    ("global_data: {a: 1, b: 2, a: 3}\n", (1, 27), (1, 15)),
    ('a: 1\n"a": 2\n', (2, 1), (1, 1)),  # same key, spelt with quotes
])
def test_duplicate_key_is_an_error_at_the_second_with_a_label_at_the_first(
        text: str, second: tuple[int, int], first: tuple[int, int]) -> None:
    d = only(text)
    name = "hints" if "hints" in text else ("text" if "text" in text else "a")
    assert facts(d) == ("SWC002", *second, f"duplicate key '{name}'",
                        "remove one of them; YAML tools disagree on which one would win")
    assert [(lb.span.line, lb.span.col, lb.message) for lb in d.labels] == [
        (*first, "first defined here")]


# -- aliases ----------------------------------------------------------------------------------

def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    lines.append(f"prompt: {{text: *a{levels - 1}}}")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_at_the_node_crossing_the_bound_in_bounded_memory() -> None:
    text = billion_laughs()  # 10**9 strings once expanded
    tracemalloc.start()
    try:
        result = read_yaml(text, FILE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, f"peak {peak:,} bytes: the aliases were expanded"
    assert result.value is None
    [d] = result.diagnostics
    # a5 is the first anchor holding more than a million values (1 + 10 * 111,111)
    assert facts(d) == (
        "SWC003", 6, 5, "aliases here expand to more than 1,000,000 values",
        "this looks like a 'billion laughs' document; write the values out, or share them "
        "with extends/include instead of nested aliases")


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n"])
def test_recursive_alias_is_refused(text: str) -> None:
    assert facts(only(text)) == (
        "SWC003", 1, 4, "an alias refers to a node that contains it",
        "a recursive alias cannot be written as JSON; copy the value instead")


def test_undefined_alias() -> None:
    assert facts(only("a: *x\n")) == (
        "SWC001", 1, 4, "found undefined alias",
        "define the anchor (&name) before using it (*name)")


# -- nesting ----------------------------------------------------------------------------------

def flow(depth: int) -> str:
    return "a: " + "[" * depth + "]" * depth + "\n"


def test_nesting_up_to_the_limit_is_read() -> None:
    value = value_of(flow(MAX_DEPTH))["a"]
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == []


@pytest.mark.slow
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000, 100_000])
def test_deep_flow_nesting_is_swc004_at_the_first_value_too_deep(depth: int) -> None:
    # 100,000 levels used to overflow the C stack in PyYAML's recursive composer (a segfault,
    # not an exception): the reader must refuse it before composing.
    assert facts(only(flow(depth))) == (
        "SWC004", 1, 4 + MAX_DEPTH, f"values are nested more than {MAX_DEPTH} levels deep", None)


def test_deep_block_nesting_is_swc004() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(300))
    # the key k200 (line 201) is the first value at depth 201
    assert facts(only(text))[:3] == ("SWC004", 201, 401)
    d = only("- " * 100_000 + "x\n")
    assert facts(d) == ("SWC004", 1, 403, f"values are nested more than {MAX_DEPTH} levels deep",
                        None)


# -- syntax errors: at the place to fix, in words ---------------------------------------------

UNCLOSED_HELP = "(or quote the value with the other kind of quote)"
COLON_HELP = "a key needs a ':' after it; a value with ': ' or '#' in it needs quotes"
TAB = ("a tab character where YAML expects spaces", "YAML indentation uses spaces; replace the tab")


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param('prompt:\n  text: "unterminated\nhints: [a]\n',
                 (2, 9, "this quoted string is never closed", f'add the closing " {UNCLOSED_HELP}'),
                 id="unterminated-double-quote"),
    pytest.param("a: 'abc\n",
                 (1, 4, "this quoted string is never closed", f"add the closing ' {UNCLOSED_HELP}"),
                 id="unterminated-single-quote"),
    pytest.param("prompt:\n\ttext: hi\n", (2, 1, *TAB), id="tab-indent"),
    pytest.param("hints:\n  - a\n\t- b\n", (3, 1, *TAB), id="tab-in-list"),
    pytest.param("prompt:\n  text: hi\nhints\n", (3, 1, "expected ':' after this key", COLON_HELP),
                 id="missing-colon"),
    pytest.param("prompt:\n  text: hi\nhints\n  - a\n",
                 (3, 1, "expected ':' after this key", COLON_HELP), id="missing-colon-before-list"),
    pytest.param("prompt:\n  text: Note: hi\n",
                 (2, 13, "unexpected ':' inside a plain value",
                  "a value with ': ' in it needs quotes (text: \"Note: ...\"); "
                  "or the line above lacks its ':'"), id="colon-in-plain-value"),
    pytest.param("a: 1\n---\nb: 2\n",
                 (2, 1, "the file holds more than one YAML document",
                  "keep one document per file (remove the extra '---')"), id="two-documents"),
    pytest.param("prompt:\n  text: h\u00e9\u00e9\x07i\n",
                 (2, 12, "the character U+0007 is not allowed in YAML",
                  'remove it; to put a control character in a string, quote the string and '
                  'write it as an escape ("\\t", "\\u0007")'), id="control-character"),
])
def test_syntax_error_location_message_and_help(text: str, expected: tuple[Any, ...]) -> None:
    assert facts(only(text)) == ("SWC001", *expected)


def test_unclosed_flow_list_points_at_where_it_opened() -> None:
    d = only("hints: [a, b\n")
    # at the end of the text, not on the line past it (issue 12, point 19)
    assert facts(d) == ("SWC001", 1, 13, "expected ',' or ']'",
                        "close it with ']', or separate items with ','")
    assert [(lb.span.line, lb.span.col, lb.message) for lb in d.labels] == [
        (1, 8, "this list is never closed")]


# -- values JSON cannot hold, and tags --------------------------------------------------------

@pytest.mark.parametrize("number", [".inf", "-.Inf", ".NaN", "1e400", "-1e400"])
def test_numbers_json_cannot_hold_are_refused_where_written(number: str) -> None:
    assert facts(only(f"global_data: {{x: {number}}}\n")) == (
        "SWC102", 1, 18, f"'{number}' is not a number JSON can hold",
        "JSON has no infinity or NaN: write a number, or quote the value to keep it as text")
    assert value_of(f'x: "{number}"\n') == {"x": number}


@pytest.mark.parametrize(("tagged", "expected"), [
    ("!!int 12", 12), ('!!int "12"', 12), ("!!int 0o17", 15), ("!!float 12", 12.0),
    ("!!str 12", "12"), ("!!str no", "no"), ("!!bool true", True), ("!!null ~", None),
])
def test_core_tags_written_out(tagged: str, expected: Any) -> None:
    got = value_of(f"v: {tagged}\n")["v"]
    assert (got, type(got)) == (expected, type(expected))


@pytest.mark.parametrize(("tagged", "words"), [
    ("!!int abc", "an integer"), ("!!int 1_000", "an integer"), ("!!float abc", "a number"),
    ("!!bool maybe", "true or false"), ("!!null x", "null"),
])
def test_a_core_tag_on_a_value_it_cannot_hold_is_an_error_not_a_crash(tagged: str,
                                                                      words: str) -> None:
    tag, text = tagged.split(" ")
    assert facts(only(f"v: {tagged}\n")) == (
        "SWC102", 1, 4, f"'{text}' is not {words}, as its tag {tag} says",
        f"remove the {tag} tag, or write the value as {words}")


@pytest.mark.parametrize("text", ["v: !foo x\n", "v: !!binary aGk=\n", "v: !appendd [a]\n"])
def test_unknown_tags(text: str) -> None:
    code, line, col, message, _ = facts(only(text))
    assert (code, line, col) == ("SWC006", 1, 4)
    assert message.startswith("unknown tag '")


@pytest.mark.parametrize("text", ["[a]: b\n", "? {a: 1}\n: b\n"])
def test_a_collection_as_a_key_is_refused(text: str) -> None:
    code, line, _, message, help_text = facts(only(text))
    assert (code, line, message, help_text) == (
        "SWC102", 1, "a mapping key must be a plain scalar",
        "JSON object keys are strings; write the key as text")


# -- never raises -----------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from([*"ab:-[]{}&*!#'\"\n\t ,|>?%@`~0o1.", "\x07"]),
               max_size=60))
def test_read_yaml_never_raises(text: str) -> None:
    result = read_yaml(text, FILE)
    assert result.value is None or not result.diagnostics
    for d in result.diagnostics:
        assert d.span.file == FILE and d.span.line >= 1 and d.span.col >= 1


@pytest.mark.slow
def test_what_is_said_does_not_depend_on_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml's words and limits change between its versions (0.2.6 stops at 1,000 levels with
    its own message): when the C parser refuses a text, whatever it says, PyYAML's pure-Python
    parser is the one that decides what swmlc reports."""
    import yaml

    from compiler.source.yaml_reader import loaders

    def refuses(self: object) -> None:
        raise yaml.scanner.ScannerError("gibberish", None, "from another libyaml", None)

    monkeypatch.setattr(loaders.NodeLoader, "get_single_node", refuses)
    bad = read_yaml('prompt:\n  text: "never closed\n', "a.yaml").diagnostics
    assert [(d.code, d.span.line, d.span.col, d.message) for d in bad] == [
        ("SWC001", 2, 9, "this quoted string is never closed")]
    deep = read_yaml("a: " + "[" * 1200 + "]" * 1200 + "\n", "a.yaml").diagnostics
    assert [(d.code, d.span.line, d.span.col) for d in deep] == [("SWC004", 1, 4 + MAX_DEPTH)]
    # a text only libyaml refused is read as the pure parser reads it
    assert read_yaml("a: [1, 2]\n", "a.yaml").value == {"a": [1, 2]}

"""compiler.signalwire.runtime_refs: finding ${...}, %{...} and @{...} in strings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.signalwire.runtime_refs import (
    KNOWN_FUNCTIONS,
    KNOWN_HELPERS,
    RuntimeRef,
    contains_ref,
    find_refs,
    walk_refs,
)


def one(text: str) -> RuntimeRef:
    refs = find_refs(text)
    assert len(refs) == 1, refs
    return refs[0]


@pytest.mark.parametrize(
    ("text", "sigil", "path", "root"),
    [
        ("${global_data.x}", "$", ("global_data", "x"), "global_data"),
        ("%{args.x}", "%", ("args", "x"), "args"),
        ("${call.from}", "$", ("call", "from"), "call"),
        ("${meta_data.k}", "$", ("meta_data", "k"), "meta_data"),
        ("${results[-1].title}", "$", ("results", -1, "title"), "results"),
        ("${array[0]}", "$", ("array", 0), "array"),
        ("${a[0][2].b}", "$", ("a", 0, 2, "b"), "a"),
        ("${Global_Data.Plan}", "$", ("Global_Data", "Plan"), "global_data"),
        ("${total}", "$", ("total",), "total"),
    ],
)
def test_plain_references(text: str, sigil: str, path: tuple[object, ...], root: str) -> None:
    ref = one(text)
    assert (ref.start, ref.end, ref.raw) == (0, len(text), text)
    assert ref.sigil == sigil
    assert ref.path == path
    assert ref.root == root
    assert ref.helpers == ()
    assert ref.malformed is None
    assert ref.nested == ()


def test_offsets_inside_text() -> None:
    text = "Hello ${args.name}, you are on %{global_data.plan}."
    first, second = find_refs(text)
    assert (first.start, first.end) == (6, 18)
    assert text[first.start : first.end] == "${args.name}"
    assert (second.start, second.end) == (31, 50)
    assert second.raw == "%{global_data.plan}"
    assert second.inner == "global_data.plan"


def test_helper_enc() -> None:
    ref = one("${enc:args.q}")
    assert ref.helpers == ("enc",)
    assert ref.path == ("args", "q")
    assert ref.root == "args"
    assert ref.unknown_helper is None


def test_helpers_chain_in_written_order() -> None:
    ref = one("${enc:lc:args.q}")
    assert ref.helpers == ("enc", "lc")
    assert ref.path == ("args", "q")
    assert one("${fmt_ph:caller_id_num}").helpers == ("fmt_ph",)


def test_helpers_match_without_regard_to_case() -> None:
    ref = one("${ENC:Lc:args.q}")
    assert ref.helpers == ("enc", "lc")
    assert ref.path == ("args", "q")


def test_unknown_helper_becomes_part_of_the_path() -> None:
    ref = one("${enc:url:args.q}")
    assert ref.helpers == ("enc",)
    assert ref.unknown_helper == "url"
    assert ref.path == ("url:args", "q")
    assert ref.root == "url:args"
    assert ref.malformed is None  # well-formed; it just reads nothing


def test_nested_reference() -> None:
    text = "${meta_data.contacts.${lc:args.department}}"
    ref = one(text)
    assert ref.end == len(text)
    assert ref.path == ("meta_data", "contacts", "${lc:args.department}")
    assert ref.root == "meta_data"
    assert ref.is_dynamic
    assert ref.static_path == ("meta_data", "contacts")
    (inner,) = ref.nested
    assert (inner.start, inner.end) == (21, 42)
    assert inner.raw == "${lc:args.department}"
    assert inner.helpers == ("lc",)
    assert inner.path == ("args", "department")
    assert [r.raw for r in walk_refs([ref])] == [text, "${lc:args.department}"]


def test_nested_value_is_part_of_the_outer_path_not_a_helper_argument() -> None:
    ref = one("${lc:${args.department}}")
    assert ref.helpers == ("lc",)
    assert ref.path == ("${args.department}",)
    assert ref.root is None
    assert ref.static_path == ()


def test_nesting_deeper_than_one_level_is_malformed() -> None:
    ref = find_refs("${a.${b.${c}}}")[0]
    assert ref.nested[0].malformed == "nested deeper than one level"


def test_strftime_function() -> None:
    ref = one("@{strftime_tz America/Chicago %H:%M}")
    assert ref.sigil == "@"
    assert ref.is_function
    assert ref.function == "strftime_tz"
    assert ref.args == "America/Chicago %H:%M"
    assert ref.known_function
    assert ref.path == ()
    assert ref.root is None
    assert ref.malformed is None


def test_expr_function() -> None:
    ref = one("@{expr 1+2}")
    assert (ref.function, ref.args) == ("expr", "1+2")
    assert ref.known_function


def test_function_with_a_nested_reference() -> None:
    ref = one("@{fmt_ph national:sep:- ${caller_id_num}}")
    assert ref.function == "fmt_ph"
    assert ref.args == "national:sep:- ${caller_id_num}"
    assert [n.path for n in ref.nested] == [("caller_id_num",)]


def test_unknown_function_is_not_malformed() -> None:
    ref = one("@{shout hello}")
    assert ref.function == "shout"
    assert not ref.known_function
    assert ref.malformed is None


def test_text_without_refs() -> None:
    assert find_refs("") == []
    assert find_refs("Just a prompt with $5, 100% and {braces}.") == []
    assert not contains_ref("no refs here")
    assert contains_ref("a ${b}")


def test_unterminated_reference() -> None:
    text = "Hello ${args.x"
    ref = one(text)
    assert ref.malformed == "unterminated"
    assert (ref.start, ref.end) == (6, len(text))
    assert ref.raw == "${args.x"
    assert ref.path == ("args", "x")


def test_unterminated_reference_does_not_hide_later_ones() -> None:
    broken, good = find_refs("${args.x and ${global_data.y}")
    assert broken.malformed == "unterminated"
    assert broken.raw == "${args.x"
    assert good.malformed is None
    assert good.path == ("global_data", "y")


def test_a_newline_ends_an_unterminated_reference() -> None:
    broken, good = find_refs("${args.x\n${args.y}")
    assert broken.malformed == "unterminated"
    assert good.raw == "${args.y}"


def test_jinja_is_not_a_runtime_reference() -> None:
    text = "You are {{ company }} support; the caller is on ${global_data.plan}. {% if x %}"
    ref = one(text)
    assert ref.raw == "${global_data.plan}"
    assert ref.path == ("global_data", "plan")
    assert find_refs("{{ company }}") == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("${}", "empty reference"),
        ("%{}", "empty reference"),
        ("${enc:}", "missing path after helpers"),
        ("${ args.x }", "whitespace in path"),
        ("${a..b}", "empty path segment"),
        ("${a.}", "empty path segment"),
        ("${.a}", "empty path segment"),
        ("${a[x]}", "index must be an integer"),
        ("${a[0}", "unclosed '['"),
        ("${a[0]b}", "expected '.' or '[' after ']'"),
        ("${[0]}", "index without a name"),
        ("${a]}", "unexpected ']' in path"),
        ("${{ x }}", "unexpected '{' in path"),
        ("@{}", "empty function call"),
        ("@{ echo x}", "missing function name"),
    ],
)
def test_malformed_references(text: str, reason: str) -> None:
    ref = find_refs(text)[0]
    assert ref.malformed == reason
    assert ref.raw == text[ref.start : ref.end]


def test_huge_index_does_not_raise() -> None:
    ref = one("${a[" + "9" * 5000 + "]}")
    assert ref.malformed == "index must be an integer"


def test_known_names() -> None:
    assert {"enc", "lc", "fmt_ph"} == KNOWN_HELPERS
    assert {"strftime_tz", "fmt_ph", "expr", "echo", "separate", "sleep"} == KNOWN_FUNCTIONS


def _check_invariants(text: str, refs: list[RuntimeRef], outer: RuntimeRef | None) -> None:
    for ref in refs:
        assert 0 <= ref.start < ref.end <= len(text)
        assert ref.raw == text[ref.start : ref.end]
        assert text[ref.start] in "$%@" and text[ref.start + 1] == "{"
        if outer is not None:
            assert outer.start < ref.start and ref.end <= outer.end
        _check_invariants(text, list(ref.nested), ref)


_template_alphabet = st.sampled_from([*"${}%@[].:- _aZ09\n", "enc:", "lc:", "${", "%{", "@{"])
_texty = st.lists(_template_alphabet, max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(st.text(), _texty))
def test_find_refs_never_raises(text: str) -> None:
    refs = find_refs(text)
    _check_invariants(text, refs, None)
    starts = [ref.start for ref in refs]
    assert starts == sorted(set(starts))


def test_non_string_input_gives_nothing() -> None:
    assert find_refs(None) == []  # type: ignore[arg-type]
    assert not contains_ref(3)  # type: ignore[arg-type]

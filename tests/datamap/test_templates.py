"""Template expansion as the platform does it: paths, helpers and their order, nesting, values
inserted as cJSON prints them, and the note that says why a piece came out empty."""

from __future__ import annotations

import pytest

from compiler.signalwire.datamap.template import expand, url_encode
from compiler.signalwire.datamap.values import MISSING, cjson_parse, cjson_print, lookup

DATA = {
    "args": {"City": "São Paulo", "dept": "Sales", "n": 72.5, "i": 7, "flag": True,
             "none": None, "list": [1, 2, 3], "obj": {"a": 1}, "phone": "5035550100"},
    "meta_data": {"table": {"sales": "+15035550100"}},
    "Results": [{"title": "first"}, {"title": "last"}],
}


@pytest.mark.parametrize(("template", "expected"), [
    ("${args.city}", "São Paulo"),                     # names match without regard to case
    ("%{ARGS.CITY}", "São Paulo"),                     # %{...} is ${...}
    ("${results[-1].title}", "last"),                  # a negative index counts from the end
    ("${results[0].title}${results[9].title}", "first"),
    ("${args.list[0][1]}", ""),                        # one index per name
    ("${args.n} ${args.i} ${args.flag} ${args.none}", "72.500000 7 true null"),
    ("${args.list}", "[1, 2, 3]"),
    ("${lc:args.dept}", "sales"),
    ("${enc:args.city}", "S%C3%A3o%20Paulo"),
    ("${enc:lc:args.city}|${lc:enc:args.city}", "s%C3%A3o%20paulo|s%C3%A3o%20paulo"),
    ("${fmt_ph:args.phone}", "(503) 555-0100"),
    ("${FMT_PH:LC:args.phone}", "(503) 555-0100"),
    ("${enc:url:args.city}", ""),                      # url: is part of the path, not a helper
    ("${meta_data.table.${lc:args.dept}}", "+15035550100"),
    ("a${}b", "ab"),
    ("${args.city", "${args.city"),                    # never closed: left as written
    ("${args..city}", "São Paulo"),                    # empty names are skipped
    ("${args.city.}", ""),                             # a trailing dot does not resolve
    ("@{echo ${args.dept}}", "@{echo Sales}"),         # functions run later
])
def test_expand(template: str, expected: str) -> None:
    assert expand(template, DATA) == expected


def test_json_text_escapes_strings_but_not_other_values() -> None:
    data = {"q": 'he said "hi" \\ bye', "o": {"a": 1}}
    assert expand('{"r": "${q}"}', data, escape_json=True) == '{"r": "he said \\"hi\\" \\\\ bye"}'
    assert cjson_parse(expand('{"r": "${q}"}', data, escape_json=True)) == {"r": data["q"]}
    broken = expand('{"r": "${o}"}', data, escape_json=True)
    assert cjson_parse(broken) is MISSING  # an object inserted into a string: not JSON


def test_unresolved_paths_are_reported_with_the_path_read() -> None:
    seen: list[tuple[str, str]] = []
    out = expand("[${args.nope}] [${meta_data.table.${args.x}}]", DATA,
                 unresolved=lambda raw, path: seen.append((raw, path)))
    assert out == "[] []"
    assert seen == [("${args.nope}", "args.nope"), ("${args.x}", "args.x"),
                    ("${meta_data.table.${args.x}}", "meta_data.table.")]


def test_url_encode_follows_freeswitch() -> None:
    assert url_encode("a b/c,d$e!f'g(h)i*j") == "a%20b/c,d$e!f'g(h)i*j"
    assert url_encode('#%&+:;<=>?@[\\]^`{|}"') == \
        "%23%25%26%2B%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D%22"
    assert url_encode("100%25 ok%2") == "100%25%20ok%252"   # %XX kept, a lone % encoded


def test_lookup_bounds() -> None:
    assert lookup({"a": 1}, "") == {"a": 1}
    assert lookup({"a": [1]}, "a[ 0]") == 1               # strtol skips leading blanks
    assert lookup({"a": [1]}, "a[x]") is MISSING
    assert lookup({"a": [1]}, "a[99999999999]") is MISSING
    assert lookup({"a": 1}, "a." * 700) is MISSING       # over 1024 bytes


def test_cjson_numbers_and_layout() -> None:
    assert cjson_print(2**64) == "18446744073709551616"
    assert cjson_print(float("nan")) == "null"
    assert cjson_print({}) == "{\n}"
    assert cjson_print({"a": {"b": [1, "x"]}}) == '{\n\t"a":\t{\n\t\t"b":\t[1, "x"]\n\t}\n}'
    assert cjson_parse("\ufeff  [1] trailing") == [1]


# -- properties, over any text ---------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

TEMPLATE_TEXT = st.text(alphabet=st.sampled_from(list("${}%@.[]-0123456789abc:lencfmt_ph \n")),
                        max_size=80)


@settings(deadline=None, max_examples=300)
@given(TEMPLATE_TEXT)
def test_expansion_never_raises_and_text_without_templates_is_kept(text: str) -> None:
    out = expand(text, DATA, escape_json=True)
    assert isinstance(out, str)
    if "${" not in text and "%{" not in text:
        assert out == text


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=60))
def test_url_encode_decodes_back(text: str) -> None:
    from urllib.parse import unquote

    if "%" not in text:  # an existing %XX is kept on purpose, so it does not round-trip
        assert unquote(url_encode(text)) == text
        assert " " not in url_encode(text)

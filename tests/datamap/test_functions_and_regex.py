"""``@{...}`` template functions (with the injected clock) and PCRE matching, the platform's
engine, shared by the evaluator and SWC416."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from compiler.signalwire.datamap.functions import (
    FunctionContext,
    evaluate_expr,
    expand_functions,
)
from compiler.signalwire.datamap.phone import format_number
from compiler.signalwire.pcre import compile_pattern, search

NOW = datetime(2025, 7, 4, 15, 5, 9, tzinfo=UTC)


def run(text: str) -> tuple[str, list[str], list[float]]:
    notes: list[str] = []
    ctx = FunctionContext(clock=lambda: NOW, note=notes.append)
    return expand_functions(text, ctx), notes, ctx.pauses


@pytest.mark.parametrize(("text", "expected"), [
    ("@{strftime_tz America/Chicago %Y-%m-%d %H:%M}", "2025-07-04 10:05"),
    ("@{strftime_tz Europe/Madrid}", "2025-07-04 17:05:09"),     # empty format: %Y-%m-%d %T
    ("@{expr (100 - 25) / 4}", "18.75"),
    ("@{expr 2 * -3 + 1}", "-5"),
    ("@{expr 1/3}", "0.3333333333"),
    ("@{fmt_ph international +442079460958}", "+44 20 7946 0958"),
    ("@{fmt_ph national:sep:- +15035550100}", "503-555-0100"),
    ("@{fmt_ph e164 (503) 555-0100}", "+15035550100"),
    ("@{fmt_ph +15035550100}", "(503) 555-0100"),
    ("@{fmt_ph national 12}", "INVALID NUMBER"),
    ("@{separate AB 12}", "A B 1 2"),
    ("@{echo @{separate ab}}", "a b"),                            # inner calls first
    ("Code @{echo 7}.", "Code 7."),
])
def test_functions(text: str, expected: str) -> None:
    assert run(text)[0] == expected


def test_what_cannot_be_computed_is_noted() -> None:
    out, notes, _ = run("[@{strftime_tz Mars/Olympus %H}][@{expr 1/0}][@{expr 2^3}][@{nope x}]")
    assert out == "[][][][@{nope x}]"
    assert notes == [
        "@{strftime_tz Mars/Olympus %H}: 'Mars/Olympus' is not a time zone; the platform gives "
        "nothing",
        "@{expr 1/0}: float division by zero; the platform gives nothing",
        "@{expr 2^3}: unexpected '^' in expression '2^3'; the platform gives nothing",
        "@{nope x}: 'nope' is not a template function the platform knows (echo, expr, fmt_ph, "
        "separate, sleep, strftime_tz); it is left as written",
    ]


def test_sleep_is_recorded_never_slept() -> None:
    out, _, pauses = run("a@{sleep 2.5}b@{sleep 99999}")
    assert (out, pauses) == ("ab", [2.5, 3600.0])


def test_expr_refuses_anything_but_arithmetic() -> None:
    for text in ("__import__('os')", "a + 1", "2 ** 3", "(1", "1)"):
        with pytest.raises(ValueError):
            evaluate_expr(text)
    with pytest.raises(ValueError, match="nested too deeply"):
        evaluate_expr("(" * 300 + "1" + ")" * 300)


def test_fmt_ph_groups_with_a_separator() -> None:
    assert format_number("+15035550100", "rfc3966", " ") == "1 503 555 0100"


@pytest.mark.parametrize(("pattern", "subject", "matched"), [
    ("thunder|storm", "Light THUNDERSTORM", True),    # no slashes: caseless
    ("/THUNDER/", "thunder", False),                 # slashes without i: case-sensitive
    ("/THUNDER/i", "thunder", True),
    ("/a.b/", "a\nb", False),
    ("/a.b/s", "a\nb", True),
    ("/abc", "abc", False),                          # no closing slash: never matches
    (r"\p{Lu}\p{Ll}+", "Émile", True),               # PCRE properties...
    (r"a\Kb", "ab", True),                           # ...and \K, which Python's re refuses
    (r"a\hb", "a\tb", True),
    ("(?<year>\\d{4})", "in 2025", True),
    ("a(", "a(", False),                             # does not compile: never matches
])
def test_pcre_search(pattern: str, subject: str, matched: bool) -> None:
    assert search(pattern, subject) is matched


def test_the_platform_reads_bytes_not_utf8_characters() -> None:
    """pcre_compile without PCRE_UTF8: '.' is one byte, so 'ã' (two bytes) is '..'."""
    assert search("^S..o$", "São") is True
    assert search("^S.o$", "São") is False


def test_compile_errors_name_the_offset() -> None:
    assert compile_pattern("verda(g|w").error == "missing closing parenthesis at offset 9"
    assert compile_pattern("[z-a]").error == \
        "range out of order in character class at offset 4"
    assert compile_pattern("x" * 70_000).error == "longer than 65536 bytes"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(deadline=None, max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("0123456789.+-*/() eE")), max_size=40))
def test_expr_either_computes_or_says_why(text: str) -> None:
    try:
        value = evaluate_expr(text)
    except (ValueError, ZeroDivisionError, OverflowError):
        return
    assert isinstance(value, float)


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=30), st.text(max_size=30))
def test_any_pattern_either_compiles_or_never_matches(pattern: str, subject: str) -> None:
    compiled = compile_pattern(pattern)
    if compiled.error is not None:
        assert search(pattern, subject) is False

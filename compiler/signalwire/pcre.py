"""Regular expressions as the platform runs them: PCRE, through the ``pcre2`` package.

FreeSWITCH's ``switch_regex_match`` reads ``/pattern/flags`` (the last ``/`` closes the pattern;
of the flags only ``i`` and ``s`` count; an opening ``/`` with no closing one never matches) and
compiles the pattern over bytes, without UTF mode, as ``pcre_compile(pattern, flags)`` does. A
data_map expression written without slashes is matched without regard to case (mod_openai wraps
it as ``/pattern/i``). The SWC416 check and the evaluator both judge a pattern here, so a pattern
the check accepts is one the evaluator can run, and the other way round.

One difference from the platform remains, and is the binding's: the ``pcre2`` package always
compiles with PCRE2_ALT_BSUX, so ``\\u0041`` is a character and ``\\x{41}`` is refused, where the
platform's PCRE refuses ``\\u`` and reads ``\\x{41}``. Patterns seldom use either.

It lives beside the DataMap evaluator, not in it, so that the SWC416 check, which every build
runs, does not import the evaluator (python -X importtime put the evaluator's package at
~100 ms of a cold single-agent build, on a loaded machine).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Compiled", "Patterns", "compile_pattern", "problem", "search"]

#: Above this many bytes a pattern is not compiled (a hostile repository cannot make swmlc
#: compile megabytes of regex); the platform's own limits are far below it.
MAX_PATTERN_BYTES = 64 * 1024


@dataclass(frozen=True)
class Compiled:
    """A pattern ready to search with, or why it is not: ``error`` is PCRE's own message with
    the byte offset, None when ``code`` is usable."""

    code: Any
    error: str | None
    caseless: bool
    dotall: bool


def _split(pattern: str, default_caseless: bool) -> tuple[str, bool, bool] | None:
    """(the pattern, caseless, dotall), or None for ``/...`` with no closing slash."""
    if not pattern.startswith("/"):
        return pattern, default_caseless, False
    body = pattern[1:]
    close = body.rfind("/")
    if close < 0:
        return None
    flags = body[close + 1:]
    return body[:close], "i" in flags, "s" in flags


def compile_pattern(pattern: str, default_caseless: bool = True) -> Compiled:
    """Compile ``pattern`` as the platform would. ``default_caseless`` is mod_openai's wrapping
    of a pattern written without slashes (True for data_map expressions).

    Example:
        >>> compile_pattern("verda(g|w").error
        'missing closing parenthesis at offset 9'
        >>> compile_pattern(r"\\p{Lu}\\K").error is None
        True
    """
    import pcre2

    split = _split(pattern, default_caseless)
    if split is None:
        return Compiled(None, "an opening '/' needs a closing '/' (write /pattern/flags)",
                        False, False)
    text, caseless, dotall = split
    data = text.encode("utf-8")
    if len(data) > MAX_PATTERN_BYTES:
        return Compiled(None, f"longer than {MAX_PATTERN_BYTES} bytes", caseless, dotall)
    flags = (pcre2.IGNORECASE if caseless else 0) | (pcre2.DOTALL if dotall else 0)
    try:
        code = pcre2.compile(data, flags, jit=False)  # JIT costs more than one match saves
    except pcre2.PatternError as exc:
        reason = str(exc).split("; ", 1)[-1]
        return Compiled(None, f"{reason} at offset {exc.pos}", caseless, dotall)
    return Compiled(code, None, caseless, dotall)


def problem(pattern: str, default_caseless: bool = True) -> str | None:
    """Why ``pattern`` never matches on the platform, or None when it compiles."""
    return compile_pattern(pattern, default_caseless).error


#: Compiled patterns, kept by one run (a function's expressions are matched again and again
#: across the cases of a test run); never shared between runs.
Patterns = dict[tuple[str, bool], Compiled]


def search(pattern: str, subject: str, default_caseless: bool = True,
           cache: Patterns | None = None) -> bool:
    """Whether ``pattern`` matches anywhere in ``subject``; a pattern that does not compile
    never matches (the platform logs it and moves on).

    Example:
        >>> search("thunder|storm", "Light THUNDERstorm"), search("/^a/", "ba")
        (True, False)
    """
    key = (pattern, default_caseless)
    compiled = cache.get(key) if cache is not None else None
    if compiled is None:
        compiled = compile_pattern(pattern, default_caseless)
        if cache is not None:
            cache[key] = compiled
    if compiled.code is None:
        return False
    import pcre2

    try:
        return compiled.code.search(subject.encode("utf-8")) is not None
    except pcre2.LibraryError:  # match limits (catastrophic backtracking): PCRE gives up
        return False

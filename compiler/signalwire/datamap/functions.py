"""``@{name args}`` template functions, as the platform runs them in SWAIG contexts (a data_map's
outputs, webhook URLs and bodies, and the replies of web_hook_url functions).

They run after ``${...}`` expansion, so ``@{expr ${args.a} + 1}`` computes with the argument's
value. The functions (PLATFORM.md; the SDK's DataMap guide, section 4.1):

- ``strftime_tz ZONE FORMAT``: now, in an IANA zone, with strftime codes (FreeSWITCH's
  ``switch_strftime_tz``: an empty format is ``%Y-%m-%d %T``; an unknown zone gives nothing).
  The clock is injected, so tests and ``swmlc test`` are deterministic.
- ``fmt_ph FORMAT[:sep:C] NUMBER``: national, international, e164 or rfc3966, digit groups
  joined by C when given (:mod:`.phone`).
- ``expr EXPRESSION``: arithmetic on literal numbers (``+ - * /``, unary minus, parentheses),
  printed as FreeSWITCH's expression module prints (ten decimals, trailing zeros dropped).
- ``echo TEXT``, ``separate TEXT`` (a space between characters, so "AB12" is read "A B 1 2"),
  ``sleep SECONDS`` (the platform pauses; swmlc records the pause and never sleeps).

What cannot be computed (an unknown zone, a division by zero, an unknown function) is said to
``note``, so ``swmlc exec`` explains an empty piece of a reply instead of leaving it blank.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from compiler.signalwire.datamap.phone import format_number
from compiler.signalwire.runtime_refs import closing_brace

__all__ = ["FIXED_NOW", "Clock", "FunctionContext", "evaluate_expr", "expand_functions"]

#: A clock: now, as an aware datetime.
Clock = Callable[[], datetime]
#: The instant tests and ``swmlc test`` use unless a test file sets its own.
FIXED_NOW = datetime(2025, 1, 15, 17, 30, 0, tzinfo=UTC)
_MAX_DEPTH = 8
_MAX_EXPR = 4096
_MAX_SLEEP = 3600.0
_NUMBER = re.compile(r"\s*((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")


@dataclass
class FunctionContext:
    """What the functions need from the run: the clock, where notes go, and the pauses
    ``sleep`` asked for (seconds, in order)."""

    clock: Clock = field(default=lambda: FIXED_NOW)
    note: Callable[[str], None] = field(default=lambda _: None)
    pauses: list[float] = field(default_factory=list)


def expand_functions(text: str, ctx: FunctionContext, depth: int = 0) -> str:
    """``text`` with each ``@{...}`` replaced by its result (inner calls first).

    Example:
        >>> expand_functions("Code @{separate AB12}, total @{expr (100 - 25) / 4}.",
        ...                  FunctionContext())
        'Code A B 1 2, total 18.75.'
    """
    if "@{" not in text or depth > _MAX_DEPTH:
        return text
    parts: list[str] = []
    i = 0
    while True:
        start = text.find("@{", i)
        if start < 0:
            parts.append(text[i:])
            return "".join(parts)
        end = closing_brace(text, start + 1)
        if end < 0:
            parts.append(text[i:])
            return "".join(parts)
        parts.append(text[i:start])
        body = expand_functions(text[start + 2:end], ctx, depth + 1)
        parts.append(_call(body, text[start:end + 1], ctx))
        i = end + 1


def _call(body: str, raw: str, ctx: FunctionContext) -> str:
    name, _, args = body.strip().partition(" ")
    args = args.strip()
    handler = _FUNCTIONS.get(name.lower())
    if handler is None:
        ctx.note(f"{raw}: '{name}' is not a template function the platform knows "
                 f"({', '.join(sorted(_FUNCTIONS))}); it is left as written")
        return raw
    return handler(args, raw, ctx)


def _strftime_tz(args: str, raw: str, ctx: FunctionContext) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    zone, _, fmt = args.partition(" ")
    try:
        tz = ZoneInfo(zone or "GMT")
    except (ZoneInfoNotFoundError, ValueError):
        ctx.note(f"{raw}: '{zone}' is not a time zone; the platform gives nothing")
        return ""
    return ctx.clock().astimezone(tz).strftime(fmt.strip() or "%Y-%m-%d %H:%M:%S")


def _fmt_ph(args: str, raw: str, ctx: FunctionContext) -> str:
    style, _, number = args.partition(" ")
    if not number:
        style, number = "national", style
    style, _, separator = style.partition(":sep:")
    return format_number(number.strip(), style, separator or None)


def _expr(args: str, raw: str, ctx: FunctionContext) -> str:
    try:
        value = evaluate_expr(args)
    except (ValueError, ZeroDivisionError, OverflowError) as exc:
        ctx.note(f"{raw}: {exc}; the platform gives nothing")
        return ""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _separate(args: str, raw: str, ctx: FunctionContext) -> str:
    return " ".join(char for char in args if not char.isspace())


def _sleep(args: str, raw: str, ctx: FunctionContext) -> str:
    try:
        seconds = float(args)
    except ValueError:
        ctx.note(f"{raw}: '{args}' is not a number of seconds")
        return ""
    ctx.pauses.append(min(max(seconds, 0.0), _MAX_SLEEP))
    return ""


_FUNCTIONS: dict[str, Callable[[str, str, FunctionContext], str]] = {
    "strftime_tz": _strftime_tz,
    "fmt_ph": _fmt_ph,
    "expr": _expr,
    "echo": lambda args, raw, ctx: args,
    "separate": _separate,
    "sleep": _sleep,
}


def evaluate_expr(text: str) -> float:
    """Arithmetic on literal numbers: ``+ - * /``, unary signs and parentheses; nothing else (a
    name, a call, a power) is an error. A recursive-descent parser, never ``eval``.

    Example:
        >>> evaluate_expr("(100 - 25) / 5"), evaluate_expr("-2 * -(3 + 1)")
        (15.0, 8.0)
    """
    if len(text) > _MAX_EXPR:
        raise ValueError(f"expression longer than {_MAX_EXPR} characters")
    parser = _Parser(text)
    value = parser.sum()
    parser.skip()
    if parser.pos != len(text):
        raise ValueError(f"unexpected '{text[parser.pos]}' in expression '{text}'")
    return value


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self.skip()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def sum(self) -> float:
        value = self.product()
        while self.peek() in ("+", "-") and self.peek():
            op = self.text[self.pos]
            self.pos += 1
            value = value + self.product() if op == "+" else value - self.product()
        return value

    def product(self) -> float:
        value = self.unary()
        while self.peek() in ("*", "/") and self.peek():
            op = self.text[self.pos]
            self.pos += 1
            right = self.unary()
            value = value * right if op == "*" else value / right
        return value

    def unary(self) -> float:
        char = self.peek()
        if char in ("+", "-") and char:
            self.pos += 1
            self.depth += 1
            if self.depth > _MAX_EXPR:
                raise ValueError("expression nested too deeply")
            value = self.unary()
            self.depth -= 1
            return -value if char == "-" else value
        if char == "(":
            self.pos += 1
            self.depth += 1
            if self.depth > 200:
                raise ValueError("expression nested too deeply")
            value = self.sum()
            if self.peek() != ")":
                raise ValueError(f"missing ')' in expression '{self.text}'")
            self.pos += 1
            self.depth -= 1
            return value
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            where = self.text[self.pos:self.pos + 10] or "the end"
            raise ValueError(f"expected a number at '{where}' in expression '{self.text}'")
        self.pos = match.end()
        return float(match.group(1))

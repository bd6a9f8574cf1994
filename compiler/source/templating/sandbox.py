"""Jinja's sandbox, bounded: no template may build more than a limit, spend more than a budget, or
write a Python object's repr into a document.

Jinja's own sandbox stops attribute tricks and bounds ``range``; a hostile repository can still
exhaust a machine through everything that builds text or lists (``'a'.ljust(10**9)``,
``'{:>1000000000}'.format(x)``, ``'%09999999d' % 1``, ``'a'|center(10**9)``,
``[[0]*999999]*999999``, ``lipsum(10**8)``) or loops forever (nested ``range(100000)``, an
include in a loop). Here every one of those is checked before it builds anything, and every
call, filter, include, loop turn and output chunk is charged to the render's
:class:`~compiler.core.limits.Budget`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from compiler.core.limits import Budget, BudgetExceeded, Limits
from compiler.source.templating.scope import Function, RenderScope

#: str methods whose first argument is the width of what they build.
_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
#: Width or precision in a format spec: ``{:>1000}``, ``%0999d``, ``{:.500f}``.
_FORMAT_WIDTHS = re.compile(r"(\d{4,})")
#: The largest integer a document may hold: 64 bits, as JSON readers and orjson take them.
MAX_INT = 2**63 - 1


class Loader(jinja2.BaseLoader):
    """``{% include 'prompts/intake.md' %}``: names are root-relative after ``join_path``."""

    def __init__(self) -> None:
        self.scope: RenderScope | None = None
        self.budget: Budget | None = None

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        assert self.scope is not None
        if self.budget is not None:
            self.budget.charge(1000, f"including {template}")
        return self.scope.source(template), None, lambda: True


def _widths_in(text: str) -> int:
    """The largest width or precision a format string asks for."""
    return max((int(n) for n in _FORMAT_WIDTHS.findall(text)), default=0)


class Environment(SandboxedEnvironment):
    """The sandbox with swmlc's bounds (see the module's docstring)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, loader: Loader, limits: Limits) -> None:
        super().__init__(loader=loader, undefined=jinja2.StrictUndefined, autoescape=False,
                         keep_trailing_newline=True, finalize=self.plain)
        self.limits = limits
        self.budget = Budget(limits)
        self.globals.update(_safe_globals(self))
        for name in ("center", "indent", "wordwrap", "format", "truncate"):
            self.filters[name] = _bounded_filter(self, name, self.filters[name])

    # -- operators and calls -------------------------------------------------------------

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.budget.charge(1, f"'{operator}'")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int):
                    self.budget.size(len(seq) * times, "repetition")
        elif operator == "**" and isinstance(right, int) and right > 10_000:
            raise jinja2.exceptions.SecurityError("exponent too large")
        elif operator == "%" and isinstance(left, str):
            self.budget.size(_widths_in(left), "a '%' format")
            _no_objects(right)
        elif operator == "+" and isinstance(left, str | list | tuple) \
                and isinstance(right, str | list | tuple):
            self.budget.size(len(left) + len(right), "'+'")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.budget.charge(1, "a call")
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name in _WIDTH_METHODS and args and isinstance(args[0], int):
                __self.budget.size(args[0], f"str.{name}()")
            elif name == "join" and args:
                _no_objects(args[0])
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``x._anything`` is refused outright, whether or not the object has it: a template
        probing for private attributes is an attack, not a typo."""
        if attribute.startswith("_"):
            raise jinja2.exceptions.SecurityError(f"access to attribute {attribute!r} of "
                                                  f"{type(obj).__name__!r} is not allowed")
        value = super().getattr(obj, attribute)
        if isinstance(obj, str) and attribute in ("format", "format_map") and callable(value):
            return self._checked_format(obj, value)
        return value

    def _checked_format(self, text: str, format_: Callable[..., Any]) -> Callable[..., Any]:
        """str.format, which the sandbox hands out as its own function, with the widths it asks
        for and its arguments checked first."""
        budget = self.budget

        def checked(*args: Any, **kwargs: Any) -> Any:
            budget.size(_widths_in(text), "str.format()")
            _no_objects(args)
            _no_objects(kwargs)
            return format_(*args, **kwargs)

        return checked

    def get_template(self, name: Any, parent: str | None = None,
                     globals: Any = None) -> Any:
        """Every ``{% include %}`` is charged, not only the first read of the file (Jinja caches
        what it read): an include in a long loop runs out of budget."""
        self.budget.charge(1000, f"including {name}")
        return super().get_template(name, parent, globals)

    def join_path(self, template: str, parent: str) -> str:
        loader = self.loader
        assert isinstance(loader, Loader) and loader.scope is not None
        return loader.scope.resolve(template, parent)

    # -- what reaches a document -----------------------------------------------------------

    def plain(self, value: Any) -> Any:
        """``value`` if a document can hold it: text, a number, a boolean, null, or lists and
        mappings of them, within the size bounds. Anything else (a function, a Python object)
        is refused, so no repr() of the compiler's objects ever reaches an output."""
        _plain(value, self.budget, [0])
        return value

    def stream(self, chunks: Iterator[str]) -> str:
        """A template's output, charged chunk by chunk so that a loop that writes forever is
        stopped by the budget, not by the machine's memory."""
        out: list[str] = []
        size = 0
        for chunk in chunks:
            size += len(chunk)
            self.budget.size(size, "the template's output")
            self.budget.charge(1, "an output chunk")
            out.append(chunk)
        return "".join(out)


_PLAIN = (str, bool, type(None))


def _plain(value: Any, budget: Budget, seen: list[int]) -> None:
    seen[0] += 1
    if seen[0] > budget.limits.template_value:
        budget.size(seen[0], "a value")
    if isinstance(value, jinja2.Undefined):
        str(value)  # raises UndefinedError, or SecurityError for a blocked attribute
    if isinstance(value, _PLAIN):
        if isinstance(value, str):
            budget.size(len(value), "a string")
        return
    if isinstance(value, int):
        if abs(value) > MAX_INT:
            raise jinja2.exceptions.SecurityError(
                "an integer beyond 64 bits cannot be written into a document")
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise jinja2.exceptions.SecurityError(
                f"{value} is not a number a document can hold (JSON has no infinity or NaN)")
        return
    if isinstance(value, list | tuple):
        for item in value:
            _plain(item, budget, seen)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _plain(key, budget, seen)
            _plain(item, budget, seen)
        return
    what = "a function" if callable(value) else f"a value of type {type(value).__name__}"
    raise jinja2.exceptions.SecurityError(
        f"{what} cannot be written into a document (call a function; convert other values "
        "with a filter such as | list or | join)")


def _no_objects(values: Any) -> None:
    """Arguments of a format or a join hold only text, numbers and lists of them: formatting a
    function would write its repr (with a memory address) into a document."""
    items = values.values() if isinstance(values, Mapping) else \
        values if isinstance(values, list | tuple) else (values,)
    for item in items:
        if callable(item) or not isinstance(item, (str, int, float, bool, type(None), list,
                                                   tuple, Mapping, jinja2.Undefined)):
            raise jinja2.exceptions.SecurityError(
                "a function or an object cannot be formatted into text")


def _bounded_filter(env: Environment, name: str, original: Callable[..., Any]
                    ) -> Callable[..., Any]:
    """``center``, ``indent``, ``wordwrap``, ``format`` and ``truncate`` with their sizes
    checked before they build anything."""

    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        env.budget.charge(1, f"| {name}")
        numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
        text = value if isinstance(value, str) else ""
        if name == "indent":
            lines = text.count("\n") + 1
            env.budget.size(len(text) + lines * max(numbers, default=4), "| indent")
        elif name == "format":
            env.budget.size(_widths_in(text), "| format")
            _no_objects(args)
            _no_objects(kwargs)
        else:
            env.budget.size(max(numbers, default=0), f"| {name}")
        return original(value, *args, **kwargs)

    return bounded


def _safe_globals(env: Environment) -> dict[str, Any]:
    """``range`` charged to the budget, ``lipsum`` bounded, and the objects with a memory
    address in their repr (``cycler``, ``joiner``) behind fixed texts."""
    jinja_range: Callable[..., Any] = env.globals["range"]  # type: ignore[assignment]
    jinja_lipsum: Callable[..., Any] = env.globals["lipsum"]  # type: ignore[assignment]
    cycler: Callable[..., Any] = env.globals["cycler"]  # type: ignore[assignment]
    joiner: Callable[..., Any] = env.globals["joiner"]  # type: ignore[assignment]

    def bounded_range(*args: int) -> Any:
        found = jinja_range(*args)
        env.budget.charge(len(found), f"range() of {len(found):,} items")
        return found

    def bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
        env.budget.size(n * max * 12, "lipsum()")
        return jinja_lipsum(n, html, min, max)

    return {"range": Function("range", bounded_range),
            "lipsum": Function("lipsum", bounded_lipsum),
            "cycler": Function("cycler", cycler), "joiner": Function("joiner", joiner)}


__all__ = ["MAX_INT", "BudgetExceeded", "Environment", "Loader"]

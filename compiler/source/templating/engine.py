"""Rendering one template string, and saying why one could not be rendered.

Compiled templates are cached by (folder, source text): a thousand agents sharing a base compile
its strings once. Each render gets a fresh budget (:class:`~compiler.core.limits.Budget`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from compiler.core import codes
from compiler.core.diagnostics import Label
from compiler.core.limits import Budget, BudgetExceeded, Limits
from compiler.core.suggest import did_you_mean
from compiler.core.tree import Span
from compiler.source.templating import simple
from compiler.source.templating.scope import Function, RenderScope, TemplateFailure
from compiler.source.templating.text import FUNCTIONS, WHOLE

if TYPE_CHECKING:  # pragma: no cover - jinja2 loads with the first template that needs it
    import jinja2

    from compiler.source.templating.sandbox import Environment, Loader

_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")


class Templates:
    """One Jinja environment and template cache per run (per process).

    Jinja itself is imported, and its sandbox built, only when a string needs more than
    variable substitution (:mod:`.simple`)."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.cache: dict[tuple[str, str], Any] = {}
        self.split: dict[str, simple.Parts | None] = {}
        self._env: Environment | None = None

    @property
    def env(self) -> Environment:
        if self._env is None:
            from compiler.source.templating.sandbox import Environment, Loader

            self._env = Environment(Loader(), self.limits)
        return self._env

    @property
    def loader(self) -> Loader:
        from compiler.source.templating.sandbox import Loader

        loader = self.env.loader
        assert isinstance(loader, Loader)
        return loader

    def _parts(self, text: str) -> simple.Parts | None:
        if text not in self.split:
            self.split[text] = simple.split(text)
        return self.split[text]

    def _compiled(self, source: str, file: str) -> Any:
        key = (os.path.dirname(file), source)
        found = self.cache.get(key)
        if found is None:
            whole = WHOLE.match(source)
            if whole and "{%" not in source:
                found = ("expr", self.env.compile_expression(whole.group("expr").strip(),
                                                             undefined_to_none=False))
            else:
                code = self.env.compile(source, name=file, filename=file)
                found = ("template", self.env.template_class.from_code(
                    self.env, code, self.env.make_globals(None), None))
            self.cache[key] = found
        return found

    def referenced_names(self, text: str) -> set[str]:
        """Variables a template string reads."""
        parts = self._parts(text)
        if parts is not None:
            return simple.names(parts)
        import jinja2
        from jinja2 import meta

        try:
            return set(meta.find_undeclared_variables(self.env.parse(text)))
        except jinja2.TemplateSyntaxError:
            return set()

    def render(self, text: str, span: Span, variables: Mapping[str, Any], scope: RenderScope
               ) -> Any:
        """The rendered value of ``text`` (a str, or any type for a whole expression)."""
        parts = self._parts(text)
        if parts is not None:
            done = simple.render(parts, variables, self.limits.template_value)
            if done is not None:
                return done
        return self._render(text, span, variables, scope)

    def _render(self, text: str, span: Span, variables: Mapping[str, Any], scope: RenderScope
                ) -> Any:
        import jinja2

        self.loader.scope = scope
        self.env.budget = self.loader.budget = Budget(self.env.limits)
        scope.site = span
        try:
            kind, compiled = self._compiled(text, span.file)
            context = {**variables, "env": Function("env", scope.env),
                       "secret": Function("secret", scope.secret),
                       "file": Function("file", scope.file)}
            if kind == "expr":
                return self.env.plain(compiled(**context))
            return self.env.stream(compiled.root_render_func(compiled.new_context(context)))
        except TemplateFailure as fail:
            raise fail from None
        except jinja2.TemplateSyntaxError as exc:
            raise _syntax(exc, span, scope) from None
        except (jinja2.exceptions.SecurityError, BudgetExceeded) as exc:
            raise TemplateFailure(codes.SANDBOX.at(
                span, f"not allowed in a template: {exc}",
                help="templates may use variables, filters and env/secret/file only"
                if isinstance(exc, jinja2.exceptions.SecurityError) else
                "build less in the template, or raise the limit in swmlc.yaml (limits:)"))\
                from None
        except RecursionError:
            raise TemplateFailure(codes.SANDBOX.at(
                span, "not allowed in a template: a macro or an include that calls itself "
                "without end", help="give the recursion a way out")) from None
        except jinja2.UndefinedError as exc:
            m = _UNDEFINED.match(str(exc))
            if m:
                raise _undefined(m.group(1), _name_at(span, m.group(1), scope),
                                 [*variables, *FUNCTIONS]) from None
            raise TemplateFailure(codes.UNDEFINED_VARIABLE.at(span, str(exc))) from None
        except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError, LookupError,
                AttributeError, MemoryError) as exc:
            raise TemplateFailure(codes.TEMPLATE_ERROR.at(
                span, f"template failed: {str(exc)[:300]}")) from None


def _syntax(exc: jinja2.TemplateSyntaxError, span: Span, scope: RenderScope) -> TemplateFailure:
    if exc.name and exc.name != span.file:  # in a file pulled in by {% include %}
        line = exc.lineno or 1
        return TemplateFailure(codes.TEMPLATE_SYNTAX.at(
            Span(exc.name, line, 1, line, 1), f"template syntax: {exc.message}",
            labels=(Label(span, "included from here"),)))
    return TemplateFailure(codes.TEMPLATE_SYNTAX.at(
        _line_in(span, exc.lineno, scope, exc.source), f"template syntax: {exc.message}"))


def _undefined(name: str, span: Span, names: list[str]) -> TemplateFailure:
    suggestion = did_you_mean(name, names)
    return TemplateFailure(codes.UNDEFINED_VARIABLE.at(
        span, f"undefined variable '{name}'",
        help=f"did you mean '{suggestion}'?" if suggestion else
        "define it under vars: (in the agent, a layer or swmlc.yaml), or pass --var "
        f"{name}=VALUE"))


def _name_at(span: Span, name: str, scope: RenderScope) -> Span:
    """Where the undefined ``name`` is used in the scalar's source, line and column; the whole
    scalar when the source does not show it (a file pulled in by ``{% include %}`` reads it)."""
    from compiler.source.templating.where import name_span

    text = scope.read_text(span.file)
    found = name_span(text, span, name) if isinstance(text, str) else None
    return found or span


def _line_in(span: Span, lineno: int | None, scope: RenderScope, value: str | None) -> Span:
    """Jinja counts lines from the start of the string; find that line in the YAML file."""
    from compiler.source.templating.where import line_span

    if not lineno or value is None:
        return span
    text = scope.read_text(span.file)
    found = line_span(text, span, value, lineno) if isinstance(text, str) else None
    return found or span

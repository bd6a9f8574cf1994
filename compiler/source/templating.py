"""Compile-time templating: Jinja2, sandboxed, strict, rendered once.

Every string of a definition may hold Jinja (``{{ company }}``, ``{% if %}``). SignalWire's own
runtime templates (``${global_data.x}``, ``%{args.x}``, ``@{...}``) are not Jinja syntax, so they
pass through byte for byte. Undefined names are errors (StrictUndefined), and the sandbox refuses
attribute tricks, so a definition cannot reach into the compiler. A string that is one whole
expression keeps the expression's type: ``"{{ timeout }}"`` gives 700, not "700".

Compiled templates are cached by (folder, source text): a thousand agents sharing a base compile
its strings once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic, Label
from compiler.core.secrets import placeholder
from compiler.core.suggest import did_you_mean
from compiler.core.tree import Map, Seq, Span

_WHOLE = re.compile(r"^\{\{(?P<expr>(?:(?!\{\{|\}\}).)*)\}\}$", re.S)
_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")
FUNCTIONS = ("env", "secret", "file")


def has_template(text: str) -> bool:
    return "{" in text and ("{{" in text or "{%" in text or "{#" in text)


class TemplateFailure(Exception):
    """Raised out of Jinja by our own functions and loader; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class RenderScope:
    """What one unit's templates may reach, and what they did reach (inputs, secrets)."""

    root: Path
    env_allowed: tuple[str, ...]
    secrets_allowed: tuple[str, ...]
    environ: Mapping[str, str] = field(repr=False)  # never in a repr: it holds the secrets
    read_text: Callable[[str], str | Diagnostic] = field(repr=False)
    inputs: list[str] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)
    site: Span | None = None

    def _site(self) -> Span:
        return self.site or Span("<template>", 0, 0, 0, 0)

    def env(self, name: str, default: Any = None) -> Any:
        if name not in self.env_allowed:
            raise TemplateFailure(codes.ENV_NOT_ALLOWED.at(
                self._site(), f"env('{name}') is not allowed",
                help=f"list it under 'env:' in swmlc.yaml (env: [{name}]) so the build's "
                     "dependence on the environment is declared"))
        if name in self.environ:
            return self.environ[name]
        if default is not None:
            return default
        raise TemplateFailure(codes.ENV_NOT_ALLOWED.at(
            self._site(), f"environment variable {name} is not set",
            help=f"set it, or give a default: env('{name}', 'value')"))

    def secret(self, name: str) -> str:
        if name not in self.secrets_allowed:
            suggestion = did_you_mean(name, self.secrets_allowed)
            raise TemplateFailure(codes.SECRET_NOT_DECLARED.at(
                self._site(), f"secret('{name}') is not declared",
                help=f"did you mean '{suggestion}'?" if suggestion else
                f"list it under 'secrets:' in swmlc.yaml (secrets: [{name}])"))
        self.secrets.add(name)
        return placeholder(name)

    def file(self, path: str) -> str:
        rel = self.resolve(path)
        text = self.read_text(rel)
        if isinstance(text, Diagnostic):
            raise TemplateFailure(text)
        return text

    def resolve(self, path: str, parent: str | None = None) -> str:
        from compiler.source.paths import resolve_path

        site = self._site()
        rel = resolve_path(self.root, parent or site.file, path, site)
        if isinstance(rel, Diagnostic):
            raise TemplateFailure(rel)
        if rel not in self.inputs:
            self.inputs.append(rel)
        return rel


class _Loader(jinja2.BaseLoader):
    """``{% include 'prompts/intake.md' %}``: names are root-relative after ``join_path``."""

    def __init__(self) -> None:
        self.scope: RenderScope | None = None

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        assert self.scope is not None
        text = self.scope.read_text(template)
        if isinstance(text, Diagnostic):
            raise TemplateFailure(text)
        return text, None, lambda: True


#: The longest string or list a template may build (a prompt is a few thousand characters).
MAX_TEMPLATE_VALUE = 1_000_000


class _Environment(SandboxedEnvironment):
    """The sandbox, plus a bound on ``*`` so ``'a' * 10**10`` is an error, not an exhausted
    machine (Jinja's sandbox bounds ``range`` but not repetition)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            size = 0
            if isinstance(left, str | list | tuple) and isinstance(right, int):
                size = len(left) * right
            elif isinstance(right, str | list | tuple) and isinstance(left, int):
                size = len(right) * left
            if size > MAX_TEMPLATE_VALUE:
                raise jinja2.exceptions.SecurityError(
                    f"repetition would build {size:,} items (limit {MAX_TEMPLATE_VALUE:,})")
        if operator == "**" and isinstance(right, int) and right > 10_000:
            raise jinja2.exceptions.SecurityError("exponent too large")
        return super().call_binop(context, operator, left, right)

    def join_path(self, template: str, parent: str) -> str:
        loader = self.loader
        assert isinstance(loader, _Loader) and loader.scope is not None
        return loader.scope.resolve(template, parent)


@dataclass
class Templates:
    """One Jinja environment and template cache per build (per process)."""

    env: _Environment = field(init=False)
    loader: _Loader = field(default_factory=_Loader)
    cache: dict[tuple[str, str], Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.env = _Environment(
            loader=self.loader, undefined=jinja2.StrictUndefined, autoescape=False,
            keep_trailing_newline=True, finalize=_plain)

    def _compiled(self, source: str, file: str) -> Any:
        key = (os.path.dirname(file), source)
        found = self.cache.get(key)
        if found is None:
            whole = _WHOLE.match(source)
            if whole and "{%" not in source:
                found = ("expr", self.env.compile_expression(whole.group("expr").strip(),
                                                             undefined_to_none=False))
            else:
                code = self.env.compile(source, name=file, filename=file)
                found = ("template", self.env.template_class.from_code(
                    self.env, code, self.env.make_globals(None), None))
            self.cache[key] = found
        return found

    def render(self, text: str, span: Span, variables: Mapping[str, Any], scope: RenderScope
               ) -> Any:
        """The rendered value of ``text`` (a str, or any type for a whole expression)."""
        self.loader.scope = scope
        scope.site = span
        names = [*variables, *FUNCTIONS]
        try:
            kind, compiled = self._compiled(text, span.file)
            context = {**variables, "env": _Function("env", scope.env),
                       "secret": _Function("secret", scope.secret),
                       "file": _Function("file", scope.file)}
            if kind == "expr":
                return _plain(compiled(**context))
            return compiled.render(context)
        except TemplateFailure as fail:
            raise fail from None
        except jinja2.TemplateSyntaxError as exc:
            if exc.name and exc.name != span.file:  # in a file pulled in by {% include %}
                line = exc.lineno or 1
                raise TemplateFailure(codes.TEMPLATE_SYNTAX.at(
                    Span(exc.name, line, 1, line, 1), f"template syntax: {exc.message}",
                    labels=(Label(span, "included from here"),))) from None
            raise TemplateFailure(codes.TEMPLATE_SYNTAX.at(
                _line_in(span, exc.lineno, scope), f"template syntax: {exc.message}")) from None
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateFailure(codes.SANDBOX.at(
                span, f"not allowed in a template: {exc}",
                help="templates may use variables, filters and env/secret/file only")) from None
        except jinja2.UndefinedError as exc:
            m = _UNDEFINED.match(str(exc))
            if m:
                raise _undefined(m.group(1), span, names) from None
            raise TemplateFailure(codes.UNDEFINED_VARIABLE.at(span, str(exc))) from None
        except (jinja2.TemplateError, ArithmeticError, TypeError, ValueError, LookupError,
                AttributeError) as exc:
            raise TemplateFailure(codes.TEMPLATE_ERROR.at(
                span, f"template failed: {exc}")) from None


class _Function:
    """env/secret/file as templates see them: callable, with a fixed text (``{{ 'x' ~ env }}``
    gives ``<function env>``, never the repr of the scope behind it), and nothing to reach
    through (the sandbox refuses the ``_call`` attribute)."""

    __slots__ = ("_call", "_name")

    def __init__(self, name: str, call: Callable[..., Any]) -> None:
        self._name = name
        self._call = call

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<function {self._name}>"

    __str__ = __repr__


_PLAIN = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """``value`` if a document can hold it: text, a number, a boolean, null, or lists and
    mappings of them. An undefined value raises its own error (undefined name, or the sandbox's
    refusal); anything else (a function such as ``env``, a generator, a Python object) is refused,
    so no repr() of the compiler's objects ever reaches an output."""
    if isinstance(value, jinja2.Undefined):
        str(value)  # raises UndefinedError, or SecurityError for a blocked attribute
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list | tuple):
        for item in value:
            _plain(item)
        return value
    if isinstance(value, Mapping):
        for key, item in value.items():
            _plain(key)
            _plain(item)
        return value
    what = "a function" if callable(value) else f"a value of type {type(value).__name__}"
    raise jinja2.exceptions.SecurityError(
        f"{what} cannot be written into a document (call a function; convert other values "
        "with a filter such as | list or | join)")


def _undefined(name: str, span: Span, names: list[str]) -> TemplateFailure:
    suggestion = did_you_mean(name, names)
    return TemplateFailure(codes.UNDEFINED_VARIABLE.at(
        span, f"undefined variable '{name}'",
        help=f"did you mean '{suggestion}'?" if suggestion else
        "define it under vars: (in the agent, a layer or swmlc.yaml), or pass --var "
        f"{name}=VALUE"))


def _line_in(span: Span, lineno: int | None, scope: RenderScope) -> Span:
    """Jinja counts lines from the start of the string; map that onto the YAML file."""
    if not lineno or lineno <= 1:
        return span
    text = scope.read_text(span.file)
    offset = lineno - 1
    if not isinstance(text, Diagnostic):
        lines = text.split("\n")
        first = lines[span.line - 1][span.col - 1:] if span.line - 1 < len(lines) else ""
        if first.lstrip().startswith(("|", ">")):
            offset += 1  # a block scalar's text starts on the line after its indicator
    line = span.line + offset
    return Span(span.file, line, 1, line, 1)


def render_value(value: Any, span: Span, variables: Mapping[str, Any], scope: RenderScope,
                 templates: Templates, report: Callable[[Diagnostic], None]) -> Any:
    """``value`` with every string rendered; structure and spans kept."""
    if isinstance(value, str):
        if not has_template(value):
            return value
        try:
            return wrap(templates.render(value, span, variables, scope), span)
        except TemplateFailure as fail:
            report(fail.diagnostic)
            return value
    # Copy on write: a container whose strings hold no template is returned as it is.
    if isinstance(value, Map):
        rendered = [render_value(value[k], value.value_spans[k], variables, scope, templates,
                                 report) for k in value]
        if all(new is old for new, old in zip(rendered, value.values(), strict=True)):
            return value
        out = Map(value.span, value.tag)
        for k, new in zip(value, rendered, strict=True):
            out.put(k, new, value.value_spans[k], value.key_spans[k])
        return out
    if isinstance(value, Seq):
        items = [render_value(item, value.item_span(i), variables, scope, templates, report)
                 for i, item in enumerate(value)]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        seq = Seq(value.span, value.tag)
        for i, new in enumerate(items):
            seq.push(new, value.item_span(i))
        return seq
    return value


def wrap(value: Any, span: Span) -> Any:
    """A plain value from a template, as a positioned tree (every part at the template's span)."""
    if isinstance(value, Map | Seq):
        return value
    if isinstance(value, Mapping):
        out = Map(span)
        for k, v in value.items():
            out.put(str(k), wrap(v, span), span)
        return out
    if isinstance(value, list | tuple):
        seq = Seq(span)
        for v in value:
            seq.push(wrap(v, span), span)
        return seq
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def referenced_names(text: str, templates: Templates) -> set[str]:
    """Variables a template string reads (for ordering variables that refer to each other)."""
    from jinja2 import meta

    try:
        return set(meta.find_undeclared_variables(templates.env.parse(text))) - set(FUNCTIONS)
    except jinja2.TemplateSyntaxError:
        return set()


def resolve_values(raw: Mapping[str, tuple[Any, Span, Span]], scope: RenderScope,
                   templates: Templates, report: Callable[[Diagnostic], None]) -> dict[str, Any]:
    """Variables ``name -> (value, value span, key span)`` with templates in their values
    rendered against the other variables, in dependency order; a cycle is reported and its
    variables keep their raw text. Used for an agent's variables and for swmlc.yaml's."""
    from compiler.core.diagnostics import Label
    from compiler.core.tree import walk

    resolved: dict[str, Any] = {}
    resolving: list[str] = []

    def deps(value: Any) -> set[str]:
        names: set[str] = set()
        for _, v in walk(value):
            if isinstance(v, str) and has_template(v):
                names |= referenced_names(v, templates)
        return names

    def get(name: str) -> None:
        if name in resolved:
            return
        if name in resolving:
            chain = [*resolving[resolving.index(name):], name]
            labels = tuple(Label(raw[n][2], f"'{n}' is defined here") for n in chain[1:-1])
            report(codes.VARIABLE_CYCLE.at(
                raw[name][2], f"variables refer to each other in a cycle: {' -> '.join(chain)}",
                labels=labels, help="give one of them a value that does not use the others"))
            resolved[name] = raw[name][0]
            return
        resolving.append(name)
        value, span, _ = raw[name]
        for dep in sorted(deps(value)):
            if dep in raw:
                get(dep)
        resolved[name] = render_value(value, span, resolved, scope, templates, report)
        resolving.pop()

    for name in raw:
        get(name)
    return resolved

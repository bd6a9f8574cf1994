"""What one unit's templates may reach (``env()``, ``secret()``, ``file()``, ``{% include %}``)
and what they did reach (the files read, the secrets named)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.core import codes
from compiler.core.diagnostics import Diagnostic
from compiler.core.secrets import placeholder
from compiler.core.suggest import did_you_mean
from compiler.core.tree import Span


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
        return self.source(self.resolve(path))

    def source(self, rel: str) -> str:
        """A file's text, for file() or {% include %}: never one holding placeholder-shaped
        text, which binding would later fill with an environment value."""
        text = self.read_text(rel)
        if isinstance(text, Diagnostic):
            raise TemplateFailure(text)
        if "<<secret:" in text:
            from compiler.core.secrets import PLACEHOLDER

            m = PLACEHOLDER.search(text)
            if m is not None:
                raise TemplateFailure(codes.PLACEHOLDER_IN_SOURCE.at(
                    self._site(), f"{rel} holds '{m.group(0)}' as text",
                    help="only secret('NAME'), for a name listed under secrets: in swmlc.yaml, "
                         "may stand for a secret"))
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


class Function:
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

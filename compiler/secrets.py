"""Secret placeholders: how a secret's name stands in for its value in build/.

A template's ``secret('NAME')`` renders as ``<<secret:NAME>>``. The marker is chosen so that it can
never be mistaken for either kind of template: it is not Jinja (``{{``) and not a SignalWire
runtime reference (``${``/``%{``), which the platform would silently expand to nothing. Values are
bound only when a document is deployed (``swmlc build --bind-secrets``) or loaded by a RELAY app
(``compiler.relay.ai_kwargs``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

PLACEHOLDER = re.compile(r"<<secret:([A-Za-z_][A-Za-z0-9_]*)>>")


def placeholder(name: str) -> str:
    return f"<<secret:{name}>>"


def names_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def _in_userinfo(text: str, start: int) -> bool:
    """Is offset ``start`` inside the user:password part of a URL?"""
    scheme = text.rfind("://", 0, start)
    if scheme < 0:
        return False
    between = text[scheme + 3:start]
    return "/" not in between and "@" in text[start:].split("/", 1)[0]


def bind_text(text: str, env: Mapping[str, str], missing: set[str]) -> str:
    """Replace each placeholder by its value; credentials inside a URL are percent-encoded so a
    password holding '@' or ':' cannot change where the URL points."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in env:
            missing.add(name)
            return m.group(0)
        value = env[name]
        return quote(value, safe="") if _in_userinfo(text, m.start()) else value

    return PLACEHOLDER.sub(sub, text)


def bind(value: Any, env: Mapping[str, str], missing: set[str]) -> Any:
    """A plain copy of ``value`` with placeholders bound; unset names collect in ``missing``."""
    if isinstance(value, str):
        return bind_text(value, env, missing) if "<<secret:" in value else value
    if isinstance(value, dict):
        return {k: bind(v, env, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [bind(v, env, missing) for v in value]
    return value


def secret_paths(value: Any, path: str = "") -> dict[str, list[str]]:
    """JSON pointer -> secret names, for the manifest."""
    out: dict[str, list[str]] = {}
    if isinstance(value, str):
        names = names_in(value)
        if names:
            out[path or "/"] = names
    elif isinstance(value, dict):
        for k, v in value.items():
            out.update(secret_paths(v, f"{path}/{str(k).replace('~', '~0').replace('/', '~1')}"))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.update(secret_paths(v, f"{path}/{i}"))
    return out

"""Binding secret placeholders to their values, at deploy time (``--bind-secrets``) or when a RELAY
app loads its agent (:func:`compiler.runtime.ai_kwargs`); never during a build.

Each value is encoded for where it lands: inside a URL (user, password, a path segment, a query
value) it is percent-encoded, so a secret holding ``&``, ``=``, ``/``, ``@`` or a space cannot
change what the URL says; anywhere else it is text, which the JSON or YAML writer escapes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from compiler.core.secrets import PLACEHOLDER
from compiler.core.urls import in_url


def bind_text(text: str, env: Mapping[str, str], missing: set[str]) -> str:
    """Replace each placeholder by its value, percent-encoded inside a URL.

    Example:
        >>> bind_text("https://h.example/w?key=<<secret:K>>", {"K": "a&b=c d"}, set())
        'https://h.example/w?key=a%26b%3Dc%20d'
        >>> bind_text("Say <<secret:K>>.", {"K": "a&b"}, set())
        'Say a&b.'
    """

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in env:
            missing.add(name)
            return m.group(0)
        value = env[name]
        return quote(value, safe="") if in_url(text, m.start()) else value

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

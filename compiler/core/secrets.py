"""Secret placeholders: how a secret's name stands in for its value in build/.

A template's ``secret('NAME')`` renders as ``<<secret:NAME>>``. The marker is chosen so that it can
never be mistaken for either kind of template: it is not Jinja (``{{``) and not a SignalWire
runtime reference (``${``/``%{``), which the platform would silently expand to nothing. Values are
bound only when a document is deployed (``swmlc build --bind-secrets``) or loaded by a RELAY app
(``compiler.runtime.ai_kwargs``); :mod:`compiler.core.bind` binds them.
"""

from __future__ import annotations

import re
from typing import Any

from compiler.core.tree import pointer_segment

PLACEHOLDER = re.compile(r"<<secret:([A-Za-z_][A-Za-z0-9_]*)>>")


def placeholder(name: str) -> str:
    return f"<<secret:{name}>>"


def names_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def secret_paths(value: Any, path: str = "") -> dict[str, list[str]]:
    """JSON pointer -> secret names, for the manifest."""
    out: dict[str, list[str]] = {}
    if isinstance(value, str):
        names = names_in(value)
        if names:
            out[path or "/"] = names
    elif isinstance(value, dict):
        for k, v in value.items():
            out.update(secret_paths(v, f"{path}/{pointer_segment(k)}"))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.update(secret_paths(v, f"{path}/{i}"))
    return out

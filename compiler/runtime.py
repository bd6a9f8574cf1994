"""What a RELAY app imports at run time: ``await call.ai(**ai_kwargs("build/support.relay.json"))``.

Standard library only (and swmlc's few stdlib-only modules), so an app that loads its agents
pays nothing for the compiler.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from compiler.core.bind import bind
from compiler.core.errors import SwmlcError
from compiler.signalwire.relay import RELAY_KWARGS


class RelayFileError(SwmlcError):
    """The file is not a .relay.json that swmlc wrote (or it cannot be read)."""


class UnboundSecretsError(SwmlcError, LookupError):
    """Secrets the agent needs are not set. Raised before anything reaches the platform, so an
    agent never starts with ``<<secret:NAME>>`` as its webhook password."""

    def __init__(self, path: str, names: list[str]) -> None:
        self.path = path
        self.names = names
        super().__init__(
            f"{path} needs secret{'s' if len(names) != 1 else ''} that "
            f"{'are' if len(names) != 1 else 'is'} not set: {', '.join(names)} "
            "(set them in the environment, or pass env={...})")

    def __str__(self) -> str:  # LookupError would repr() the message
        return str(self.args[0])


def ai_kwargs(path: str | os.PathLike[str], env: Mapping[str, str] = os.environ,
              secrets: Collection[str] | None = None) -> dict[str, Any]:
    """Load build/<agent>.relay.json with its secrets bound: ``await call.ai(**ai_kwargs(p))``.

    Every placeholder in the file is bound: a file swmlc built holds only those ``secret()``
    made for declared names (SWC309 refuses any other). Pass ``secrets`` (the names your
    swmlc.yaml declares) to read only those from ``env`` when the file may have been edited
    by hand: any other placeholder is then reported unset instead of bound.

    Raises :class:`UnboundSecretsError` naming every secret ``env`` lacks, and
    :class:`RelayFileError` for a file that is not a relay target output.

    Example:
        >>> import json, tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.relay.json"
        >>> _ = p.write_text(json.dumps({"prompt": {"text": "Hi"},
        ...     "post_prompt_url": "https://h.example/s",
        ...     "post_prompt_auth_password": "<<secret:PP>>"}))
        >>> ai_kwargs(p, env={"PP": "s3cret"})["post_prompt_auth_password"]
        's3cret'
        >>> ai_kwargs(p, env={})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        compiler.runtime.UnboundSecretsError: ... needs secret that is not set: PP (...)
    """
    shown = os.fspath(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RelayFileError(f"cannot read {shown}: {exc.strerror}") from None
    except ValueError as exc:
        raise RelayFileError(f"{shown} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RelayFileError(f"{shown} does not hold call.ai() keyword arguments (not an object)")
    unknown = [k for k in data if k not in RELAY_KWARGS]
    if unknown:
        raise RelayFileError(
            f"{shown} does not hold call.ai() keyword arguments (unexpected "
            f"{', '.join(repr(k) for k in unknown)}); build it with `swmlc build --target relay`")
    if secrets is not None:
        env = {name: env[name] for name in secrets if name in env}
    missing: set[str] = set()
    bound: dict[str, Any] = bind(data, env, missing)
    if missing:
        raise UnboundSecretsError(shown, sorted(missing))
    return bound

"""The RELAY target: the keyword arguments of signalwire-sdk's ``Call.ai()``, and the helper that
loads them at run time.

A RELAY app does not fetch SWML: it calls ``await call.ai(**kwargs)`` and the SDK sends the ``ai``
verb's fields itself. Two names differ from SWML, and both are the SDK's choice, not ours:
``params`` travels as the keyword ``ai_params`` (``params`` would shadow the SDK's own request
parameters), and the post-prompt webhook's basic-auth credentials are keywords of their own
(``post_prompt_auth_user``/``post_prompt_auth_password``) instead of ``user:pass@`` inside the URL.
Everything else is the ``ai`` object, field for field, so build/<agent>.relay.json is that object
with those two renames, written with the same secret placeholders as the SWML document.

This module is imported by RELAY apps at run time (``ai_kwargs``), so at module level it imports
only the standard library and swmlc's two lightest modules.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from compiler.errors import SwmlcError
from compiler.secrets import PLACEHOLDER, bind
from compiler.tree import Map, Seq, Span

#: Every keyword ``Call.ai()`` takes besides ``control_id`` and ``on_completed`` (which belong to
#: the app, not to the agent), in the SDK's order. A test holds this against the real signature.
RELAY_KWARGS: tuple[str, ...] = (
    "agent", "prompt", "post_prompt", "post_prompt_url", "post_prompt_auth_user",
    "post_prompt_auth_password", "global_data", "pronounce", "hints", "languages", "SWAIG",
    "ai_params",
)
#: ``ai`` verb field -> ``Call.ai()`` keyword, where they differ.
AI_TO_KWARG: dict[str, str] = {"params": "ai_params"}
KWARG_TO_AI: dict[str, str] = {v: k for k, v in AI_TO_KWARG.items()}
AUTH_KWARGS = ("post_prompt_auth_user", "post_prompt_auth_password")

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


# -- credentials inside a URL -----------------------------------------------------------------


def _mask(text: str) -> tuple[str, list[str]]:
    """Hide secret placeholders (whose ``<<secret:NAME>>`` holds a ':') behind ':'-free tokens,
    so the user:password split cannot cut a placeholder in two."""
    found: list[str] = []

    def sub(m: re.Match[str]) -> str:
        found.append(m.group(0))
        return f"\x00{len(found) - 1}\x00"

    return PLACEHOLDER.sub(sub, text), found


def _unmask(text: str, found: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: found[int(m.group(1))], text)


def _map_literals(text: str, fn: Callable[[str], str]) -> str:
    """Apply ``fn`` to the text between placeholders. (``split`` also returns the names, because
    the placeholder pattern captures them: literals sit at even indexes, names at odd ones.)"""
    pieces = PLACEHOLDER.split(text)
    return "".join(fn(p) if i % 2 == 0 else f"<<secret:{p}>>" for i, p in enumerate(pieces))


def _decode(part: str) -> str:
    """Percent-decode the literal parts of a userinfo component; placeholders stay as they are."""
    return _map_literals(part, unquote)


def _encode(part: str) -> str:
    """The inverse of :func:`_decode`: percent-encode literal text, keep placeholders."""
    return _map_literals(part, lambda text: quote(text, safe=""))


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``https://user:pass@host/p`` -> (``https://host/p``, user, password), percent-decoded.

    Placeholders may stand for either part (``https://<<secret:U>>:<<secret:P>>@host``). A URL
    without credentials comes back unchanged with (None, None).

    Example:
        >>> split_credentials("https://<<secret:U>>:p%40ss@hooks.example.com/s?x=1")
        ('https://hooks.example.com/s?x=1', '<<secret:U>>', 'p@ss')
        >>> split_credentials("https://hooks.example.com/a@b")
        ('https://hooks.example.com/a@b', None, None)
    """
    masked, found = _mask(url)
    m = _SCHEME.match(masked)
    if m is None:
        return url, None, None
    rest = masked[m.end():]
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    netloc = rest[:end]
    if "@" not in netloc:
        return url, None, None
    userinfo, host = netloc.rsplit("@", 1)
    user, sep, password = userinfo.partition(":")
    clean = _unmask(m.group(0) + host + rest[end:], found)
    return (clean, _decode(_unmask(user, found)),
            _decode(_unmask(password, found)) if sep else None)


def join_credentials(url: str, user: str | None, password: str | None) -> str:
    """Put credentials back into a URL: the inverse of :func:`split_credentials`.

    Example:
        >>> join_credentials("https://hooks.example.com/s", "<<secret:U>>", "p@ss")
        'https://<<secret:U>>:p%40ss@hooks.example.com/s'
    """
    if user is None and password is None:
        return url
    m = _SCHEME.match(url)
    userinfo = _encode(user or "") + (f":{_encode(password)}" if password is not None else "")
    if m is None:
        return f"{userinfo}@{url}"
    return m.group(0) + userinfo + "@" + url[m.end():]


# -- lowering ----------------------------------------------------------------------------------


def lower_relay(ai: Map) -> Map:
    """The ``Call.ai()`` keyword arguments for a lowered ``ai`` object, spans kept.

    Keys keep the ``ai`` object's order; the two auth keywords follow ``post_prompt_url``.
    """
    out = Map(ai.span)
    for key in ai:
        value = ai[key]
        if key == "post_prompt_url" and isinstance(value, str):
            clean, user, password = split_credentials(value)
            span, key_span = ai.value_spans[key], ai.key_spans[key]
            out.put(key, clean, span, key_span)
            if user is not None:
                out.put("post_prompt_auth_user", user, span, key_span)
            if password is not None:
                out.put("post_prompt_auth_password", password, span, key_span)
        else:
            out.copy_entry(ai, key, AI_TO_KWARG.get(key))
    return out


def relay_as_ai(kwargs: Mapping[str, Any]) -> Map:
    """The ``ai`` verb object the SDK sends for these keyword arguments (``ai_params`` back to
    ``params``, the auth keywords back into the URL), spans kept when ``kwargs`` is a Map.

    This is what the official schema judges: a RELAY agent is valid exactly when the ``ai`` verb
    the SDK sends on its behalf is.
    """
    span = kwargs.span if isinstance(kwargs, Map) else Span("<relay>", 0, 0, 0, 0)
    out = Map(span)

    def spans(key: str) -> tuple[Span, Span]:
        if isinstance(kwargs, Map):
            return kwargs.value_span(key), kwargs.key_span(key)
        return span, span

    for key, value in kwargs.items():
        if key in AUTH_KWARGS or key == "agent":
            continue
        if key == "post_prompt_url" and isinstance(value, str):
            value = join_credentials(value, kwargs.get("post_prompt_auth_user"),
                                     kwargs.get("post_prompt_auth_password"))
        out.put(KWARG_TO_AI.get(key, key), value, *spans(key))
    return out


def relay_as_swml(kwargs: Map) -> Map:
    """A one-verb SWML document around :func:`relay_as_ai`, for the official schema."""
    main = Seq(kwargs.span)
    verb = Map(kwargs.span)
    verb.put("ai", relay_as_ai(kwargs), kwargs.span)
    main.push(verb, kwargs.span)
    sections = Map(kwargs.span)
    sections.put("main", main, kwargs.span)
    doc = Map(kwargs.span)
    doc.put("version", "1.0.0", kwargs.span)
    doc.put("sections", sections, kwargs.span)
    return doc


# -- run time ----------------------------------------------------------------------------------


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


def ai_kwargs(path: str | os.PathLike[str], env: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Load build/<agent>.relay.json with its secrets bound: ``await call.ai(**ai_kwargs(p))``.

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
        compiler.relay.UnboundSecretsError: ... needs secret that is not set: PP (...)
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
    missing: set[str] = set()
    bound: dict[str, Any] = bind(data, env, missing)
    if missing:
        raise UnboundSecretsError(shown, sorted(missing))
    return bound

"""What ``swmlc exec --live --record`` leaves out of a fixture file: a recorded exchange is
committed to a repository, so no secret or credential may reach it.

- Each secret value bound for the live run (``<<secret:NAME>>`` in the compiled document, read
  from the environment) is written back as its placeholder wherever it shows, as sent or
  percent-encoded or JSON-escaped: in the URL, the auth user, the bodies. A fixture run matches
  the placeholders as compiled, so the recording still answers.
- A query value under a credential-looking name (``key``, ``token``, ``password``...) that is
  not a placeholder becomes ``*``, and the URL a glob, so it still matches.
- A JSON body's keys of such names are left out (a fixture's ``json`` is matched as a subset).
- Passwords and request headers are never written (by the recorder itself).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote

__all__ = ["is_credential_name", "scrub_query", "scrub_text", "scrub_value"]

_CREDENTIAL_WORDS = ("key", "token", "secret", "password", "passwd", "pwd", "signature",
                     "auth", "credential")


def is_credential_name(name: str) -> bool:
    """A query or JSON key whose value is a credential, by the names APIs give them.

    Example:
        >>> [is_credential_name(n) for n in ("api_key", "appid", "sig", "access_token", "q")]
        [True, False, True, True, False]
    """
    lowered = name.lower()
    return lowered == "sig" or any(word in lowered for word in _CREDENTIAL_WORDS)


def _forms(value: str) -> list[str]:
    """The ways ``value`` shows in what was sent or received."""
    escaped = json.dumps(value, ensure_ascii=False)[1:-1]
    return sorted({value, quote(value, safe=""), quote(value), escaped}, key=len, reverse=True)


def scrub_text(text: str, secrets: Mapping[str, str]) -> str:
    """``text`` with each secret's value replaced by its placeholder.

    Example:
        >>> scrub_text("https://h.example/w?k=a%26b", {"K": "a&b"})
        'https://h.example/w?k=<<secret:K>>'
    """
    for name, value in sorted(secrets.items(), key=lambda kv: -len(kv[1])):
        if value:
            for form in _forms(value):
                text = text.replace(form, f"<<secret:{name}>>")
    return text


def scrub_query(url: str) -> str:
    """``url`` with each credential-looking query value that is not a placeholder as ``*``.

    Example:
        >>> scrub_query("https://h.example/w?q=Austin&api_key=abc123&t=<<secret:T>>")
        'https://h.example/w?q=Austin&api_key=*&t=<<secret:T>>'
    """
    base, mark, query = url.partition("?")
    if not mark:
        return url
    query, hash_mark, fragment = query.partition("#")
    pairs = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        if eq and value and "<<secret:" not in value and is_credential_name(unquote(name)):
            value = "*"
        pairs.append(f"{name}{eq}{value}")
    return f"{base}?{'&'.join(pairs)}{hash_mark}{fragment}"


def scrub_value(value: Any, secrets: Mapping[str, str]) -> Any:
    """A JSON value with secrets as placeholders and credential-named keys left out."""
    if isinstance(value, str):
        return scrub_text(value, secrets)
    if isinstance(value, dict):
        return {k: scrub_value(v, secrets) for k, v in value.items()
                if not (is_credential_name(str(k)) and isinstance(v, str)
                        and "<<secret:" not in scrub_text(v, secrets))}
    if isinstance(value, list):
        return [scrub_value(v, secrets) for v in value]
    return value

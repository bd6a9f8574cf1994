"""Where credentials sit in an agent or a SWML document, and which of them are written out.

One recogniser for every part of swmlc that cares: ``swmlc import`` moves each literal
credential it finds into a declared secret, and the literal-credentials check (SWC422) reports
them in a definition. Both must agree on what a credential is, so it is decided here, on plain
strings and mappings, with no knowledge of the tree or of diagnostics:

* in a URL, anywhere in a string: the ``user:password@`` part, and query parameters that carry
  a key or a token (``?__token=``, the SDK's per-function token; ``key=``, ``apikey=``,
  ``token=``, ``access_token=``...);
* in ``headers``: ``Authorization`` (the part after ``Bearer``/``Basic``) and the API-key and
  token headers (``X-Api-Key``, ``X-RapidAPI-Key``, ``X-Auth-Token``...);
* in ``meta_data``: a key named for a secret (``api_key``, ``token``, ``password``...).

A credential is *literal* when it is written out: not empty, and not a stand-in for a value set
elsewhere (a ``<<secret:NAME>>`` placeholder, a Jinja template, a SignalWire runtime
``${...}``). :func:`looks_secret` tells a token-shaped value (``sk_live_...``, a JWT, 32 random
characters) from a placeholder a document was published with (``KEY``, ``replace-me``,
``<RAPID_API_KEY>``), for a check that must not flag ordinary words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from compiler.core.secrets import PLACEHOLDER

#: A URL inside a text: a scheme, then everything up to a space, a quote or an angle bracket
#: (a secret placeholder's ``<<...>>`` is part of the URL).
URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://(?:" + PLACEHOLDER.pattern + r"|[^\s\"'<>])*")
#: Values set elsewhere: a secret placeholder, Jinja, a SignalWire runtime template.
STAND_IN = re.compile(PLACEHOLDER.pattern + r"|\{\{.*?\}\}|\{%.*?%\}|[$%]\{[^{}]*\}")

#: Query parameters that carry a credential (compared in lower case).
QUERY_NAMES = frozenset({
    "__token", "token", "access_token", "auth_token", "id_token", "key", "apikey", "api_key",
    "api-key", "client_secret", "secret", "password", "passwd", "signature", "sig",
})
#: Header names that carry a credential, whole (compared in lower case); and name endings.
HEADER_NAMES = frozenset({"authorization", "proxy-authorization", "cookie", "api-key",
                          "apikey", "x-api-key", "x-auth-token", "x-access-token", "token"})
HEADER_ENDINGS = ("api-key", "apikey", "-token", "-secret", "-password")
#: ``Authorization`` schemes: the credential is what follows the scheme.
AUTH_SCHEMES = re.compile(r"^(?:Bearer|Basic|Token|Digest|Bot|ApiKey|Key)\s+", re.IGNORECASE)
#: meta_data keys named for a secret (compared in lower case, ``-`` read as ``_``).
FIELD_WORDS = ("api_key", "apikey", "token", "secret", "password", "passwd", "private_key",
               "access_key", "credentials")
FIELD_NAMES = frozenset({"key", "auth", "authorization", "pwd", "pass"})

#: Prefixes of well-known token formats (Stripe, GitHub, Slack, OpenAI, AWS, Google, JWT...).
_TOKEN_PREFIXES = re.compile(
    r"^(?:sk|pk|rk)_(?:live|test)_|^sk-|^gh[pousr]_|^github_pat_|^xox[abprs]-|^AKIA|^ASIA|"
    r"^AIza|^eyJ[A-Za-z0-9_-]+\.|^SG\.|^glpat-|^PT[A-Za-z0-9]{20}")
_TOKEN_CHARS = re.compile(r"^[A-Za-z0-9_\-.+/=~%:]+$")


@dataclass(frozen=True, slots=True)
class Credential:
    """One credential: ``value`` is ``text[start:end]`` of the string it was found in.

    ``kind`` is ``user`` or ``password`` (a URL's user-info), ``query`` (a URL's query
    parameter), ``header`` or ``field`` (a ``meta_data`` key); ``name`` is the parameter,
    header or key name (``user``/``password`` for user-info). ``url`` is the URL it was found
    in, for a query parameter or user-info; ``scheme`` the ``Authorization`` scheme
    (``Bearer``, ``Basic``) before a header's credential.
    """

    kind: str
    name: str
    value: str
    start: int
    end: int
    url: str = ""
    scheme: str = ""

    @property
    def literal(self) -> bool:
        """Written out: not empty and holding no stand-in for a value set elsewhere."""
        return bool(self.value.strip()) and STAND_IN.search(self.value) is None

    @property
    def looks_secret(self) -> bool:
        return looks_secret(self.value)


def looks_secret(value: str) -> bool:
    """Is ``value`` shaped like a real key or token, rather than a word or a placeholder?

    Example:
        >>> [looks_secret(v) for v in ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "KEY", "replace-me",
        ...                            "<RAPID_API_KEY>", "i1vZCuUvzGWoBHYZIzJmogLvp2PRhuw1KR")]
        [True, False, False, False, True]
    """
    text = value.strip()
    if _TOKEN_PREFIXES.match(text):
        return True
    if len(text) < 16 or not _TOKEN_CHARS.match(text):
        return False
    kinds = sum(bool(re.search(p, text)) for p in ("[a-z]", "[A-Z]", "[0-9]"))
    return kinds >= 2 and not re.fullmatch(r"[A-Za-z]+(?:[-_][A-Za-z]+)*", text)


def in_text(text: str) -> list[Credential]:
    """The credentials of every URL inside ``text``: user-info and credential query parameters.

    Example:
        >>> [(c.kind, c.name, c.value) for c in in_text(
        ...     "https://bot:pw@h.example.com/swaig/?__token=abc&city=x")]
        [('user', 'user', 'bot'), ('password', 'password', 'pw'), ('query', '__token', 'abc')]
    """
    found: list[Credential] = []
    for m in URL.finditer(text):
        found += _url_credentials(text, m.start(), m.end())
    return found


def _masked(text: str) -> str:
    """``text`` with each stand-in's characters replaced by ``x`` (same length), so a ':' or a
    '/' inside ``<<secret:NAME>>`` or ``${a.b}`` cannot be taken for a separator."""
    return STAND_IN.sub(lambda m: "x" * len(m.group(0)), text)


def _url_credentials(text: str, start: int, end: int) -> list[Credential]:
    masked = _masked(text[start:end])
    url = text[start:end]
    scheme_end = masked.index("://") + 3
    stops = [i for i in (masked.find(c, scheme_end) for c in "/?#") if i >= 0]
    netloc_end = min(stops, default=len(masked))
    found: list[Credential] = []
    at = masked.rfind("@", scheme_end, netloc_end)
    if at >= 0:
        colon = masked.find(":", scheme_end, at)
        user_end = colon if colon >= 0 else at
        found.append(Credential("user", "user", url[scheme_end:user_end],
                                start + scheme_end, start + user_end, url))
        if colon >= 0:
            found.append(Credential("password", "password", url[colon + 1:at],
                                    start + colon + 1, start + at, url))
    query = masked.find("?", netloc_end)
    if query < 0:
        return found
    fragment = masked.find("#", query)
    query_end = fragment if fragment >= 0 else len(masked)
    pos = query + 1
    for part in masked[query + 1:query_end].split("&"):
        name, eq, _ = part.partition("=")
        if eq and name.lower() in QUERY_NAMES:
            v_start = pos + len(name) + 1
            v_end = pos + len(part)
            found.append(Credential("query", url[pos:pos + len(name)], url[v_start:v_end],
                                    start + v_start, start + v_end, url))
        pos += len(part) + 1
    return found


def is_credential_header(name: str) -> bool:
    lower = name.lower()
    return lower in HEADER_NAMES or lower.endswith(HEADER_ENDINGS)


def in_header(name: str, value: str) -> Credential | None:
    """The credential in one header, if the header carries one (after an auth scheme).

    Example:
        >>> c = in_header("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc")
        >>> (c.value, c.start) if c else None
        ('eyJhbGciOiJIUzI1NiJ9.e30.abc', 7)
        >>> in_header("Content-Type", "application/json") is None
        True
    """
    if not is_credential_header(name):
        return None
    scheme = AUTH_SCHEMES.match(value)
    start = scheme.end() if scheme else 0
    return Credential("header", name, value[start:], start, len(value),
                      scheme=scheme.group(0).strip() if scheme else "")


def is_credential_field(key: str) -> bool:
    lower = key.lower().replace("-", "_")
    return lower in FIELD_NAMES or any(word in lower for word in FIELD_WORDS)


def in_field(key: str, value: str) -> Credential | None:
    """The credential a ``meta_data`` key holds, when the key is named for one."""
    if not is_credential_field(key):
        return None
    return Credential("field", key, value, 0, len(value))


Path = tuple[str | int, ...]


def find(value: Any, path: Path = ()) -> Iterator[tuple[Path, Credential]]:
    """Every credential under ``value`` (a SWML document or an agent definition, as plain or
    positioned data), with the path of the string that holds it. Headers are recognised under
    a ``headers`` key, meta_data keys under ``meta_data`` (at any depth inside it)."""
    if isinstance(value, str):
        for cred in in_text(value):
            yield path, cred
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            here = (*path, key)
            if key == "headers" and isinstance(item, Mapping):
                yield from _headers(item, here)
            elif key == "meta_data" and isinstance(item, Mapping):
                yield from _fields(item, here)
            else:
                yield from find(item, here)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from find(item, (*path, i))


def _headers(headers: Mapping[str, Any], path: Path) -> Iterator[tuple[Path, Credential]]:
    for name, item in headers.items():
        if isinstance(item, str):
            cred = in_header(str(name), item)
            if cred is not None:
                yield (*path, name), cred
                continue
        yield from find(item, (*path, name))


def _fields(data: Mapping[str, Any], path: Path) -> Iterator[tuple[Path, Credential]]:
    for key, item in data.items():
        here = (*path, key)
        if isinstance(item, str):
            cred = in_field(str(key), item)
            if cred is not None:
                yield here, cred
                continue
        if isinstance(item, Mapping):
            yield from _fields(item, here)
        else:
            yield from find(item, here)

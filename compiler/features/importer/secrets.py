"""Credentials found in the documents, as the project's declared secrets.

Every literal credential (:mod:`compiler.core.credentials` decides what one is) is replaced by
a ``<<secret:NAME>>`` placeholder in the document the import must give back, and the
definition writes ``{{ secret('NAME') }}`` there. A name says what the secret is, and one
thing gets one name across the whole project:

* the user and password of a SWAIG server are ``SWAIG_USER``/``SWAIG_PASSWORD`` wherever they
  appear (function and default webhooks, SWAIG includes, a ``post_prompt_url`` on that host);
  other URLs' are named after their service (``POST_PROMPT_USER``, ``DEBUG_WEBHOOK_USER``,
  ``WEATHER_USER``);
* the SDK's per-function ``?__token=`` is ``<FUNCTION>_TOKEN`` (``TELL_JOKE_TOKEN``);
* an API key is ``<SERVICE>_API_KEY`` after the host it is sent to (``api.weatherapi.com`` gives
  ``WEATHER_API_KEY``), a token ``<SERVICE>_TOKEN``;
* a ``meta_data`` key is ``<FUNCTION>_<KEY>``.

Two different things that would get one name (two SWAIG servers) are told apart by their host
(``BRIANKWEST_SWAIG_USER``), the most used keeping the short name. One name may stand for
several values (every render of an SDK agent has its own random password): the values are the
deployer's to set, so the import says so once, and the check that the project builds back to
each document compares the placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from compiler.core import credentials
from compiler.core.credentials import Credential
from compiler.core.secrets import PLACEHOLDER, placeholder
from compiler.core.urls import split_credentials

Path = tuple[str | int, ...]
Role = tuple[str, ...]

_IP = re.compile(r"^\d+(?:\.\d+){3}$|^\[")
_RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost", "local", "tld", "internal"})
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu"})
_GENERIC_LABELS = frozenset({"www", "api", "app", "hooks", "hook", "webhook", "webhooks",
                             "swaig", "agent", "agents", "tools", "functions"})
#: Where a user and password are named after what they authenticate, by priority.
_CONTEXT_ORDER = ("SWAIG", "POST_PROMPT", "DEBUG_WEBHOOK")
_QUERY_WORDS = {"key": "API_KEY", "apikey": "API_KEY", "api_key": "API_KEY",
                "api-key": "API_KEY", "token": "TOKEN", "access_token": "TOKEN",
                "auth_token": "TOKEN", "id_token": "TOKEN", "client_secret": "SECRET",
                "secret": "SECRET", "password": "PASSWORD", "passwd": "PASSWORD",
                "signature": "SIGNATURE", "sig": "SIGNATURE"}


def token(text: str) -> str:
    """``text`` as part of a secret name: upper case, words joined by ``_``."""
    out = re.sub(r"[^A-Za-z0-9]+", "_", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text))
    out = out.strip("_").upper()
    return out if out and not out[0].isdigit() else f"S_{out}"


def host_of(url: str) -> str:
    """The host of a URL, without credentials or port."""
    clean = split_credentials(url)[0]
    rest = clean.split("://", 1)[-1]
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    return host.rsplit(":", 1)[0].lower() if not host.startswith("[") else host.lower()


def service_of(host: str) -> tuple[str, list[str]]:
    """A name for the service at ``host``, and more specific ones for when two hosts share it.

    Example:
        >>> service_of("api.weatherapi.com")[0], service_of("api.weather.example")[0]
        ('WEATHER', 'WEATHER')
        >>> service_of("real-time.p.rapidapi.com"), service_of("briankwest.ngrok.io")[0]
        (('RAPID', ['RAPIDAPI_COM', 'REAL_TIME_P_RAPIDAPI_COM']), 'NGROK')
    """
    if not host or _IP.match(host) or "." not in host:
        return "HOST", [token(host or "host")]
    labels = host.split(".")
    core = len(labels) - 2
    if labels[-1] in _RESERVED_TLDS:
        core = len(labels) - 2
    elif len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        core = len(labels) - 3
    label = labels[max(core, 0)]
    short = re.sub(r"[-_]?apis?$", "", label) or label
    domain = ".".join(labels[max(core, 0):])
    return token(short), [token(domain), token(host)]


def host_label(host: str) -> str:
    """The most telling label of a host, to tell two servers of one kind apart
    (``briankwest.ngrok.io`` gives ``BRIANKWEST``)."""
    for label in host.split("."):
        if label and label not in _GENERIC_LABELS:
            return token(label)
    return token(host)


@dataclass
class Found:
    """One literal credential in one document."""

    path: Path
    cred: Credential
    role: Role
    context: str
    #: The name it would have alone, and prefixes that tell it apart when it is not alone.
    name: str
    qualifiers: list[str]


@dataclass
class Secret:
    name: str
    role: Role
    values: list[str] = field(default_factory=list)
    places: int = 0


def _function_at(doc: Any, path: Path) -> str | None:
    """The name of the SWAIG function ``path`` lies in, if any."""
    node = doc
    name = None
    for i, part in enumerate(path):
        found = (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)) \
            or (isinstance(node, dict) and part in node)
        if not found:
            break
        node = node[part]
        if path[i - 1:i] == ("functions",) and isinstance(node, dict):
            name = node.get("function") if isinstance(node.get("function"), str) else name
    return name


def _context(doc: Any, path: Path) -> tuple[str, str | None]:
    """(what the string at ``path`` is for, the function it belongs to)."""
    keys = [p for p in path if isinstance(p, str)]
    fn = _function_at(doc, path)
    if "data_map" in keys:
        return "SERVICE", fn
    if keys[-1:] == ["post_prompt_url"]:
        return "POST_PROMPT", fn
    if keys[-1:] == ["debug_webhook_url"]:
        return "DEBUG_WEBHOOK", fn
    if "SWAIG" in keys and keys[-1:] in (["web_hook_url"], ["url"]):
        return "SWAIG", fn
    return "SERVICE", fn


def find(doc: Any) -> list[Found]:
    """Every literal credential in a (migrated) document, with its role and name."""
    out: list[Found] = []
    every = list(credentials.find(doc))
    # a user beside a password kept out of the document already (a secret, a runtime value)
    # was left in on purpose: only the password is secret
    kept_out = {(path, c.url) for path, c in every if c.kind == "password" and not c.literal}
    for path, cred in every:
        if not cred.literal or (cred.kind == "user" and (path, cred.url) in kept_out):
            continue
        context, fn = _context(doc, path)
        url = cred.url or _url_near(doc, path)
        host = host_of(url) if url else ""
        service, more = service_of(host)
        out.append(_named(path, cred, context, fn, host, service, more))
    return out


def _url_near(doc: Any, path: Path) -> str:
    """The URL a header belongs to (the webhook's ``url`` beside its ``headers``)."""
    node = doc
    for part in path[:-2]:
        node = node[part]
    return str(node.get("url", "")) if isinstance(node, dict) else ""


def _named(path: Path, cred: Credential, context: str, fn: str | None, host: str,
           service: str, more: list[str]) -> Found:
    qualifiers = [host_label(host), *more] if host else more
    if cred.kind in ("user", "password"):
        what = "USER" if cred.kind == "user" else "PASSWORD"
        base = context if context != "SERVICE" else service
        return Found(path, cred, ("userinfo", host, what), context, f"{base}_{what}",
                     qualifiers)
    if cred.kind == "query" and cred.name.lower() == "__token":
        subject = token(fn) if fn and context == "SWAIG" else context if context != "SERVICE" \
            else service
        return Found(path, cred, ("sdk-token", host, subject), context, f"{subject}_TOKEN",
                     qualifiers)
    if cred.kind == "field":
        owner = token(fn) if fn else "META_DATA"
        return Found(path, cred, ("field", owner, cred.name), context,
                     f"{owner}_{token(cred.name)}", qualifiers)
    word = _QUERY_WORDS.get(cred.name.lower(), "") if cred.kind == "query" else _header_word(
        cred)
    word = word or token(cred.name)
    name = f"{service}_KEY" if word == "API_KEY" and service.endswith("_API") else \
        f"{service}_{word}"
    return Found(path, cred, (cred.kind, host, word), context, name, qualifiers)


def _header_word(cred: Credential) -> str:
    lower = cred.name.lower()
    if lower in ("authorization", "proxy-authorization"):
        return {"bearer": "TOKEN", "token": "TOKEN", "basic": "BASIC_AUTH"}.get(
            cred.scheme.lower(), "AUTH")
    if "key" in lower:
        return "API_KEY"
    if "token" in lower:
        return "TOKEN"
    return token(cred.name)


def name_secrets(found: Iterable[Found], taken: Iterable[str] = (),
                 first: Iterable[Role] = ()) -> dict[Role, Secret]:
    """One secret per role, each with a name no other role has: the role with the most places
    keeps the short name (a role in ``first``, such as the project's SWAIG server's, before
    any), the others take their host's qualifiers, then a number."""
    preferred = set(first)
    roles: dict[Role, tuple[Found, int, int]] = {}
    for order, f in enumerate(found):
        if f.role in roles:
            seen, count, at = roles[f.role]
            roles[f.role] = (f if _says_more(f, seen) else seen, count + 1, at)
        else:
            roles[f.role] = (f, 1, order)
    ordered = sorted(roles, key=lambda r: (r not in preferred, -roles[r][1], roles[r][2]))
    used = set(taken)
    out: dict[Role, Secret] = {}
    groups: dict[str, list[Role]] = {}
    for role in ordered:
        groups.setdefault(roles[role][0].name, []).append(role)
    for role in ordered:
        found_as = roles[role][0]
        wanted = found_as.name
        shared = len(groups[wanted]) > 1 and groups[wanted][0] != role
        candidates = [f"{q}_{wanted}" for q in found_as.qualifiers] if shared else [wanted]
        name = next((c for c in candidates if c not in used), None)
        n = 2
        while name is None:
            name = f"{wanted}_{n}" if f"{wanted}_{n}" not in used else None
            n += 1
        used.add(name)
        out[role] = Secret(name, role)
    return out


def _says_more(new: Found, seen: Found) -> bool:
    """Does ``new`` name its role better than ``seen`` (a SWAIG webhook says more about a
    user and password than a post-prompt URL on the same host)?"""
    if new.context not in _CONTEXT_ORDER:
        return False
    return seen.context not in _CONTEXT_ORDER or \
        _CONTEXT_ORDER.index(new.context) < _CONTEXT_ORDER.index(seen.context)


def apply(doc: Any, found: list[Found], secrets: dict[Role, Secret]) -> Any:
    """A copy of ``doc`` with each credential replaced by its secret's placeholder; each
    secret learns the value it stands for (percent-decoded inside a URL, where binding
    encodes it again)."""
    by_path: dict[Path, list[Found]] = {}
    for f in found:
        by_path.setdefault(f.path, []).append(f)
        secret = secrets[f.role]
        value = secret_value(f)
        if value not in secret.values:
            secret.values.append(value)
        secret.places += 1
    return _replace(doc, (), by_path, secrets)


def secret_value(found: Found) -> str:
    """The value a secret stands for: as written, percent-decoded inside a URL (binding
    encodes a value again where it lands in one)."""
    return unquote(found.cred.value) if found.cred.kind in ("user", "password", "query") \
        else found.cred.value


def _replace(value: Any, path: Path, by_path: dict[Path, list[Found]],
             secrets: dict[Role, Secret]) -> Any:
    if isinstance(value, dict):
        return {k: _replace(v, (*path, k), by_path, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, (*path, i), by_path, secrets) for i, v in enumerate(value)]
    if isinstance(value, str) and path in by_path:
        for f in sorted(by_path[path], key=lambda f: -f.cred.start):
            value = value[:f.cred.start] + placeholder(secrets[f.role].name) + \
                value[f.cred.end:]
    return value


def placeholders_in(value: Any) -> set[str]:
    """The names of the ``<<secret:NAME>>`` placeholders a document holds already (one that
    swmlc built): they stay secrets, under their own names."""
    if isinstance(value, str):
        return set(PLACEHOLDER.findall(value))
    if isinstance(value, dict):
        return set().union(*(placeholders_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(placeholders_in(v) for v in value)) if value else set()
    return set()

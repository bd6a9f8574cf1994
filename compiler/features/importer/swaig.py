"""The project's SWAIG server: when functions share one (host, path and credentials), swmlc.yaml
names it once (``swaig.base_url``, ``auth_user``, ``auth_password``) and each function gives
only its ``webhook:`` path.

Only what compiles back exactly is rewritten: ``resolve_refs`` joins a path to the base URL with
its credentials, and sets ``SWAIG.defaults`` to the base URL for an agent that uses
``webhook:`` and has no defaults of its own. So a function's URL becomes a path only when
joining gives the very same string, in an agent that has SWAIG defaults (else the build would
add some); those defaults are left out of the definition only when they are exactly what the
build adds, where it adds them (just before the functions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compiler.core.secrets import PLACEHOLDER, placeholder
from compiler.core.urls import join_url, split_credentials, with_credentials


@dataclass(frozen=True)
class SwaigBase:
    """The base URL (no credentials) and the secrets holding its user and password."""

    base_url: str
    user: str | None
    password: str | None

    @property
    def auth_url(self) -> str:
        return with_credentials(self.base_url, placeholder(self.user) if self.user else None,
                                placeholder(self.password) if self.password else None)


_LITERAL = "\0literal"


def _secret_name(part: str | None) -> str | None:
    """The secret a URL's user or password is (None for none; a marker for a literal or a
    runtime template, which a project-wide base cannot hold)."""
    if part is None:
        return None
    m = PLACEHOLDER.fullmatch(part)
    return m.group(1) if m else _LITERAL


def _candidate(url: Any) -> SwaigBase | None:
    if not isinstance(url, str) or "://" not in url:
        return None
    clean, user, password = split_credentials(url)
    u, p = _secret_name(user), _secret_name(password)
    if _LITERAL in (u, p) or (u is None and p is not None):
        return None
    return SwaigBase(clean, u, p)


def path_for(url: Any, base: SwaigBase) -> str | None:
    """The ``webhook:`` path that joins to exactly ``url`` on ``base``, if there is one.

    Example:
        >>> b = SwaigBase("https://h.example.com/swaig/", "U", "P")
        >>> path_for("https://<<secret:U>>:<<secret:P>>@h.example.com/swaig/?__token=x", b)
        '/?__token=x'
        >>> path_for("https://h.example.com/swaig/f", b) is None  # not its credentials
        True
    """
    if not isinstance(url, str):
        return None
    stem = base.base_url.rstrip("/")
    found = _candidate(url)
    if found is None or (found.user, found.password) != (base.user, base.password):
        return None
    clean = found.base_url
    if not clean.startswith(stem + "/"):
        return None
    path = clean[len(stem):]
    return path if join_url(base.auth_url, path) == url else None


def choose_base(definitions: list[dict[str, Any]]) -> SwaigBase | None:
    """The SWAIG server most functions use, from the agents' own SWAIG defaults; None unless
    at least two functions would give a path instead of a URL."""
    counts: dict[SwaigBase, int] = {}
    for defn in definitions:
        found = _candidate((defn.get("swaig_defaults") or {}).get("web_hook_url")) \
            if isinstance(defn.get("swaig_defaults"), dict) else None
        if found is not None:
            counts.setdefault(found, 0)
    for base in counts:
        counts[base] = sum(path_for(fn.get("web_hook_url"), base) is not None
                           for defn in definitions if "swaig_defaults" in defn
                           for fn in _functions(defn))
    best = max(counts.items(), key=lambda kv: kv[1], default=None)
    return best[0] if best is not None and best[1] >= 2 else None


def _functions(defn: dict[str, Any]) -> list[dict[str, Any]]:
    fns = defn.get("functions")
    return [fn for fn in fns if isinstance(fn, dict)] if isinstance(fns, list) else []


def use_webhooks(defn: dict[str, Any], base: SwaigBase) -> dict[str, Any]:
    """``defn`` with each function URL on ``base`` written as a ``webhook:`` path, in its place;
    its SWAIG defaults left out when they are what the build adds."""
    if not isinstance(defn.get("swaig_defaults"), dict) or not _functions(defn):
        return defn
    changed = False
    functions: list[Any] = []
    for fn in defn["functions"]:
        path = path_for(fn.get("web_hook_url"), base) if isinstance(fn, dict) else None
        if path is None:
            functions.append(fn)
            continue
        functions.append({("webhook" if k == "web_hook_url" else k): (path if k == "web_hook_url"
                                                                       else v)
                          for k, v in fn.items()})
        changed = True
    if not changed:
        return defn
    keys = list(defn)
    implied = defn["swaig_defaults"] == {"web_hook_url": base.auth_url} and \
        keys.index("swaig_defaults") + 1 == keys.index("functions")
    return {k: (functions if k == "functions" else v) for k, v in defn.items()
            if not (implied and k == "swaig_defaults")}

"""URL credentials, in one place: how ``user:password@`` is read out of a URL, put into one, and
recognised in text.

SWML carries basic-auth credentials inside URLs (``https://user:pass@host/path``); the RELAY
target, the importer, ``webhook:`` paths joined to ``swaig.base_url``, secret binding and the
literal-credentials check all handle them. They share this module, so a value that goes into a
URL reads back the same: literal text is percent-encoded (a password holding ``@``, ``:`` or
``/`` cannot change where the URL points), while secret placeholders (``<<secret:NAME>>``) and
SignalWire runtime templates (``${...}``/``%{...}``), which are bound or expanded later, are kept
as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, unquote

from compiler.core.secrets import PLACEHOLDER

#: ``scheme://`` at the start of a URL.
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
#: ``scheme://userinfo@`` anywhere in a text; the user-info stops at '/', '?', '#' or a space.
USERINFO_IN_TEXT = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://([^/?#\s]*)@")
#: What stands for a value bound or expanded later, kept verbatim inside credentials.
STAND_IN = re.compile(PLACEHOLDER.pattern + r"|[$%]\{[^{}]*\}")


def _mask(text: str) -> tuple[str, list[str]]:
    """Hide stand-ins (``<<secret:NAME>>`` holds a ':') behind ':'-free tokens, so that the
    user:password split cannot cut one in two."""
    found: list[str] = []

    def sub(m: re.Match[str]) -> str:
        found.append(m.group(0))
        return f"\x00{len(found) - 1}\x00"

    return STAND_IN.sub(sub, text), found


def _unmask(text: str, found: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: found[int(m.group(1))], text)


def _map_literals(text: str, fn: Callable[[str], str]) -> str:
    """Apply ``fn`` to the text between stand-ins."""
    out: list[str] = []
    last = 0
    for m in STAND_IN.finditer(text):
        out += [fn(text[last:m.start()]), m.group(0)]
        last = m.end()
    out.append(fn(text[last:]))
    return "".join(out)


def encode_component(text: str) -> str:
    """Percent-encode literal text for a URL component; stand-ins are kept as they are."""
    return _map_literals(text, lambda part: quote(part, safe=""))


def decode_component(text: str) -> str:
    """The inverse of :func:`encode_component`."""
    return _map_literals(text, unquote)


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``https://user:pass@host/p`` -> (``https://host/p``, user, password), percent-decoded.

    Stand-ins may hold either part (``https://<<secret:U>>:<<secret:P>>@host``). A URL without
    credentials comes back unchanged with (None, None).

    Example:
        >>> split_credentials("https://<<secret:U>>:p%40ss@hooks.example.com/s?x=1")
        ('https://hooks.example.com/s?x=1', '<<secret:U>>', 'p@ss')
        >>> split_credentials("https://hooks.example.com/a@b")
        ('https://hooks.example.com/a@b', None, None)
    """
    masked, found = _mask(url)
    m = SCHEME.match(masked)
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
    return (clean, decode_component(_unmask(user, found)),
            decode_component(_unmask(password, found)) if sep else None)


def join_credentials(url: str, user: str | None, password: str | None) -> str:
    """Put credentials into a URL that has none: the inverse of :func:`split_credentials`.

    Example:
        >>> join_credentials("https://hooks.example.com/s", "<<secret:U>>", "p@ss:w/rd")
        'https://<<secret:U>>:p%40ss%3Aw%2Frd@hooks.example.com/s'
    """
    if user is None and password is None:
        return url
    m = SCHEME.match(url)
    userinfo = encode_component(user or "") + (
        f":{encode_component(password)}" if password is not None else "")
    if m is None:
        return f"{userinfo}@{url}"
    return m.group(0) + userinfo + "@" + url[m.end():]


def with_credentials(url: str, user: str | None, password: str | None) -> str:
    """``url`` with its credentials (if any) replaced by ``user``/``password``; unchanged when
    no user is given.

    Example:
        >>> with_credentials("https://old@t.example.com/swaig", "bob", "p@ss:w/rd")
        'https://bob:p%40ss%3Aw%2Frd@t.example.com/swaig'
    """
    if not user:
        return url
    return join_credentials(split_credentials(url)[0], user, password or None)


def join_url(base: str, path: str) -> str:
    """``base`` and a path, with exactly one '/' between them."""
    return base.rstrip("/") + "/" + path.lstrip("/")


def has_userinfo(url: str) -> bool:
    """Is ``url`` one URL (no spaces) with a ``user@`` or ``user:password@`` part?"""
    masked, _ = _mask(url)
    m = SCHEME.match(masked)
    if m is None or any(c.isspace() for c in masked):
        return False
    rest = masked[m.end():]
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    return "@" in rest[:end]


_URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def in_url(text: str, start: int) -> bool:
    """Is offset ``start`` of ``text`` inside a URL (after ``scheme://``, with no white space
    between)? A value bound there is one component of it: user, password, a path segment or a
    query value."""
    found = None
    for m in _URL_START.finditer(text, 0, start):
        found = m
    if found is None:
        return False
    return not any(c.isspace() for c in text[found.end():start])

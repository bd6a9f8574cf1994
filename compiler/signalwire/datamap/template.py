"""``${...}`` and ``%{...}`` expanded as the platform expands them during a call.

The rules (PLATFORM.md, "Expansion"): a path is read from the template data with
:func:`~compiler.signalwire.datamap.values.lookup`; a path that does not resolve becomes an empty
string (and is reported to ``unresolved``, which is how ``swmlc exec`` says *why* a reply came out
blank); a string goes in as it is, anything else as cJSON prints it; the helpers ``fmt_ph``,
``lc`` and ``enc`` apply in that fixed order whatever order they are written in; a template
nested in a path expands first, one level deep. Where a reference starts and ends, and which
prefixes are helpers, is read by :mod:`compiler.signalwire.runtime_refs`, the parser the static
checks use, so the two never disagree on what a helper is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compiler.signalwire.datamap.phone import national
from compiler.signalwire.datamap.values import MISSING, lookup, lower_ascii, value_text
from compiler.signalwire.runtime_refs import closing_brace, split_helpers

__all__ = ["Resolved", "Unresolved", "expand", "url_encode"]

#: Called with (the template as written, the path it read) for each that did not resolve.
Unresolved = Callable[[str, str], None]
#: Called with (the template as written, the text it put in) for each that did (``--trace``).
Resolved = Callable[[str, str], None]

# Bytes FreeSWITCH's switch_url_encode() encodes besides control and non-ASCII bytes.
_URL_UNSAFE = frozenset(b'\r\n #%&+:;<=>?@[\\]^`{|}"')
_UPPER_HEX = frozenset(b"0123456789ABCDEF")


def url_encode(value: str) -> str:
    """URL-encode as FreeSWITCH's ``switch_url_encode`` does: ``/ , $ ! ' ( ) *`` stay, and a
    ``%`` already followed by two upper-case hex digits is kept, so nothing is encoded twice.

    Example:
        >>> url_encode("São Paulo, SP/BR 100%"), url_encode("a%20b")
        ('S%C3%A3o%20Paulo,%20SP/BR%20100%25', 'a%20b')
    """
    raw = value.encode("utf-8")
    last = len(raw) - 1
    out: list[str] = []
    for i, byte in enumerate(raw):
        if byte == 0x25 and last - i > 1 and raw[i + 1] in _UPPER_HEX \
                and raw[i + 2] in _UPPER_HEX:
            out.append("%")
        elif byte < 0x20 or byte > 0x7E or byte in _URL_UNSAFE:
            out.append(f"%{byte:02X}")
        else:
            out.append(chr(byte))
    return "".join(out)


def _apply(text: str, helpers: tuple[str, ...]) -> str:
    """The helpers, in the platform's order (fmt_ph, lc, enc); an empty value stays empty."""
    if not text:
        return text
    if "fmt_ph" in helpers:
        text = national(text)
    if "lc" in helpers:
        text = lower_ascii(text)
    if "enc" in helpers:
        text = url_encode(text)
    return text


def expand(template: str, data: Any, *, escape_json: bool = False,
           unresolved: Unresolved | None = None, nested: bool = True,
           resolved: Resolved | None = None) -> str:
    """``template`` with every ``${...}``/``%{...}`` replaced from ``data``.

    ``escape_json`` is for JSON text (an output expanded before it is parsed): a string value's
    ``"`` and ``\\`` are escaped so the text stays JSON. ``@{...}`` functions are left alone:
    :mod:`compiler.signalwire.datamap.functions` runs them afterwards.

    Example:
        >>> data = {"args": {"Dept": "Sales"}, "meta_data": {"t": {"sales": "+15550100"}}}
        >>> expand("Call ${meta_data.t.${lc:args.dept}} (%{args.nope}).", data)
        'Call +15550100 ().'
    """
    parts: list[str] = []
    i, n = 0, len(template)
    while i < n:
        char = template[i]
        if char not in "$%" or i + 1 >= n or template[i + 1] != "{":
            parts.append(char)
            i += 1
            continue
        end = closing_brace(template, i + 1)
        if end < 0:  # never closed: the text stays as written
            parts.append(char)
            i += 1
            continue
        body = template[i + 2:end]
        if body:
            text = _resolve(template[i:end + 1], body, data, escape_json, unresolved, nested)
            if resolved is not None:
                resolved(template[i:end + 1], text)
            parts.append(text)
        i = end + 1
    return "".join(parts)


def _resolve(raw: str, body: str, data: Any, escape_json: bool,
             unresolved: Unresolved | None, nested: bool) -> str:
    helpers, _, path = split_helpers(body)
    if nested and ("${" in path or "%{" in path):
        path = expand(path, data, escape_json=escape_json, unresolved=unresolved, nested=False)
    value = lookup(data, path)
    if value is MISSING:
        if unresolved is not None:
            unresolved(raw, path)
        return ""
    return _apply(value_text(value, escape_json), helpers)

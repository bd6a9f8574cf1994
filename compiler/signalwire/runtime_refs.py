"""Find SignalWire runtime templates (``${...}``, ``%{...}``, ``@{...}``) in a string.

swmlc never expands these: the platform does, during the call, and a path that does not resolve
silently becomes an empty string. So the static checks need to *see* every reference, with its
offsets for a caret, to say "``args.q`` is empty inside a webhook's output" before a caller hears
a blank. The grammar follows the platform as PLATFORM.md and the SDK's DataMap guide describe it:

- ``${path}`` and ``%{path}`` are the same thing; a path is dot-separated names with zero-based
  ``[n]`` indexes (negative from the end): ``${results[-1].title}``.
- Helpers prefix the path, ``${enc:lc:args.q}``, and match without regard to case. An unknown
  prefix is *not* a helper: ``${enc:url:args.q}`` reads the path ``url:args.q`` (so it expands to
  nothing); the parser records it in ``unknown_helper`` for a lint to report.
- One level of nesting: ``${meta_data.contacts.${lc:args.department}}``. The inner value becomes
  part of the outer path, so that segment is dynamic.
- ``@{name args}`` calls a template function.

Jinja (``{{ x }}``, ``{% if %}``) is compile-time syntax and never a runtime reference.

The parser never raises: it is fed every string of every user document, including half-typed
ones. What it cannot make sense of comes back as a ref with ``malformed`` set to a short reason.
Offsets are ``str`` indexes (code points) into the text given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Literal, TypeAlias

Sigil: TypeAlias = Literal["$", "%", "@"]
PathSegment: TypeAlias = str | int

KNOWN_HELPERS: frozenset[str] = frozenset({"enc", "lc", "fmt_ph"})
KNOWN_FUNCTIONS: frozenset[str] = frozenset(
    {"strftime_tz", "fmt_ph", "expr", "echo", "separate", "sleep"}
)

UNTERMINATED = "unterminated"
_OPEN = re.compile(r"[$%@]\{")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INDEX = re.compile(r"-?\d{1,18}")  # bounded: int() refuses very long digit strings
_FUNCTION = re.compile(r"([^\s}]*)\s*(.*)", re.DOTALL)
# Characters an unterminated reference's visible part may hold (so the caret covers
# `${args.x`, not the rest of the line).
_PATHISH = re.compile(r"[^\s$%@{}]*")


@dataclass(frozen=True, slots=True)
class RuntimeRef:
    """One runtime template in a string.

    ``raw`` is ``text[start:end]``. For ``$``/``%`` refs, ``helpers`` are the recognised helper
    prefixes (lowercased, as written in order), ``path`` the segments (``str`` names as written,
    ``int`` indexes) and ``root`` the first name lowercased, the platform matching names without
    regard to case. A segment holding a nested ref is its raw text (``"${lc:args.department}"``)
    and ``root`` is None when the first segment is one. For ``@`` refs, ``function`` and ``args``
    are set instead. ``malformed`` is None for a well-formed ref, else a short reason.
    """

    start: int
    end: int
    raw: str
    sigil: Sigil
    inner: str = ""
    helpers: tuple[str, ...] = ()
    unknown_helper: str | None = None
    path: tuple[PathSegment, ...] = ()
    root: str | None = None
    nested: tuple[RuntimeRef, ...] = ()
    function: str | None = None
    args: str | None = None
    malformed: str | None = None

    @property
    def is_function(self) -> bool:
        """An ``@{...}`` call rather than a variable reference."""
        return self.sigil == "@"

    @property
    def known_function(self) -> bool:
        """True for one of the functions the platform implements (only for ``@`` refs)."""
        return self.function is not None and self.function.lower() in KNOWN_FUNCTIONS

    @property
    def is_dynamic(self) -> bool:
        """True when part of the path comes from a nested ref, so it is known only at run time."""
        return any(_is_dynamic(segment) for segment in self.path)

    @property
    def static_path(self) -> tuple[PathSegment, ...]:
        """The path up to its first dynamic segment: the part a compile-time check can resolve."""
        for index, segment in enumerate(self.path):
            if _is_dynamic(segment):
                return self.path[:index]
        return self.path


def split_helpers(body: str) -> tuple[tuple[str, ...], str | None, str]:
    """The helper prefixes of a reference's body, as the platform strips them: (the known
    helpers, lowercased, in the order written; the first unknown ``name:`` prefix or None; the
    rest, which is the path). The evaluator and the checks both read helpers through here.

    Example:
        >>> split_helpers("ENC:lc:args.q"), split_helpers("enc:url:args.q")
        ((('enc', 'lc'), None, 'args.q'), (('enc',), 'url', 'url:args.q'))
    """
    helpers: list[str] = []
    rest = body
    while True:
        colon = rest.find(":")
        candidate = rest[:colon]
        if colon == -1 or not _IDENT.fullmatch(candidate):
            return tuple(helpers), None, rest
        if candidate.lower() not in KNOWN_HELPERS:
            return tuple(helpers), candidate, rest
        helpers.append(candidate.lower())
        rest = rest[colon + 1 :]


def closing_brace(text: str, open_at: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``open_at`` the way the platform's
    expander finds it (every brace counts, lines do not matter), or -1.

    :func:`find_refs` is stricter for the checks (a reference ends at its line, and a stray
    brace inside one is reported); what a template *expands to* is decided here.

    Example:
        >>> closing_brace("${a.${b}}", 1), closing_brace("${a", 1)
        (8, -1)
    """
    depth = 0
    for index in range(open_at, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _is_dynamic(segment: PathSegment) -> bool:
    return isinstance(segment, str) and ("${" in segment or "%{" in segment)


def contains_ref(text: str) -> bool:
    """Cheap pre-check: could ``text`` hold a runtime template at all?"""
    return isinstance(text, str) and _OPEN.search(text) is not None


def find_refs(text: str) -> list[RuntimeRef]:
    """Every top-level runtime template in ``text``, in order; nested ones hang off ``nested``.

    Example:
        >>> [r.path for r in find_refs("Hi ${global_data.name}, it is @{strftime_tz UTC %H}")]
        [('global_data', 'name'), ()]
    """
    if not isinstance(text, str):
        return []
    refs: list[RuntimeRef] = []
    pos = 0
    while True:
        match = _OPEN.search(text, pos)
        if match is None:
            return refs
        start = match.start()
        ref = _scan(text, start, depth=0)
        refs.append(ref)
        # An unterminated ref swallows nothing: later refs on the line are still reported.
        pos = start + 2 if ref.malformed == UNTERMINATED else ref.end


def walk_refs(refs: Iterable[RuntimeRef]) -> Iterator[RuntimeRef]:
    """Each ref, then the refs nested in it: what a check that looks at every path wants."""
    for ref in refs:
        yield ref
        yield from walk_refs(ref.nested)


def _scan(text: str, start: int, depth: int) -> RuntimeRef:
    """Read the ref whose sigil is at ``start`` (``text[start + 1]`` is ``{``)."""
    sigil: Sigil = "@" if text[start] == "@" else "%" if text[start] == "%" else "$"
    n = len(text)
    i = start + 2
    nested: list[RuntimeRef] = []
    too_deep = False
    # Cheap early exit: no `}` before the end of the line means no end for this ref.
    close, newline = text.find("}", i), text.find("\n", i)
    if close != -1 and (newline == -1 or close < newline):
        while i < n:
            char = text[i]
            if char == "}":
                return _build(text, start, i + 1, sigil, nested, too_deep)
            if char == "\n":
                break
            if char in "$%" and i + 1 < n and text[i + 1] == "{":
                if depth == 0:
                    child = _scan(text, i, depth=1)
                    if child.malformed == UNTERMINATED:
                        break
                    nested.append(child)
                    i = child.end
                    continue
                too_deep = True
                i += 2
                continue
            i += 1
    return _unterminated(text, start, sigil)


def _unterminated(text: str, start: int, sigil: Sigil) -> RuntimeRef:
    match = _PATHISH.match(text, start + 2)
    end = match.end() if match else start + 2
    inner = text[start + 2 : end]
    ref = _build_parts(start, end, text[start:end], sigil, inner, (), None)
    return replace(ref, malformed=UNTERMINATED)


def _build(
    text: str, start: int, end: int, sigil: Sigil, nested: list[RuntimeRef], too_deep: bool
) -> RuntimeRef:
    inner = text[start + 2 : end - 1]
    reason = "nested deeper than one level" if too_deep else None
    return _build_parts(start, end, text[start:end], sigil, inner, tuple(nested), reason)


def _build_parts(
    start: int,
    end: int,
    raw: str,
    sigil: Sigil,
    inner: str,
    nested: tuple[RuntimeRef, ...],
    reason: str | None,
) -> RuntimeRef:
    if sigil == "@":
        return _function_ref(start, end, raw, inner, nested, reason)
    offset = start + 2  # where `inner` starts in the text
    helpers, unknown_helper, rest = split_helpers(inner)
    rest_offset = offset + len(inner) - len(rest)
    spans = [(ref.start - rest_offset, ref.end - rest_offset) for ref in nested]
    path, problem = _parse_path(rest, spans)
    if not path and problem is None:
        problem = "missing path after helpers" if helpers else "empty reference"
    first = path[0] if path else None
    root = first.lower() if isinstance(first, str) and not _is_dynamic(first) else None
    return RuntimeRef(
        start=start,
        end=end,
        raw=raw,
        sigil=sigil,
        inner=inner,
        helpers=helpers,
        unknown_helper=unknown_helper,
        path=path,
        root=root,
        nested=nested,
        malformed=reason or problem,
    )


def _function_ref(
    start: int,
    end: int,
    raw: str,
    inner: str,
    nested: tuple[RuntimeRef, ...],
    reason: str | None,
) -> RuntimeRef:
    match = _FUNCTION.match(inner)
    name, args = (match.group(1), match.group(2)) if match else ("", inner)
    if not inner.strip():
        reason = reason or "empty function call"
    elif not name:
        reason = reason or "missing function name"
    return RuntimeRef(
        start=start,
        end=end,
        raw=raw,
        sigil="@",
        inner=inner,
        nested=nested,
        function=name or None,
        args=args,
        malformed=reason,
    )


def _parse_path(
    text: str, nested: list[tuple[int, int]]
) -> tuple[tuple[PathSegment, ...], str | None]:
    """Split a path into names and indexes; stop at the first error and keep what came before.

    ``nested`` are the spans (relative to ``text``) of nested refs, copied into their segment
    verbatim so that a ``.`` or ``[`` inside them does not split the outer path.
    """
    segments: list[PathSegment] = []
    starts = {begin: finish for begin, finish in nested}
    name: list[str] = []
    state = "start"  # start | name | dot | index
    i, n = 0, len(text)
    while i < n:
        if i in starts:
            if state == "index":
                return tuple(segments), "expected '.' or '[' after ']'"
            name.append(text[i : starts[i]])
            i = starts[i]
            state = "name"
            continue
        char = text[i]
        if char == ".":
            if state == "name":
                segments.append("".join(name))
                name = []
            elif state != "index":
                return tuple(segments), "empty path segment"
            state = "dot"
            i += 1
        elif char == "[":
            if state == "name":
                segments.append("".join(name))
                name = []
            elif state != "index":
                return tuple(segments), "index without a name"
            close = text.find("]", i + 1)
            if close == -1:
                return tuple(segments), "unclosed '['"
            number = text[i + 1 : close].strip()
            if not _INDEX.fullmatch(number):
                return tuple(segments), "index must be an integer"
            segments.append(int(number))
            state = "index"
            i = close + 1
        elif state == "index":
            return tuple(segments), "expected '.' or '[' after ']'"
        elif char.isspace():
            return tuple(segments), "whitespace in path"
        elif char in "]{}":
            return tuple(segments), f"unexpected '{char}' in path"
        else:
            name.append(char)
            state = "name"
            i += 1
    if state == "name":
        segments.append("".join(name))
    elif state == "dot":
        return tuple(segments), "empty path segment"
    return tuple(segments), None

"""What imported agents share, written once: a base per family of agents, and function
libraries for the functions several of them define identically.

A *family* is the agents linked by what they share: the same function, the same voice (the
code, name and voice of their languages), or the same value for a setting (params, hints,
pronounce, the verbs around ``ai``, the SWAIG defaults, the post-prompt URL). A family's base
holds what every member has in common, as the merge rules of ``extends`` give it back
(docs/merging.md): a setting all members give the same value; the first params, hints and
pronounce entries they all start with; the languages entries they all start with, as far as
each entry's first keys agree (its ``code`` among them: entries merge by code). Each member
keeps the rest.

Merging puts a base's keys before an agent's own, so an agent that extends a base lists the
fields of its ``ai`` verb (and of ``SWAIG``) in another order than its document did; every
value, every list and every nested key order is the same. The project build proves it for
each agent, and an agent that does not come back the same is written whole instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: Settings a base may hold (top-level keys of a definition), and the two ``swml`` lists.
BASE_KEYS = ("languages", "params", "hints", "pronounce", "swaig_defaults", "post_prompt_url",
             "native_functions", "internal_fillers")
SWML_KEYS = ("before", "after")
_PREFIX_KEYS = ("params", "hints", "pronounce")


def canon(value: Any) -> str:
    """A value as text, key order included (the key order is part of what must come back)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _trivial(value: Any) -> bool:
    return value in ({}, [], None, "")


@dataclass
class Member:
    """One agent as factoring sees it: its name, where it came from, its definition."""

    name: str
    source: str
    folder: str
    definition: dict[str, Any]


@dataclass
class Family:
    name: str
    members: list[Member]
    base: dict[str, Any] = field(default_factory=dict)
    #: Library files: relative path -> functions, each shared by two members or more.
    libraries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _items(member: Member) -> set[tuple[str, str]]:
    """What links an agent to others: each function, its voice, each non-trivial setting."""
    defn = member.definition
    items = {("fn", canon(fn)) for fn in defn.get("functions") or [] if isinstance(fn, dict)}
    langs = defn.get("languages")
    if isinstance(langs, list) and langs:
        items.add(("voice", canon([[lang.get(k) for k in ("code", "name", "voice")]
                                   for lang in langs if isinstance(lang, dict)])))
    for key in BASE_KEYS:
        if key != "languages" and key in defn and not _trivial(defn[key]):
            items.add((key, canon(defn[key])))
    swml = defn.get("swml")
    for key in SWML_KEYS:
        if isinstance(swml, dict) and key in swml:
            items.add((f"swml.{key}", canon(swml[key])))
    return items


def families(members: Sequence[Member]) -> list[list[Member]]:
    """The agents grouped by what links them (connected components), in input order."""
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[tuple[str, str], int] = {}
    for i, member in enumerate(members):
        for item in sorted(_items(member)):
            if item in first_with:
                parent[root(i)] = root(first_with[item])
            else:
                first_with[item] = i
    groups: dict[int, list[Member]] = {}
    for i, member in enumerate(members):
        groups.setdefault(root(i), []).append(member)
    return sorted(groups.values(), key=lambda g: members.index(g[0]))


# -- the base -----------------------------------------------------------------------------------


def _common_prefix(lists: Sequence[Sequence[Any]]) -> int:
    """How many first items all ``lists`` share (compared with their key order)."""
    n = 0
    while all(len(x) > n for x in lists) and len({canon(x[n]) for x in lists}) == 1:
        n += 1
    return n


def _shared_entries(entries: Sequence[Sequence[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The language entries all members start with: per entry, the first keys all agree on,
    as long as ``code`` is among them (entries merge by code)."""
    shared: list[dict[str, Any]] = []
    for i in range(min(len(e) for e in entries)):
        column = [list(e[i].items()) if isinstance(e[i], dict) else [] for e in entries]
        n = _common_prefix(column)
        common = dict(column[0][:n])
        if "code" not in common:
            break
        shared.append(common)
    return shared


def base_of(members: Sequence[Member]) -> dict[str, Any]:
    """What every member has in common, in the form ``extends`` merges back."""
    defs = [m.definition for m in members]
    base: dict[str, Any] = {}
    for key in BASE_KEYS:
        if not all(key in d for d in defs):
            continue
        values = [d[key] for d in defs]
        if len({canon(v) for v in values}) == 1 and not _trivial(values[0]):
            base[key] = values[0]
        elif key == "params" and all(isinstance(v, dict) for v in values):
            n = _common_prefix([list(v.items()) for v in values])
            if n:
                base[key] = dict(list(values[0].items())[:n])
        elif key in _PREFIX_KEYS and all(isinstance(v, list) for v in values):
            n = _common_prefix(values)
            if n:
                base[key] = values[0][:n]
        elif key == "languages" and all(isinstance(v, list) for v in values):
            shared = _shared_entries(values)
            if shared:
                base[key] = shared
    swml: dict[str, Any] = {}
    for key in SWML_KEYS:
        found = [d.get("swml", {}).get(key) if isinstance(d.get("swml"), dict) else None
                 for d in defs]
        if found[0] is not None and not _trivial(found[0]) and \
                len({canon(v) for v in found}) == 1:
            swml[key] = found[0]
    if swml:
        base["swml"] = swml
    return base


def residual(defn: dict[str, Any], base: dict[str, Any], extends: str) -> dict[str, Any]:
    """What an agent writes on top of ``base`` so that merging gives back ``defn``."""
    out: dict[str, Any] = {"extends": extends}
    for key, value in defn.items():
        if key not in base:
            out[key] = value
            continue
        rest = _rest(key, value, base[key])
        if rest is not None:
            out[key] = rest
    return out


def _rest(key: str, value: Any, shared: Any) -> Any:
    if canon(value) == canon(shared):
        return None
    if key == "params":
        rest = {k: v for i, (k, v) in enumerate(value.items()) if i >= len(shared)}
        return rest or None
    if key in _PREFIX_KEYS:
        return value[len(shared):] or None
    if key == "languages":
        out = []
        for i, entry in enumerate(value):
            if i >= len(shared):
                out.append(entry)
                continue
            extra = dict(list(entry.items())[len(shared[i]):])
            if extra:
                out.append({"code": entry["code"], **extra})
        return out or None
    if key == "swml":
        rest = {k: v for k, v in value.items() if k not in shared}
        return rest or None
    return value  # pragma: no cover - base_of shares other keys only when equal


# -- function libraries -------------------------------------------------------------------------


def libraries(family: str, members: Sequence[Member], taken: set[str] | None = None
              ) -> dict[str, list[dict[str, Any]]]:
    """Functions two members or more define identically, in ``_functions/<family>.yaml``; a
    second shared version of one function (a library holds a name once) goes to a library
    named after the agents that share that version (a name not in ``taken``, which learns
    it)."""
    taken = taken if taken is not None else set()
    from compiler.features.importer.names import family_name

    users: dict[str, list[Member]] = {}
    first: dict[str, dict[str, Any]] = {}
    for member in members:
        for fn in member.definition.get("functions") or []:
            if isinstance(fn, dict) and isinstance(fn.get("function"), str):
                text = canon(fn)
                who = users.setdefault(text, [])
                if member not in who:
                    who.append(member)
                first.setdefault(text, fn)
    files: dict[str, dict[str, dict[str, Any]]] = {family: {}}
    for text, who in users.items():
        if len(who) < 2:
            continue
        fn = first[text]
        name = family
        if fn["function"] in files[family]:
            base = family_name([(m.source, m.folder, m.name) for m in who])
            name, n = base, 2
            while (name in files and fn["function"] in files[name]) or \
                    (name not in files and name.lower() in taken):
                name = f"{base}-{n}"
                n += 1
            taken.add(name.lower())
        files.setdefault(name, {})[fn["function"]] = fn
    return {f"_functions/{name}.yaml": list(fns.values()) for name, fns in files.items() if fns}


def use_libraries(defn: dict[str, Any], libs: dict[str, list[dict[str, Any]]]
                  ) -> dict[str, Any]:
    """``defn`` with each function a library holds as it is written as ``use:`` of it."""
    index = {canon(fn): f"{path}#{fn['function']}" for path, fns in libs.items() for fn in fns}
    functions = defn.get("functions")
    if not isinstance(functions, list) or not any(
            isinstance(fn, dict) and canon(fn) in index for fn in functions):
        return defn
    used = [{"use": index[canon(fn)]} if isinstance(fn, dict) and canon(fn) in index else fn
            for fn in functions]
    return {k: (used if k == "functions" else v) for k, v in defn.items()}

"""Names for what an import writes: each agent from its file, unique in the project and valid
as an agent name (its file stem is its name, so no ``agent:`` key is needed); each family of
agents (a shared base, a function library) from what its members' paths have in common."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath

_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
#: Suffixes a document's file name may carry before its own (``agent.swml.json``,
#: ``step04_hello_agent.py.json``): what rendered it, not what it is.
_INNER_SUFFIXES = (".swml", ".py", ".js", ".ts", ".json", ".yaml", ".yml")
#: Stems that say nothing about the agent (``SWML.json``, ``agent.swml.json``): the folder
#: that holds the file names it instead.
_GENERIC = re.compile(
    r"^(?:swml|agent|index|main|default|config|document|doc)(?:[_-]?(?:json|yaml|yml))?(\d*)$",
    re.I)
#: Folder names too general to name a family of agents.
_GENERIC_FOLDERS = frozenset({
    "steps", "src", "lib", "agents", "swml", "docs", "examples", "example", "server",
    "serverless", "json", "yaml", "data", "samples", "sample", "legacy", "real", "tmp",
})


def path_parts(source: str) -> list[str]:
    """A document's path as words: folders, and the parts a flattened name joins with ``__``
    (``signalwire-demos__workshop__steps__step04.py.json``)."""
    parts: list[str] = []
    for part in PurePath(source).parts:
        parts += [p for p in part.split("__") if p]
    if parts:
        last = parts[-1]
        for suffix in (*_INNER_SUFFIXES, *_INNER_SUFFIXES):
            if last.lower().endswith(suffix) and len(last) > len(suffix):
                last = last[: -len(suffix)]
        parts[-1] = last
    return parts


def _slug(text: str) -> str:
    return _NAME_CHARS.sub("-", text).strip("._-")[:100]


def agent_name(source: str) -> str:
    """The agent name a document's path suggests: its stem, or its folder's name when the
    stem is a generic one (``SWML.json``), made a valid agent name.

    Example:
        >>> agent_name("serverless/bartender/SWML.json"), agent_name("_My Agent.yaml")
        ('bartender', 'My-Agent')
        >>> agent_name("a__b__insurance__agent.swml.json"), agent_name("dr_bob/SWML2.json")
        ('insurance', 'dr_bob-2')
        >>> agent_name("steps/step04_hello_agent.py.json")
        'step04_hello_agent'
    """
    parts = path_parts(source)
    if not parts:
        return "agent"
    stem = parts[-1]
    generic = _GENERIC.match(stem)
    folders = [p for p in parts[:-1] if p.lower() not in _GENERIC_FOLDERS]
    if generic and folders:
        stem = folders[-1] + (f"-{generic.group(1)}" if generic.group(1) else "")
    return _slug(stem) or "agent"


def unique_names(sources: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """One name per source, in order: :func:`agent_name`, and when that is taken, the same
    name marked with what tells the sources apart (``bartender-yaml`` for the YAML copy of
    ``bartender``), else a number. Names compare without regard to case (two files that
    differ only by case collide on macOS and Windows).

    Example:
        >>> unique_names(["a/SWML.json", "a/SWML.yaml", "b/a.json"])
        ['a', 'a-yaml', 'a-2']
    """
    used = {name.lower() for name in taken}
    out: list[str] = []
    seen: set[str] = set()
    for source in sources:
        base = agent_name(source)
        path = PurePath(source)
        suffix = path.suffix.lstrip(".").lower()
        same_document = str(path.with_suffix("")) in seen  # SWML.json beside SWML.yaml
        seen.add(str(path.with_suffix("")))
        candidates = [base, f"{base}-{suffix}"] if suffix and same_document else [base]
        name = next((c for c in candidates if c.lower() not in used), None)
        n = 2
        while name is None or name.lower() in used:
            name = f"{base}-{n}"
            n += 1
        used.add(name.lower())
        out.append(name)
    return out


def family_name(members: Sequence[tuple[str, str, str]]) -> str:
    """A name for agents that share a base or a library, from (source, input folder, agent
    name) of each: the deepest folder (or ``__`` part) below the input folder their paths have
    in common that says something; else what their names have in common; else the part most
    of their paths share; else the input folder's name.

    Example:
        >>> family_name([("in/workshop/steps/a.json", "in", "a"),
        ...              ("in/workshop/steps/b.json", "in", "b")])
        'workshop'
        >>> family_name([("in/agents_hints.json", "in", "agents_hints"),
        ...              ("in/sdk_hints.json", "in", "sdk_hints")])
        'hints'
    """
    relative = [_below(source, folder) for source, folder, _ in members]
    common: list[str] = []
    for column in zip(*relative, strict=False):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    for part in reversed(common):
        if _telling(part):
            return _slug(part)
    shared = _common_substring([name for _, _, name in members]).strip("._-")
    if len(shared) >= 4:
        return _slug(shared)
    counts: dict[str, float] = {}
    for parts in relative:
        for depth, part in enumerate(dict.fromkeys(parts)):
            if _telling(part):
                counts[part] = counts.get(part, 0) + 1 + depth / 100
    if counts and max(counts.values()) >= 2:
        return _slug(max(counts, key=lambda p: counts[p]))
    folder = path_parts(members[0][1] + "/x")[:-1]
    return _slug(folder[-1]) if folder and _slug(folder[-1]) else "shared"


def _telling(part: str) -> bool:
    return part.lower() not in _GENERIC_FOLDERS and part not in (".", "..") and bool(_slug(part))


def _below(source: str, folder: str) -> list[str]:
    """The folders (and ``__`` parts) of ``source`` below its input folder, without the file."""
    parts = path_parts(source)[:-1]
    above = path_parts(folder + "/x")[:-1]
    return parts[len(above):] if parts[:len(above)] == above else parts


def _common_substring(names: Sequence[str]) -> str:
    """The longest text every name holds."""
    if not names:
        return ""
    first = min(names, key=len)
    for size in range(len(first), 0, -1):
        for start in range(len(first) - size + 1):
            piece = first[start:start + size]
            if all(piece in name for name in names):
                return piece
    return ""

"""The layout of an imported project: which agents extend which base, which functions live in
which library, and every file's text (TODO comments included).

Comments are kept by *where* they are in a definition (a path), not by line: a file is written
again when the layout changes (an agent that did not come back the same through its base is
written whole), and its comments must follow their values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compiler.core.tree import Map, Seq, Span, span_at
from compiler.features.importer.definition import def_path
from compiler.features.importer.document import Document
from compiler.features.importer.factor import (
    Family,
    Member,
    base_of,
    families,
    libraries,
    residual,
    use_libraries,
)
from compiler.features.importer.layout import agent_text, base_text, library_text
from compiler.features.importer.names import family_name
from compiler.features.importer.todos import Notes, add_comments, target_line

Path = tuple[str | int, ...]
#: (path in a file's tree, whether the comment is about the key) -> what goes above it.
Comments = dict[tuple[Path, bool], Notes]


@dataclass
class Plan:
    """The files of the project (root-relative path -> text) and how agents were factored."""

    files: dict[str, str] = field(default_factory=dict)
    families: list[Family] = field(default_factory=list)
    #: agent name -> the base it extends, for agents that extend one.
    extends: dict[str, str] = field(default_factory=dict)
    #: agent name -> its file; base or library file -> the agents that use it.
    agent_files: dict[str, str] = field(default_factory=dict)
    users: dict[str, list[str]] = field(default_factory=dict)


def make_plan(docs: list[Document], agents: str, standalone: set[str],
              comments: dict[str, Comments], schema_line: str | None) -> Plan:
    """Factor what can be factored (not the agents in ``standalone``, nor one kept with
    TODOs), and write every file."""
    plan = Plan()
    members = [Member(str(d.name), d.source, d.folder, dict(d.definition or {})) for d in docs
               if d.name not in standalone and d.status == "imported"]
    definitions = {str(d.name): dict(d.definition or {}) for d in docs}
    taken: set[str] = set()
    for group in families(members):
        if len(group) < 2:
            continue
        family = _family(group, taken)
        plan.families.append(family)
        for member in group:
            defn = use_libraries(member.definition, family.libraries)
            for path in family.libraries:
                if f"{path}#" in str(defn.get("functions")):
                    plan.users.setdefault(f"{agents}/{path}", []).append(member.name)
            if family.base:
                defn = residual(defn, family.base, f"_base/{family.name}.yaml")
                plan.extends[member.name] = f"{agents}/_base/{family.name}.yaml"
            definitions[member.name] = defn
        for path, functions in family.libraries.items():
            rel = f"{agents}/{path}"
            plan.files[rel] = library_text(functions, family.name, plan.users.get(rel, []))
        if family.base:
            rel = f"{agents}/_base/{family.name}.yaml"
            plan.files[rel] = base_text(family.base, family.name, [m.name for m in group])
            plan.users[rel] = [m.name for m in group]
    for doc in docs:
        rel = f"{agents}/{doc.name}.yaml"
        plan.agent_files[str(doc.name)] = rel
        plan.files[rel] = agent_text(definitions[str(doc.name)], doc.source, schema_line)
        if doc.status == "kept":
            _fault_comments(doc, comments.setdefault(rel, {}))
    for rel, notes in comments.items():
        if rel in plan.files and notes:
            plan.files[rel] = commented(plan.files[rel], notes)
    return plan


def _family(group: list[Member], taken: set[str]) -> Family:
    name = family_name([(m.source, m.folder, m.name) for m in group])
    unique, n = name, 2
    while unique.lower() in taken:
        unique = f"{name}-{n}"
        n += 1
    taken.add(unique.lower())
    return Family(unique, group, base_of(group), libraries(unique, group, taken))


def _fault_comments(doc: Document, comments: Comments) -> None:
    """A TODO above each fault kept with ``--keep-going``, at its place in the definition."""
    assert doc.ai_index is not None
    for fault in doc.faults:
        path = def_path(fault.path, doc.ai_index)
        if path is None:
            continue
        notes = comments.setdefault((path, False), Notes())
        text = f"{fault.diagnostic.message} (the official schema refuses it; kept as written)"
        if text not in notes.todos:
            notes.todos.append(text)


def commented(text: str, notes: Comments) -> str:
    """``text`` with each note above the line its path is written on."""
    from compiler.source.yaml_reader import read_yaml

    tree = read_yaml(text, "<import>").value
    by_line: dict[int, Notes] = {}
    for (path, key), note in notes.items():
        span = span_at(tree, path, key=key)
        if span is None:
            continue
        line = target_line(text, span.line)
        merged = by_line.setdefault(line, Notes())
        merged.todos += [t for t in note.todos if t not in merged.todos]
        merged.ignore |= note.ignore
    return add_comments(text, by_line)


def path_at(tree: Any, line: int, col: int) -> tuple[Path, bool] | None:
    """The deepest path in ``tree`` whose key or value holds (line, col), and whether it is the
    key: how a finding at a file:line:col is remembered across layouts."""
    best: tuple[Path, bool] | None = None
    node: Any = tree
    path: Path = ()
    while True:
        found: tuple[str | int, Any] | None = None
        if isinstance(node, Map):
            for k in node:
                if _inside(node.key_span(k), line, col):
                    return (*path, k), True
                if _inside(node.value_span(k), line, col):
                    found = (k, node[k])
                    break
        elif isinstance(node, Seq):
            for i, item in enumerate(node):
                if _inside(node.item_span(i), line, col):
                    found = (i, item)
                    break
        if found is None:
            return best
        path = (*path, found[0])
        best = (path, False)
        node = found[1]


def _inside(span: Span, line: int, col: int) -> bool:
    return (span.line, span.col) <= (line, col) < (span.end_line, span.end_col) or \
        (span.line == line and span.end_line == line and span.col == col)

"""A typo in any key of any bundled definition is reported at its line, with the right
did-you-mean. Every key of every file in agents/ is misspelt in turn (its last letter dropped)
and the project compiled; keys a user names freely (variables, global_data, a function's
parameter names, context names...) are the only ones exempt, and the test lists why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compiler.build.compile import compile_project
from compiler.core.tree import Map, walk
from compiler.project.options import Options
from compiler.source.yaml_reader import read_yaml
from tests.conftest import REPO

# Every key of every bundled file misspelt in turn: a build per key.
pytestmark = pytest.mark.slow

#: A key directly under one of these names is the user's own name, not a keyword.
FREE_NAMES = {
    "vars": "compile-time variables are the user's names",
    "global_data": "global_data keys are the user's names",
    "meta_data": "meta_data keys are the user's names",
    "properties": "a function's parameter names are the user's",
    "contexts": "context names are the user's",
    "extensions": "values inside meta_data",
    "headers": "HTTP header names",
    "set_global_data": "the keys an action sets are the user's",
    "set_meta_data": "the keys an action sets are the user's",
    "sections": "swml.sections names are the user's (only under swml)",
    "params": "a webhook's params are the request's fields (ai params are checked by SWC419)",
}

FILES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "agents").rglob("*.yaml"))


def _keys(rel: str) -> list[tuple[str, int, int, int, tuple[str | int, ...]]]:
    tree = read_yaml((REPO / rel).read_text(), rel).value
    out = []
    for path, node in walk(tree):
        if not isinstance(node, Map):
            continue
        parent = path[-1] if path else None
        if parent in FREE_NAMES and not (parent == "sections" and path[:1] != ("swml",)) \
                and not (parent == "params" and path == ("params",)):
            continue
        for key in node:
            span = node.key_spans[key]
            if len(key) >= 4:
                out.append((key, span.line, span.col, span.end_col, path))
    return out


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("typos")
    shutil.copytree(REPO / "agents", root / "agents")
    shutil.copy(REPO / "swmlc.yaml", root / "swmlc.yaml")
    return root


@pytest.mark.parametrize("rel", FILES)
def test_a_typo_in_any_key_is_reported_at_its_line(copy: Path, rel: str) -> None:
    original = (REPO / rel).read_text()
    lines = original.split("\n")
    # a definition is compiled alone; a partial (under a _folder) with the whole project, which
    # is where the agents that read it are
    only = () if "/_" in rel else (rel,)
    misses = []
    for key, line, col, end_col, path in _keys(rel):
        typo = key[:-1]
        text_line = lines[line - 1]
        if text_line[col - 1:end_col - 1] != key:
            continue  # a quoted key: the span covers the quotes
        mutated = lines.copy()
        mutated[line - 1] = text_line[:col - 1] + typo + text_line[end_col - 1:]
        (copy / rel).write_text("\n".join(mutated))
        try:
            result = compile_project(Options(root=copy, paths=only), write=False, reuse=False)
        finally:
            (copy / rel).write_text(original)
        hit = [d for d in result.diagnostics if d.span.file == rel and d.span.line == line
               and (f"'{key}'" in (d.help or "") or f"'{key}'" in d.message)]
        if not hit:
            got = [(d.code, str(d.span), d.message, d.help) for d in result.diagnostics][:3]
            misses.append((key, line, list(path), got))
    assert misses == []

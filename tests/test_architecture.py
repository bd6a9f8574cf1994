"""The layout a newcomer can walk (ARCHITECTURE.md): layers that import only downward, no import
cycle (deferred and type-checking imports included), no module over 400 lines and no function
over 60, and an ARCHITECTURE.md whose every path exists."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "compiler"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the compiler modules it imports, wherever the import stands: at the top, inside
    a function (deferred), or under ``if TYPE_CHECKING``."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                graph[name] |= {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    if full in modules:
                        graph[name].add(full)
                    elif base in modules:
                        graph[name].add(base)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert sorted(cycles(graph)) == [["a", "b", "c"], ["e"]]


def test_no_import_cycle_in_the_compiler() -> None:
    graph = import_graph()
    assert len(graph) > 100
    assert "compiler.core.tree" in graph["compiler.pipeline.context"]  # the graph is real
    assert cycles(graph) == []


def test_layers_import_only_downward() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports)], cwd=REPO, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    kept = re.findall(r"^(.+) KEPT$", result.stdout, re.M)
    assert len(kept) >= 3, result.stdout


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: p.relative_to(REPO).as_posix())
def test_module_and_function_sizes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = len(text.splitlines())
    assert lines <= MAX_MODULE_LINES, f"{lines} lines: split the module"
    long = [(f.name, f.lineno, (f.end_lineno or f.lineno) - f.lineno + 1)
            for f in _functions(ast.parse(text))
            if (f.end_lineno or f.lineno) - f.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == [], "functions over 60 lines (name, line, length)"


def _named_paths(text: str) -> list[str]:
    """Every `path` in backquotes that names a file or folder of the repository (placeholders
    such as <verb> are left out)."""
    found = []
    for token in re.findall(r"`([^`\s]+)`", text):
        token = token.split("::")[0].rstrip(",.")
        known_root = re.match(r"^(compiler|tests|schemas|docs|benchmarks)/", token) \
            or token in ("README.md", "pyproject.toml", "ARCHITECTURE.md")
        if "<" in token or not known_root:
            continue
        found.append(token)
    return found


def test_architecture_md_names_only_paths_that_exist() -> None:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    paths = _named_paths(text)
    assert len(paths) > 40
    missing = [p for p in paths if not (REPO / p).exists()]
    assert missing == []


def test_every_package_is_on_the_architecture_map() -> None:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    packages = sorted(p.parent.relative_to(REPO).as_posix() + "/"
                      for p in PACKAGE.glob("*/__init__.py"))
    assert [p for p in packages if f"`{p}`" not in text] == []


def test_the_recipes_name_files_that_exist() -> None:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    recipes = text.split("## Recipes", 1)[1]
    for title in ("Add a pass", "Add a rule", "Add a target", "Add a command"):
        assert f"### {title}" in recipes
        section = recipes.split(f"### {title}", 1)[1].split("###", 1)[0]
        named = [p for p in _named_paths(section) if p.endswith((".py", ".json", ".md"))]
        assert len(named) >= 2, title
        assert [p for p in named if not (REPO / p).exists()] == [], title


def test_output_names_are_spelled_by_the_targets_only() -> None:
    """One owner per concept: an output's name (``.swml.json``, ``.relay.json``,
    ``.bedrock.swml.yaml``) is made and read by compiler/targets/ only; code elsewhere asks it
    (``output_name``, ``parse_output_name``) instead of matching suffixes of its own."""
    import ast

    spelled = (".swml.json", ".swml.yaml", ".relay.json", ".bedrock.")
    found = []
    for path in sorted((REPO / "compiler").rglob("*.py")):
        if path == REPO / "compiler/targets/__init__.py" or path.name == "codes.py":
            continue  # the owner; the code table's prose and examples
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef,
                                           ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and any(node.value == s or node.value.endswith(s) for s in spelled)):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value!r}")
    assert found == []


def test_parse_output_name_reads_what_output_name_writes() -> None:
    from compiler.targets import TARGETS, output_name, parse_output_name

    for target in TARGETS:
        for fmt in ("json", "yaml"):
            name = output_name("clinic-a.b", target, fmt)
            assert parse_output_name(name) == ("clinic-a.b", target, name.rsplit(".", 1)[1])
    assert parse_output_name("manifest.json") is None
    assert parse_output_name("x.relay.yaml") is None  # relay is JSON only
    assert parse_output_name("x.swml.json.map.json") is None

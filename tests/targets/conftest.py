"""Fixtures for the target tests: the bundled agents built for every target, and a small
project builder that returns the compile result (documents and diagnostics) without the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO


def copy_bundled(root: Path) -> Path:
    for name in ("agents", "swmlc.yaml"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name)
        elif src.is_file():
            shutil.copy(src, root / name)
    return root


@pytest.fixture(scope="session")
def all_targets(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The bundled agents compiled for swml, relay and bedrock at once (written to build/)."""
    from compiler.build.compile import compile_project
    from compiler.project.options import Options

    root = copy_bundled(tmp_path_factory.mktemp("bundled"))
    result = compile_project(Options(root=root, targets=("swml", "relay", "bedrock")))
    assert result.ok, [f"{d.span}: {d.code} {d.message}" for d in result.diagnostics]
    return result


@pytest.fixture
def compile_agent(tmp_path: Path) -> Callable[..., Any]:
    """Compile one definition (and an optional swmlc.yaml) in a fresh project."""
    from compiler.build.compile import compile_project
    from compiler.project.options import Options

    def run(text: str, *, targets: tuple[str, ...] | None = ("swml",), config: str = "",
            name: str = "agent") -> Any:
        (tmp_path / "agents").mkdir(exist_ok=True)
        (tmp_path / "agents" / f"{name}.yaml").write_text(text, encoding="utf-8")
        if config:
            (tmp_path / "swmlc.yaml").write_text(config, encoding="utf-8")
        return compile_project(Options(root=tmp_path, targets=targets),  # type: ignore[arg-type]
                               write=False)

    return run


def secrets_env(result: Any) -> dict[str, str]:
    """A value for every secret the build's documents name (tests bind them all)."""
    from compiler.core.secrets import names_in
    from compiler.core.tree import walk

    names: set[str] = set()
    for unit in result.units:
        for doc in unit.documents.values():
            for _, value in walk(doc):
                if isinstance(value, str):
                    names.update(names_in(value))
    return {n: f"v@l:{n.lower()}/?" for n in sorted(names)}

"""Helpers for the composition tests (extends/include, merge rules, variables, templating,
function libraries, secrets, fleets, swmlc.yaml).

``build`` runs ``swmlc build --error-format json`` in the project folder (the CLI, as a user
types it) and checks the contract of every outcome:

* success: exit 0, no error, and every compiled SWML document passes the official schema;
* failure: exit 1, the diagnostics come back as JSON, and nothing was written (the project
  folder, build/ included, is byte-identical to what it was before the build).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import assert_official


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden lock files aside) with its bytes."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in
                                       p.relative_to(folder).parts)}


@dataclass
class Built:
    root: Path
    exit_code: int
    diagnostics: list[dict[str, Any]]
    stderr: str
    out_dir: Path = field(default_factory=Path)

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [d for d in self.diagnostics if d["severity"] == "error"]

    def doc(self, agent: str) -> Any:
        return json.loads((self.out_dir / f"{agent}.swml.json").read_text(encoding="utf-8"))

    def ai(self, agent: str) -> Any:
        return ai_of(self.doc(agent))

    def text(self, agent: str) -> str:
        return (self.out_dir / f"{agent}.swml.json").read_text(encoding="utf-8")

    def manifest(self) -> Any:
        return json.loads((self.out_dir / "manifest.json").read_text(encoding="utf-8"))

    def agents(self) -> list[str]:
        return sorted(p.name[: -len(".swml.json")] for p in self.out_dir.glob("*.swml.json"))

    def error(self, code: str) -> dict[str, Any]:
        """The one error of the build, which must carry ``code``."""
        assert [d["code"] for d in self.errors] == [code], self.diagnostics
        return self.errors[0]


def ai_of(doc: Any) -> Any:
    found = [verb["ai"] for verb in doc["sections"]["main"] if "ai" in verb]
    assert len(found) == 1, doc
    return found[0]


def where(diag: dict[str, Any]) -> str:
    """file:line:col of a JSON diagnostic."""
    return f"{diag['file']}:{diag['line']}:{diag['column']}"


def related(diag: dict[str, Any]) -> list[tuple[str, str]]:
    return [(where(r), r["message"]) for r in diag.get("related", [])]


Build = Callable[..., Built]


@pytest.fixture
def build(swmlc: Callable[..., Any], judge: Any) -> Build:
    """``build(root, *args, ok=True, env=None)``: run ``swmlc build`` in ``root``."""

    def run(root: Path, *args: str, ok: bool = True, env: dict[str, str] | None = None,
            out: str = "build") -> Built:
        before = snapshot(root)
        result = swmlc("build", "--error-format", "json", *args, env=env)
        diags = json.loads(result.stdout) if result.stdout.strip() else []
        built = Built(root, result.exit_code, diags, result.stderr, root / out)
        if ok:
            assert result.exit_code == 0, (result.stderr, diags)
            assert not built.errors, diags
            docs = sorted([*built.out_dir.glob("*.swml.json"), *built.out_dir.glob("*.swml.yaml")])
            assert docs, f"no document in {built.out_dir}"
            for doc in docs:
                text = doc.read_text(encoding="utf-8")
                data = json.loads(text) if doc.suffix == ".json" else yaml.safe_load(text)
                assert_official(judge, data, doc.name)
        else:
            assert result.exit_code == 1, (result.exit_code, result.stderr, diags)
            assert snapshot(root) == before, "a failing build wrote files"
        return built

    return run

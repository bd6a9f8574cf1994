"""Issue 12, point 10: ``swmlc check`` is linear in the number of agents, like build (it was
quadratic: every output searched every agent). Shown by counting, not by timing: the passes
over the list of agents do not grow with the fleet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


class Counting(list[Any]):
    passes = 0

    def __iter__(self) -> Any:
        Counting.passes += 1
        return super().__iter__()


def _passes(project: Callable[..., Path], swmlc: Callable[..., Any], rows: int,
            monkeypatch: pytest.MonkeyPatch) -> int:
    import compiler.features.check as check

    project({"agents/f.yaml": "instances: _rows.csv\nagent: 'c-{{ n }}'\n"
                              "prompt: {text: 'Clinic {{ n }}'}\n",
             "agents/_rows.csv": "n\n" + "".join(f"{i}\n" for i in range(rows))})
    assert swmlc("build").exit_code == 0
    original = check.compile_project

    def counted(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        result.agents = Counting(result.agents)
        return result

    monkeypatch.setattr(check, "compile_project", counted)
    Counting.passes = 0
    assert swmlc("check").exit_code == 0
    monkeypatch.undo()
    return Counting.passes


def test_check_passes_over_the_agents_a_fixed_number_of_times(
        project: Callable[..., Path], swmlc: Callable[..., Any],
        monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    small = _passes(project, swmlc, 20, monkeypatch)
    monkeypatch.chdir(tmp_path_factory.mktemp("big"))
    big = _passes(lambda files: _write(Path.cwd(), files), swmlc, 200, monkeypatch)
    assert small == big and small <= 3


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root

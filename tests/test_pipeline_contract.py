"""The pipeline's control flow lives in PIPELINE and the passes' own attributes; no state is kept
by the process between runs."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from compiler.pipeline.check import check
from compiler.pipeline.check_shape import check_shape
from compiler.pipeline.context import Context, Unit, pipeline_pass
from compiler.pipeline.run import PIPELINE, run_unit
from compiler.pipeline.testing import unit_for


def test_only_the_shape_check_keeps_going_and_only_it_speaks_when_skipped() -> None:
    assert [p.__name__ for p in PIPELINE if p.keep_going] == ["check_shape"]
    assert [p.__name__ for p in PIPELINE if p.when_skipped] == ["check_shape"]


def test_a_unit_stops_after_a_failing_pass_unless_it_keeps_going() -> None:
    ran: list[str] = []

    def fails(unit: Unit, ctx: Context) -> Unit:
        from compiler.core import codes
        from compiler.core.tree import Span

        ran.append("fails")
        ctx.report(codes.BAD_VALUE.at(Span(unit.file, 1, 1, 1, 2), "no"))
        return unit

    def after(unit: Unit, ctx: Context) -> Unit:
        ran.append("after")
        return unit

    stopping, going = pipeline_pass()(fails), pipeline_pass(keep_going=True)(fails)
    later = pipeline_pass()(after)
    for first, expected in ((stopping, ["fails"]), (going, ["fails", "after"])):
        ran.clear()
        unit, ctx = unit_for("prompt: {text: hi}\n")
        run_unit(unit, ctx, (first, later))
        assert ran == expected
    ran.clear()
    unit, ctx = unit_for("prompt: {text: hi}\n")
    run_unit(unit, ctx, (stopping, later), keep_going=(stopping,))
    assert ran == ["fails", "after"]


def test_a_misspelt_key_is_said_when_composition_fails_first(tmp_path: Path) -> None:
    unit, ctx = unit_for("extends: _missing.yaml\nprmpt: {text: hi}\n", root=tmp_path)
    run_unit(unit, ctx)
    assert sorted(d.code for d in ctx.diagnostics) == ["SWC101", "SWC204"]


def test_a_rule_that_crashes_is_a_bug_not_a_silence(project, swmlc,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from compiler.lints import unknown_param

    def broken(model: Any) -> Any:
        raise TypeError("a rule met a value it did not expect")

    monkeypatch.setattr(unknown_param, "check", broken)
    project({"agents/a.yaml": "prompt: {text: hi}\nparams: {ai_volume: [1]}\n"})
    result = swmlc("build")
    assert result.exit_code == 3
    assert "internal error" in result.stderr and "a rule met a value" in result.stderr


def test_rule_diagnostics_replace_the_shape_checks_at_the_same_place() -> None:
    unit, ctx = unit_for("prompt: {text: hi}\nparams: {wait_for_user: 'true'}\n")
    run_unit(unit, ctx, (*PIPELINE[:PIPELINE.index(check) + 1],))
    codes = [d.code for d in ctx.diagnostics]
    assert "SWC421" in codes and "SWC102" not in codes
    assert check_shape in PIPELINE


def test_a_build_leaves_the_garbage_collector_as_it_found_it(project, swmlc) -> None:
    project({"agents/a.yaml": "prompt: {text: hi}\n"})
    before = gc.get_threshold(), gc.get_freeze_count()
    assert swmlc("build").exit_code == 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_no_module_keeps_state_between_runs() -> None:
    """No ``global`` statement, no ClassVar cache, and ``functools.cache`` only on the two
    readers of the immutable ``ai.params`` catalogue that ships in the package."""
    import ast

    from tests.conftest import REPO

    allowed = {("compiler/signalwire/params/catalogue.py", "load_params"),
               ("compiler/signalwire/params/check.py", "_compiled")}
    found = []
    for path in sorted((REPO / "compiler").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Global):
                found.append((rel, "global"))
            elif isinstance(node, ast.FunctionDef) and any(
                    ast.unparse(d).split("(")[0] in ("cache", "lru_cache", "functools.cache")
                    for d in node.decorator_list) and (rel, node.name) not in allowed:
                found.append((rel, node.name))
            elif isinstance(node, ast.AnnAssign) and "ClassVar" in ast.unparse(node.annotation):
                found.append((rel, ast.unparse(node.target)))
    assert found == []

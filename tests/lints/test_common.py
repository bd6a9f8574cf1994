"""compiler/lints/_common.py: how the rules report, shared."""

from __future__ import annotations

from compiler.analysis.model import AgentModel
from compiler.lints._common import did_you_mean_help, fix_at, param_problems, typo_of
from compiler.pipeline.load_definition import load_definition
from compiler.pipeline.testing import unit_for


def _tree(text: str):
    unit, ctx = unit_for(text)
    unit = load_definition(unit, ctx)
    assert unit.tree is not None
    return unit.tree, ctx


def test_did_you_mean_help() -> None:
    assert did_you_mean_help("plan") == "did you mean 'plan'?"
    assert did_you_mean_help(None) is None
    assert did_you_mean_help(None, "the names are a, b") == "the names are a, b"


def test_typo_of_reports_only_near_certain_typos_when_names_may_come_from_elsewhere() -> None:
    assert typo_of("clinic_nam", ["clinic_name"], external=True) == (True, "clinic_name")
    assert typo_of("patient", ["clinic_name"], external=True) == (False, None)
    assert typo_of("patient", ["clinic_name"], external=False) == (True, None)
    # between the typo cutoff and difflib's default: a guess only when nothing may hide the key
    assert typo_of("plna", ["plan"], external=False) == (True, "plan")


def test_param_problems_in_source_order_and_kind() -> None:
    tree, _ = _tree('params: {barge_confidance: 1, ai_volume: 80, wait_for_user: "true"}\n')
    found = [(name, p.kind) for _, name, p in param_problems(tree, ("unknown", "range"))]
    assert found == [("barge_confidance", "unknown"), ("ai_volume", "range")]
    assert [n for _, n, _ in param_problems(tree, ("stringly",))] == ["wait_for_user"]
    tree, _ = _tree("params: 3\n")
    assert list(param_problems(tree, ("unknown",))) == []


def test_fix_at_targets_the_file_or_nothing() -> None:
    tree, ctx = _tree("params: {ai_volme: 3}\n")
    model = AgentModel(tree, ctx.project.files)
    span = tree["params"].key_span("ai_volme")
    fix = fix_at(model, ("params", "ai_volme"), span, "rename", "rename", "ai_volume",
                 safe=True)
    assert fix is not None
    assert (fix.file, fix.path, fix.action, fix.value, fix.safe) == \
        (span.file, ("params", "ai_volme"), "rename", "ai_volume", True)
    elsewhere = span._replace(file="agents/_base.yaml")
    assert fix_at(model, ("params", "ai_volme"), elsewhere, "m", "set", 1, safe=True) is None

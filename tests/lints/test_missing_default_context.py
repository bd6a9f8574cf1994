"""check_shape refuses these definitions first (the source schema requires `default`), so the
rule is exercised on the lints alone."""

from __future__ import annotations

from compiler.core.diagnostics import Fix

BAD = """\
prompt:
  text: You run patient intake.
  contexts:
    intake:
      steps:
        - {name: greet, text: Greet the caller.}
"""


def test_missing_default(lint_only, where) -> None:
    diags = lint_only(BAD, "SWC407")
    assert where(diags) == [(3, 3, "SWC407")]
    assert diags[0].message == "contexts has no 'default' context (it has 'intake')"
    assert diags[0].help == ("the conversation starts in 'default': name the first context "
                             "'default'")
    assert diags[0].fix == Fix("rename 'intake' to 'default'", "agents/agent.yaml",
                               ("prompt", "contexts", "intake"), "rename", "default", True)


def test_rename_is_unsafe_when_a_step_switches_to_the_context_by_name(lint_only) -> None:
    text = BAD.replace("text: Greet the caller.}", "text: Greet., valid_contexts: [intake]}")
    fix = lint_only(text, "SWC407")[0].fix
    assert fix is not None and fix.safe is False


def test_several_contexts_get_no_fix(lint_only) -> None:
    text = BAD + "    other:\n      steps:\n        - {name: x, text: y}\n"
    diags = lint_only(text, "SWC407")
    assert diags[0].fix is None
    assert diags[0].message == "contexts has no 'default' context (it has 'intake', 'other')"


def test_default_passes(full) -> None:
    assert full(BAD.replace("intake:", "default:")) == []

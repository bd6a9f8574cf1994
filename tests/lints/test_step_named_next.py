"""check_shape refuses a step named `next` first (the source schema says so), so the rule is
exercised on the lints alone."""

from __future__ import annotations

BAD = """\
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: greet, text: Greet the caller., valid_steps: [next]}
        - {name: next, text: Ask for the reason.}
"""


def test_step_named_next(lint_only, where) -> None:
    diags = lint_only(BAD, "SWC413")
    assert where(diags) == [(7, 18, "SWC413")]
    assert diags[0].message == ("a step of context 'default' is named 'next', which "
                                "valid_steps reserves for the following step")
    assert diags[0].help == "give the step a name that says what it does"


def test_other_names_pass(full) -> None:
    assert full(BAD.replace("name: next", "name: reason")) == []

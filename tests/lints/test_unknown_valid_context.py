from __future__ import annotations

BAD = """\
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: reason, text: Ask for the reason., valid_contexts: [schedule, billing_desk]}
    scheduling:
      steps:
        - {name: book, text: Offer a time.}
"""


def test_unknown_contexts(full, where) -> None:
    diags = full(BAD, "SWC409")
    assert where(diags) == [(6, 70, "SWC409"), (6, 80, "SWC409")]
    assert diags[0].message == ("step 'reason' lists 'schedule' in valid_contexts, but there "
                                "is no such context")
    assert diags[0].help == "did you mean 'scheduling'?"
    assert diags[1].help == "the contexts are default, scheduling"


def test_known_contexts_pass(full) -> None:
    assert full(BAD.replace("[schedule, billing_desk]", "[scheduling]")) == []

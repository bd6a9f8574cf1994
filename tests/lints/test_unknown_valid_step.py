from __future__ import annotations

BAD = """\
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: identify, text: Ask for the name., valid_steps: [reasons, next]}
        - {name: reason, text: Ask for the reason., valid_steps: [book]}
        - {name: wrap_up, text: Say goodbye., end: true}
    scheduling:
      steps:
        - {name: book, text: Offer a time.}
"""


def test_unknown_targets(full, where) -> None:
    diags = full(BAD, "SWC408")
    assert where(diags) == [(6, 67, "SWC408"), (7, 67, "SWC408")]
    assert diags[0].message == ("step 'identify' lists 'reasons' in valid_steps, but context "
                                "'default' has no such step")
    assert diags[0].help == "did you mean 'reason'?"
    assert diags[1].help == ("'book' is a step of context 'scheduling': move there with "
                             "valid_contexts")


def test_known_targets_and_next_pass(full) -> None:
    text = BAD.replace("[reasons, next]", "[reason, next]").replace("[book]", "[wrap_up]")
    assert full(text, "SWC408") == []

from __future__ import annotations

BAD = """\
prompt:
  text: You book appointments.
  contexts:
    default:
      steps:
        - {name: offer, text: Offer times.}
        - name: confirm
          text: Confirm the booking.
          end: true
          valid_steps: [offer]
"""


def test_end_with_valid_steps(full, where) -> None:
    diags = full(BAD, "SWC412")
    assert where(diags) == [(10, 11, "SWC412")]
    assert diags[0].message == "step 'confirm' has 'end: true', so its valid_steps are never used"
    assert diags[0].help == ("drop 'valid_steps' if the step ends the flow, or 'end' if it "
                             "leads on")
    assert (diags[0].labels[0].span.line, diags[0].labels[0].message) == (9, "the step ends here")
    assert diags[0].severity.label == "warning"


def test_end_alone_and_empty_valid_steps_pass(full) -> None:
    assert full(BAD.replace("          valid_steps: [offer]\n", ""), "SWC412") == []
    assert full(BAD.replace("[offer]", "[]"), "SWC412") == []

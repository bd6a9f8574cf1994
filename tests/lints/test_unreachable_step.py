from __future__ import annotations

BAD = """\
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: identify, text: Ask for the name., valid_steps: [confirm]}
        - {name: reason, text: Ask for the reason.}
        - {name: confirm, text: Confirm., end: true}
        - {name: after_end, text: Never said.}
    billing:
      steps:
        - {name: invoice, text: Read the invoice.}
"""


def test_unreachable_steps_and_contexts(full, where) -> None:
    diags = full(BAD, "SWC411")
    assert where(diags) == [(7, 11, "SWC411"), (9, 11, "SWC411"), (10, 5, "SWC411")]
    assert diags[0].message == "step 'reason' of context 'default' can never be reached"
    assert diags[0].help == "list it in the valid_steps of the step that should lead to it"
    assert diags[0].severity.label == "warning"
    billing = diags[2]
    assert billing.message == ("context 'billing' is never entered: no step lists it in "
                               "valid_contexts")


def test_every_path_counted_passes(full) -> None:
    text = """\
prompt:
  text: You run patient intake.
  contexts:
    default:
      steps:
        - {name: identify, text: Ask for the name., valid_steps: [next]}
        - {name: reason, text: Ask for the reason., valid_contexts: [billing]}
    billing:
      steps:
        - {name: invoice, text: Read the invoice.}
        - {name: pay, text: Take payment.}
        - {name: refund, text: Refund.}
    jumps:
      steps:
        - {name: one, text: Reached by change_context.}
functions:
  - function: go
    description: Jump ahead.
    data_map:
      output:
        response: ok
        action: [{change_step: refund}, {change_context: jumps}]
"""
    assert full(text, "SWC411") == []


def test_an_unknown_target_leaves_the_context_to_swc408(full) -> None:
    text = BAD.replace("[confirm]", "[reasn]").replace("    billing:", "    billin:")
    assert [d.code for d in full(text) if d.code in ("SWC408", "SWC411")] == ["SWC408", "SWC411"]


def test_inline_ignore_silences_a_step(full) -> None:
    text = BAD.replace("- {name: reason,", "- {name: reason,  # swmlc: ignore[SWC411]\n"
                       "           ", 1)
    assert [d.span.line for d in full(text, "SWC411")] == [10, 11]

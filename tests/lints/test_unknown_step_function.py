from __future__ import annotations

BAD = """\
prompt:
  text: You book appointments.
  contexts:
    default:
      steps:
        - name: book
          text: Book a time.
          functions: [book_apointment, check_time, verify_insurance, next_step, wait_for_user]
        - name: other
          text: Anything else.
          functions: [transfer_call]
functions:
  - {function: book_appointment, description: Book the slot, web_hook_url: "https://x.example/b"}
native_functions: [check_time]
swaig_includes:
  - {url: "https://x.example/swaig", functions: [verify_insurance]}
"""


def test_unknown_functions(full, where) -> None:
    diags = full(BAD, "SWC410")
    assert where(diags) == [(8, 23, "SWC410"), (8, 81, "SWC410"), (11, 23, "SWC410")]
    first, native, unknown = diags
    assert first.message == "step 'book' uses 'book_apointment', which is not a function of " \
        "this agent"
    assert first.help == "did you mean 'book_appointment'?"
    assert native.message == ("step 'book' uses the native function 'wait_for_user', which "
                              "native_functions does not enable")
    assert native.help == "add 'wait_for_user' to native_functions"
    assert unknown.help == "define it under functions, or list it in swaig_includes"


def test_defined_included_native_and_internal_functions_pass(full) -> None:
    text = BAD.replace("book_apointment", "book_appointment").replace(
        "[check_time]", "[check_time, wait_for_user]").replace("[transfer_call]", "[]")
    assert full(text, "SWC410") == []


def test_library_functions_count_by_their_use_name(lint_only) -> None:
    text = """\
prompt:
  text: You book.
  contexts:
    default:
      steps:
        - {name: book, text: Book., functions: [book_visit]}
functions:
  - use: _functions/clinic.yaml#book_visit
"""
    assert lint_only(text, "SWC410") == []


def test_a_step_or_a_context_named_as_a_function_says_where_it_belongs(full) -> None:
    """Issue 13, point 1: not "did you mean <some function>" for a step's name."""
    text = """\
prompt:
  text: You sell gifts.
  contexts:
    default:
      steps:
        - {name: greet, text: Greet., functions: [ask_for_present, billing]}
        - {name: ask_for_present, text: Ask what they want.}
    billing:
      steps:
        - {name: pay, text: Take the payment.}
functions:
  - {function: ask_for_payment, description: Ask, web_hook_url: "https://x.example/p"}
"""
    diags = full(text, "SWC410")
    assert [(d.span.line, d.span.col, d.message, d.help) for d in diags] == [
        (6, 51, "step 'greet' uses 'ask_for_present', which is not a function of this agent",
         "'ask_for_present' is a step: use valid_steps"),
        (6, 68, "step 'greet' uses 'billing', which is not a function of this agent",
         "'billing' is a context: use valid_contexts"),
    ]

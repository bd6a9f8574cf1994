"""check_shape refuses unknown native functions first (the source schema has their enum), so
the rule is exercised on the lints alone."""

from __future__ import annotations

from compiler.core.diagnostics import Fix

BAD = """\
prompt: {text: You tell the time.}
native_functions: [check_tim, wait_for_user, make_coffee]
"""


def test_unknown_native_functions(lint_only, where) -> None:
    diags = lint_only(BAD, "SWC415")
    assert where(diags) == [(2, 20, "SWC415"), (2, 46, "SWC415")]
    typo, unknown = diags
    assert typo.message == "'check_tim' is not a native function"
    assert typo.help == "did you mean 'check_time'?"
    assert typo.fix == Fix("write 'check_time'", "agents/agent.yaml", ("native_functions", 0),
                           "set", "check_time", True)
    assert unknown.help == ("the native functions are check_time, wait_seconds, wait_for_user, "
                            "adjust_response_latency")
    assert unknown.fix is None


def test_native_functions_pass(full) -> None:
    assert full(BAD.replace("check_tim,", "check_time,").replace(", make_coffee", "")) == []

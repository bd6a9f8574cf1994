"""check_shape refuses these strings first (the source schema types known params), so the rule
is exercised on the lints alone."""

from __future__ import annotations

from compiler.core.diagnostics import Fix

BAD = """\
prompt: {text: You answer the phone.}
params:
  barge_min_words: "3"
  attention_timeout: '15000'
  languages_enabled: "yes"
  ai_volume: "99"
"""


def test_typed_values_written_as_strings(lint_only, where) -> None:
    diags = lint_only(BAD, "SWC421")
    assert where(diags) == [(3, 20, "SWC421"), (4, 22, "SWC421"), (5, 22, "SWC421"),
                            (6, 14, "SWC421")]
    words = diags[0]
    assert words.message == "'barge_min_words' must be an integer, got the string '3'"
    assert words.help == "write 3 without quotes"
    assert words.fix == Fix("write 3", "agents/agent.yaml", ("params", "barge_min_words"),
                            "set", 3, True)
    assert diags[2].fix is not None and diags[2].fix.value is True
    # "99" is a string and, once typed, out of range: both are said.
    assert [d.code for d in lint_only(BAD) if d.span.line == 6] == ["SWC420", "SWC421"]


def test_typed_values_pass(full) -> None:
    text = BAD.replace('"3"', "3").replace("'15000'", "15000").replace('"yes"', "true").replace(
        '"99"', "9")
    assert full(text) == []

from __future__ import annotations

from compiler.core.diagnostics import Fix

BAD = """\
prompt: {text: You answer the phone.}
params:
  barge_confidance: 0.02
  end_of_speach_timeout: 700
  end_of_speech_timeout: 600
  frobnicate: true
"""


def test_unknown_params(full, where) -> None:
    diags = full(BAD, "SWC419")
    assert where(diags) == [(3, 3, "SWC419"), (4, 3, "SWC419"), (6, 3, "SWC419")]
    typo, taken, unknown = diags
    assert typo.message == "unknown param 'barge_confidance': the platform ignores it"
    assert typo.help == "did you mean 'barge_confidence'?"
    assert typo.fix == Fix("rename to 'barge_confidence'", "agents/agent.yaml",
                           ("params", "barge_confidance"), "rename", "barge_confidence", True)
    # The right name is already there: renaming would make a duplicate key, so no fix.
    assert taken.help == "did you mean 'end_of_speech_timeout'?" and taken.fix is None
    assert unknown.help == "see the ai.params reference for the names the platform reads"
    assert unknown.fix is None


def test_known_params_pass(full) -> None:
    text = "prompt: {text: Hi}\nparams: {barge_confidence: 0.02, local_tz: Europe/Madrid}\n"
    assert full(text) == []


def test_inline_ignore_for_a_param_newer_than_the_catalogue(full) -> None:
    text = BAD.replace("frobnicate: true", "frobnicate: true  # swmlc: ignore[SWC419]")
    assert [d.span.line for d in full(text, "SWC419")] == [3, 4]

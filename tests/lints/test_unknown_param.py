from __future__ import annotations

from compiler.core.diagnostics import Fix, Severity

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
    assert typo.severity is taken.severity is Severity.ERROR
    # close to no known name: it may be a param newer than swmlc, so it never stops a build
    assert unknown.severity is Severity.WARNING
    assert unknown.message == ("unknown param 'frobnicate': swmlc does not know it (it may be "
                               "newer than swmlc; if not, the platform ignores it)")
    assert unknown.help is not None and "# swmlc: ignore[SWC419]" in unknown.help
    assert unknown.fix is None


def test_a_name_close_to_none_builds_with_a_warning(full) -> None:
    text = "prompt: {text: Hi}\nparams:\n  eleven_labs_model: eleven_turbo_v2\n"
    [d] = full(text)
    assert (d.code, d.severity, d.span.line) == ("SWC419", Severity.WARNING, 3)


def test_documented_params_the_schema_lacks_are_known(full) -> None:
    """SignalWire's agents-SDK params page sets the LLM knobs in params; the schema has them
    on prompt only. Their values are still checked against the schema's ranges."""
    text = "prompt: {text: Hi}\nparams: {temperature: 0.4, top_p: 0.9, max_tokens: 256}\n"
    assert full(text) == []
    [d] = full(text.replace("0.4", "2.0"))
    assert d.code == "SWC420" and "at most 1.5" in d.message


def test_known_params_pass(full) -> None:
    text = "prompt: {text: Hi}\nparams: {barge_confidence: 0.02, local_tz: Europe/Madrid}\n"
    assert full(text) == []


def test_inline_ignore_for_a_param_newer_than_the_catalogue(full) -> None:
    text = BAD.replace("frobnicate: true", "frobnicate: true  # swmlc: ignore[SWC419]")
    assert [d.span.line for d in full(text, "SWC419")] == [3, 4]

"""check_shape refuses most of these values first (the source schema types known params), so
the rule is exercised on the lints alone."""

from __future__ import annotations

BAD = """\
prompt: {text: You answer the phone.}
params:
  ai_volume: 80
  end_of_speech_timeout: 100
  hard_stop_time: 5 minutes
  barge_min_words: three
  debug_webhook_level: "${global_data.level}"
"""


def test_values_outside_what_the_platform_takes(lint_only, where) -> None:
    diags = lint_only(BAD, "SWC420")
    assert where(diags) == [(3, 14, "SWC420"), (4, 26, "SWC420"), (5, 19, "SWC420"),
                            (6, 20, "SWC420")]
    volume, eos, stop, words = diags
    assert volume.message == "'ai_volume' must be at most 50, got 80"
    assert eos.notes == ("older docs allow 0-10000; the official schema's minimum is 250",)
    assert stop.message == ("'hard_stop_time' must be a duration like 30s, 2m or 1h45m30s, "
                            "got '5 minutes'")
    assert words.message == "'barge_min_words' must be an integer, got the string 'three'"


def test_values_in_range_and_runtime_templates_pass(full) -> None:
    text = """\
prompt: {text: You answer the phone.}
params:
  ai_volume: 40
  end_of_speech_timeout: 700
  hard_stop_time: 5m
  barge_min_words: "${global_data.words}"
global_data: {words: 2}
"""
    assert full(text) == []

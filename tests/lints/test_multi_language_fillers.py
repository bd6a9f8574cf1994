"""check_shape refuses fillers objects with two languages first (the source schema has
maxProperties 1), so the rule is exercised on the lints alone."""

from __future__ import annotations

from compiler.core.diagnostics import Fix

BAD = """\
prompt:
  text: You book appointments.
  contexts:
    default:
      enter_fillers:
        - {en-US: [One moment.], es: [Un momento.]}
        - {fr: [Un instant.]}
      steps:
        - {name: book, text: Offer a time.}
functions:
  - function: book
    description: Book a time
    web_hook_url: https://x.example/book
    fillers: {en-US: [Booking now.], de: [Ich buche.]}
internal_fillers:
  check_time: {en-US: [Checking the clock.]}
"""


def test_several_languages_in_one_object(lint_only, where) -> None:
    diags = lint_only(BAD, "SWC417")
    assert where(diags) == [(6, 34, "SWC417"), (14, 38, "SWC417")]
    by_line = {d.span.line: d for d in diags}
    ctx = by_line[6]
    assert ctx.message == ("context 'default' enter_fillers hold 2 languages ('en-US', 'es'); "
                           "a fillers object holds one")
    assert ctx.help == "write one object per language: {en-US: [...]}, {es: [...]}"
    assert ctx.fix == Fix(
        "one object per language", "agents/agent.yaml",
        ("prompt", "contexts", "default", "enter_fillers"), "set",
        [{"en-US": ["One moment."]}, {"es": ["Un momento."]}, {"fr": ["Un instant."]}], True)
    fn = by_line[14]
    assert fn.message.startswith("function 'book' fillers hold 2 languages")
    assert fn.help == ("keep one language here; per-language phrases belong in "
                       "languages[].function_fillers")
    assert fn.fix is None


def test_one_language_per_object_passes(full) -> None:
    text = BAD.replace(", es: [Un momento.]}", "}\n        - {es: [Un momento.]}").replace(
        ", de: [Ich buche.]", "")
    assert full(text) == []

from __future__ import annotations

BAD = """\
prompt: {text: You explain weather words.}
hints:
  - {hint: Verdaguer, pattern: "verda(g|w", replace: Verdaguer}
  - {hint: Sagrada, pattern: "/sagrada famil[iy]a/i", replace: Sagrada Familia}
functions:
  - function: explain
    description: Explain a weather term
    parameters: {type: object, properties: {term: {type: string}}}
    data_map:
      expressions:
        - {string: "${args.term}", pattern: "humid|[dew point", output: {response: Humid.}}
        - {string: "${args.term}", pattern: "(?<unit>UV)\\\\b", output: {response: UV.}}
      webhooks:
        - url: https://x.example/glossary
          expressions:
            - {string: "${term}", pattern: "a**", output: {response: "${text}"}}
            - {string: "${term}", pattern: "\\\\p{L}+|${input.args.term}(", output: {response: x}}
          output: {response: "${text}"}
"""


def test_patterns_that_do_not_compile(full, where) -> None:
    diags = full(BAD, "SWC416")
    assert where(diags) == [(3, 32, "SWC416"), (11, 45, "SWC416"), (16, 44, "SWC416")]
    first = diags[0]
    assert first.message == ("hint pattern is not a valid regular expression: missing closing "
                             "parenthesis at offset 9")
    assert first.help == ("the platform uses PCRE; check brackets and escapes (a literal '(' "
                          "is '\\(')")
    assert diags[1].message.startswith("expression pattern is not a valid regular expression")


def test_valid_patterns_pass(full) -> None:
    text = BAD.replace("verda(g|w", "verda(g|w)er").replace("[dew point", "dew ?point").replace(
        "a**", "a+")
    assert full(text, "SWC416") == []


def test_pcre_only_syntax_is_judged_by_pcre(full, where) -> None:
    """The check and the evaluator share one engine: PCRE syntax Python's re refuses passes,
    and PCRE's own errors (an unknown property, a lookbehind of no fixed length) are caught."""
    text = BAD.replace("verda(g|w", "verda\\\\p{L}++(?|a|b)").replace(
        "[dew point", "(?<=ab*)x").replace("a**", "\\\\p{Nope}")
    found = full(text, "SWC416")
    assert where(found) == [(11, 45, "SWC416"), (16, 44, "SWC416")]
    assert "lookbehind assertion" in found[0].message
    assert "unknown property" in found[1].message

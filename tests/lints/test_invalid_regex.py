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
    assert first.message == ("hint pattern is not a valid regular expression: missing ), "
                             "unterminated subpattern at position 5")
    assert first.help == ("the platform uses PCRE; check brackets and escapes (a literal '(' "
                          "is '\\(')")
    assert diags[1].message.startswith("expression pattern is not a valid regular expression")


def test_valid_patterns_pass(full) -> None:
    text = BAD.replace("verda(g|w", "verda(g|w)er").replace("[dew point", "dew ?point").replace(
        "a**", "a+")
    assert full(text, "SWC416") == []

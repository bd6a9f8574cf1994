from __future__ import annotations

BAD = """\
prompt: {text: You transfer callers.}
functions:
  - {function: transfer, description: To sales, web_hook_url: "https://x.example/a"}
  - {function: lookup, description: Look up, web_hook_url: "https://x.example/l"}
  - {function: transfer, description: To support, web_hook_url: "https://x.example/b"}
swaig_includes:
  - {url: "https://x.example/swaig", functions: [lookup]}
"""


def test_duplicates(full, where) -> None:
    diags = full(BAD, "SWC414")
    assert where(diags) == [(4, 16, "SWC414"), (5, 16, "SWC414")]
    by_line = {d.span.line: d for d in diags}
    assert by_line[5].message == "function 'transfer' is defined twice"
    assert by_line[5].labels[0].message == "first defined here"
    assert by_line[5].labels[0].span.line == 3
    assert by_line[4].message == "function 'lookup' is also fetched by swaig_includes"
    assert by_line[4].labels[0].span.line == 7


def test_distinct_names_pass(full) -> None:
    text = BAD.replace("function: transfer, description: To support", "function: transfer2, "
                       "description: To support").replace("[lookup]", "[verify]")
    assert full(text, "SWC414") == []

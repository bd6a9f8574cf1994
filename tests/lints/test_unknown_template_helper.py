from __future__ import annotations

from compiler.core.diagnostics import Fix

BAD = """\
prompt:
  text: "It is @{strftme_tz America/Chicago %H:%M}. Caller: ${fmt_ph:caller_id_num}."
functions:
  - function: search
    description: Search the catalogue
    parameters: {type: object, properties: {q: {type: string}}}
    data_map:
      webhooks:
        - url: https://api.example.com/search?q=${enc:url:args.q}&l=${lower:args.q}
          output: {response: "${summary}"}
"""


def test_unknown_helpers_and_functions(full, where) -> None:
    diags = full(BAD, "SWC406")
    assert where(diags) == [(2, 16, "SWC406"), (9, 49, "SWC406"), (9, 69, "SWC406")]
    by_col = {d.span.col: d for d in diags}
    assert by_col[16].message == "'@{strftme_tz}' is not a template function the platform has"
    assert by_col[16].help == "did you mean 'strftime_tz'?"
    url = by_col[49]
    assert url.message == ("'url' is not a runtime helper: '${enc:url:args.q}' reads the path "
                           "'url:args.q' and expands to nothing")
    assert url.help == "drop 'url:' (the helpers are enc, lc and fmt_ph)"
    assert url.fix == Fix(
        "drop 'url:'", "agents/agent.yaml",
        ("functions", 0, "data_map", "webhooks", 0, "url"), "set",
        "https://api.example.com/search?q=${enc:args.q}&l=${lower:args.q}", safe=False)


def test_known_helpers_pass(full) -> None:
    good = BAD.replace("strftme_tz", "strftime_tz").replace("enc:url:", "enc:").replace(
        "${lower:args.q}", "${lc:args.q}")
    assert full(good, "SWC406") == []

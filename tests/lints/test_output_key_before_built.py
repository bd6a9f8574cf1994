from __future__ import annotations

BAD = """\
prompt: {text: You read forecasts.}
functions:
  - function: forecast
    description: Three-day forecast
    data_map:
      expressions:
        - {string: "${summary}", pattern: "^$", output: {response: Nothing yet.}}
      webhooks:
        - url: https://api.example.com/forecast?after=${summary}
          foreach: {input_key: days, output_key: summary, append: "${summary} ${this.text}"}
          output: {response: "Forecast: ${summary}"}
      output: {response: "Forecast: ${Summary}"}
"""


def test_reads_before_the_foreach(full, where) -> None:
    diags = full(BAD, "SWC404")
    assert where(diags) == [(7, 21, "SWC404"), (9, 55, "SWC404"), (10, 68, "SWC404"),
                            (12, 37, "SWC404")]
    by_line = {d.span.line: d for d in diags}
    assert by_line[12].message == (
        "'${Summary}' is read in the data_map's fallback output, before its foreach has built "
        "it: it expands to an empty string")
    assert by_line[10].message.startswith(
        "'${summary}' is read in the foreach's own append, while it is still being built")
    assert by_line[12].labels[0].message == "built here"
    assert (by_line[12].labels[0].span.line, by_line[12].labels[0].span.col) == (10, 50)
    assert by_line[12].help == ("read it in the same webhook's expressions or output, which "
                                "run after foreach")


def test_read_by_the_same_webhook_passes(full) -> None:
    text = """\
prompt: {text: You read forecasts.}
functions:
  - function: forecast
    description: Three-day forecast
    data_map:
      webhooks:
        - url: https://api.example.com/forecast
          foreach: {input_key: days, output_key: summary, append: "${this.text} "}
          expressions:
            - {string: "${summary}", pattern: storm, output: {response: "Storms: ${summary}"}}
          output: {response: "Forecast: ${summary}"}
        - url: https://backup.example.com/forecast
          output: {response: "Backup says ${summary}"}
      output: {response: The forecast service is not answering.}
"""
    # The second webhook's response may have a `summary` field of its own: not reported.
    assert full(text, "SWC404") == []

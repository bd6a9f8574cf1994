from __future__ import annotations

from compiler.core.diagnostics import Fix

BAD = """\
prompt: {text: You report the weather.}
functions:
  - function: get_weather
    description: Weather for a city
    parameters: {type: object, properties: {city: {type: string}}}
    meta_data: {unit: F}
    data_map:
      expressions:
        - {string: "${input.args.city}", pattern: "^$", output: {response: "${this.x}"}}
      webhooks:
        - url: https://wttr.in/${enc:args.city}?format=j1
          foreach: {input_key: days, output_key: days_text, append: "${this.day} "}
          output:
            response: "In ${args.city} it is ${response.temp} ${meta_data.unit}."
"""


def test_roots_that_read_nothing(full, where) -> None:
    diags = full(BAD, "SWC403")
    assert where(diags) == [(9, 21, "SWC403"), (9, 77, "SWC403"), (14, 27, "SWC403"),
                            (14, 46, "SWC403"), (14, 63, "SWC403")]
    by_col = {(d.span.line, d.span.col): d for d in diags}
    args = by_col[(14, 27)]
    assert args.message == ("'${args.city}' in a webhook's output expands to an empty string: "
                            "'args' reads nothing in a webhook's response scope")
    assert args.help == "write '${input.args.city}'"
    fixed = "In ${input.args.city} it is ${temp} ${input.meta_data.unit}."
    assert args.fix == Fix(
        "write '${input.args.city}'", "agents/agent.yaml",
        ("functions", 0, "data_map", "webhooks", 0, "output", "response"), "set", fixed, True)
    # Every problem in one string carries the same fix: the string with all of them rewritten.
    assert by_col[(14, 46)].fix is not None and by_col[(14, 46)].fix.value == fixed
    assert by_col[(14, 46)].help == "write '${temp}'"
    assert by_col[(9, 21)].help == "write '${args.city}'"
    this = by_col[(9, 77)]
    assert this.message.endswith("${this} exists only inside a foreach's append")
    assert this.fix is None


def test_right_scopes_pass(full) -> None:
    good = (BAD.replace("${input.args.city}", "${args.city}").replace("${this.x}", "none")
            .replace('"In ${args.city} it is ${response.temp} ${meta_data.unit}."',
                     '"In ${input.args.city} it is ${temp} ${input.meta_data.unit}."'))
    assert full(good, "SWC403") == []


def test_bundled_weather_agent_uses_the_right_scopes(lint_only) -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "agents" / "weather.yaml").read_text()
    assert lint_only(text, "SWC403") == []


def test_no_fix_where_the_string_is_a_jinja_template(full) -> None:
    text = BAD.replace("${meta_data.unit}.", "{{ 'x' }}.")
    diags = full(text, "SWC403")
    assert diags and all(d.fix is None for d in diags if d.span.line == 14)

from __future__ import annotations

BAD = """\
prompt: {text: You report the weather.}
functions:
  - function: get_weather
    description: Weather for a city
    parameters:
      type: object
      properties: {city: {type: string}, units: {type: string}}
    data_map:
      expressions:
        - {string: "${args.ctiy}", pattern: "^$", output: {response: Which city?}}
      webhooks:
        - url: https://wttr.in/${enc:args.town}?format=j1
          require_args: [city, zip]
          output: {response: "In ${input.args.cty}: ${temp}"}
      output: {response: "No weather for ${args.City} in ${args.units}."}
"""


def test_undeclared_arguments(full, where) -> None:
    diags = full(BAD, "SWC402")
    assert where(diags) == [(10, 21, "SWC402"), (12, 32, "SWC402"), (13, 32, "SWC402"),
                            (14, 34, "SWC402")]
    by_line = {d.span.line: d for d in diags}
    assert by_line[10].message == ("function 'get_weather' declares no parameter 'ctiy': "
                                   "'${args.ctiy}' expands to an empty string")
    assert by_line[10].help == "did you mean 'city'?"
    assert by_line[12].help == ("declare it under parameters.properties "
                                "(declared: 'city', 'units')")
    assert by_line[13].message == ("function 'get_weather' declares no parameter 'zip': "
                                   "this webhook never runs")


def test_declared_arguments_pass(full) -> None:
    good = (BAD.replace("args.ctiy", "args.city").replace("args.town", "args.city")
            .replace(", zip]", "]").replace("args.cty", "args.city"))
    assert full(good, "SWC402") == []


def test_a_function_without_parameters_declares_none(full, where) -> None:
    text = """\
prompt: {text: Hi}
functions:
  - function: joke
    description: Tell a joke
    data_map:
      output: {response: "A joke about ${args.topic}"}
"""
    diags = full(text, "SWC402")
    assert where(diags) == [(6, 40, "SWC402")]
    assert diags[0].help == "declare it under parameters.properties (declared: none)"

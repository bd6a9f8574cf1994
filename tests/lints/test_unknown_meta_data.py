from __future__ import annotations

BAD = """\
prompt: {text: You read temperatures.}
functions:
  - function: temperature
    description: Current temperature
    meta_data: {unit_name: degrees Fahrenheit}
    data_map:
      webhooks:
        - url: "https://api.example.com/t?u=${meta_data.unit_nam}"
          output: {response: "It is ${temp} ${input.meta_data.units}."}
      output: {response: "No reading in ${meta_data.unit_name} or ${meta_data.scale}."}
"""


def test_unknown_meta_data_keys(full, where) -> None:
    diags = full(BAD, "SWC405")
    assert where(diags) == [(8, 45, "SWC405"), (9, 45, "SWC405"), (10, 67, "SWC405")]
    first = diags[0]
    assert first.message == ("'${meta_data.unit_nam}' names no meta_data key of function "
                             "'temperature': it expands to an empty string")
    assert first.help == "did you mean 'unit_name'?"
    scale = next(d for d in diags if "scale" in d.message)
    assert scale.help == "add 'scale' under the function's meta_data"


def test_keys_from_meta_data_token_and_set_meta_data_pass(full) -> None:
    text = """\
prompt: {text: You read temperatures.}
functions:
  - function: set_units
    description: Remember the caller's units
    meta_data_token: weather
    meta_data: {scale: celsius}
    data_map:
      output:
        response: Noted.
        action: [{set_meta_data: {last_reading: none}}]
  - function: temperature
    description: Current temperature
    meta_data_token: weather
    data_map:
      output: {response: "${meta_data.scale} ${meta_data.last_reading}"}
"""
    assert full(text, "SWC405") == []

"""SWC424 (issue 13, point 2): keys and tokens written into a header, a URL's query or
meta_data, beyond SWC422's ``user:pass@``; token shapes told from ordinary words."""

from __future__ import annotations

from typing import Any

BAD = """\
prompt: {text: You look things up.}
functions:
  - function: lookup
    description: Look up
    parameters: {type: object, properties: {city: {type: string}}}
    meta_data: {api_key: sk_live_4eC39HqLyjWDarjtT1zdp7dc, plan: gold}
    data_map:
      webhooks:
        - url: "https://api.example.com/w?apikey=a8f5f167f44f4964e6c998dee827110c&q=${enc:args.city}"
          headers:
            Authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
            X-Api-Key: ghp_16C7e42F292c6912E7710c838347Ae178B4a
          output: {response: ok}
"""


def test_each_place_a_token_is_written(full: Any) -> None:
    diags = full(BAD, "SWC424")
    assert [(d.span.line, d.span.col, d.span.end_col, d.message) for d in diags] == [
        (6, 26, 58, "meta_data 'api_key' holds a key written as a literal"),
        (9, 50, 82, "this URL's 'apikey' parameter holds a key written as a literal"),
        (11, 36, 85, "the 'Authorization' header holds a key written as a literal"),
        (12, 24, 64, "the 'X-Api-Key' header holds a key written as a literal"),
    ]
    assert [d.help for d in diags] == [
        "declare LOOKUP_API_KEY under secrets: in swmlc.yaml and write "
        "api_key: \"{{ secret('LOOKUP_API_KEY') }}\" (its value is bound where you deploy)",
        "declare LOOKUP_APIKEY under secrets: in swmlc.yaml and write "
        "apikey={{ secret('LOOKUP_APIKEY') }} in the URL (its value is bound where you deploy)",
        "declare LOOKUP_TOKEN under secrets: in swmlc.yaml and write "
        "Authorization: \"Bearer {{ secret('LOOKUP_TOKEN') }}\" (its value is bound where you "
        "deploy)",
        "declare LOOKUP_X_API_KEY under secrets: in swmlc.yaml and write "
        "X-Api-Key: \"{{ secret('LOOKUP_X_API_KEY') }}\" (its value is bound where you deploy)",
    ]
    assert {d.severity.label for d in diags} == {"warning"}


def test_secrets_runtime_templates_and_ordinary_words_pass(full: Any) -> None:
    text = """\
prompt: {text: You look things up.}
functions:
  - function: lookup
    description: Look up
    meta_data: {token: required, password: YOUR_PASSWORD, api_key: "<RAPID_API_KEY>"}
    data_map:
      webhooks:
        - url: "https://api.example.com/w?key=KEY&token=${global_data.token}&apikey=replace-me"
          headers:
            Authorization: "Bearer {{ secret('API_TOKEN') }}"
            X-Api-Key: "${meta_data.api_key}"
            Content-Type: application/json
            X-Request-Id: 0f8fad5b-d9cb-469f-a165-70867728950e
          output: {response: ok}
"""
    assert full(text, "SWC424") == []


def test_a_token_a_template_wrote_is_said_so(full: Any) -> None:
    text = """\
vars: {token: sk_live_4eC39HqLyjWDarjtT1zdp7dc}
prompt: {text: You look things up.}
functions:
  - function: lookup
    description: Look up
    data_map:
      webhooks:
        - url: https://api.example.com/w
          headers: {X-Api-Key: "{{ token }}"}
          output: {response: ok}
"""
    [diag] = full(text, "SWC424")
    assert (diag.span.line, diag.span.col) == (9, 32)
    assert diag.message == "the 'X-Api-Key' header holds a key a template wrote into it"


def test_a_password_in_a_url_stays_swc422_s(full: Any) -> None:
    text = "prompt: {text: Hi}\npost_prompt_url: https://u:sk_live_4eC39HqLyjWDarjtT1zdp7dc" \
           "@hooks.example.com/x\n"
    assert [d.code for d in full(text) if d.code in ("SWC422", "SWC424")] == ["SWC422"]

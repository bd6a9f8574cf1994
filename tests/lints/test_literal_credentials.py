from __future__ import annotations

BAD = """\
prompt: {text: You transfer callers.}
post_prompt_url: https://summary:hunter2@hooks.example.com/summary
swaig_defaults: {web_hook_url: "https://bot:{{ 'pa55' }}@tools.example.com/swaig"}
functions:
  - function: lookup
    description: Look up
    data_map:
      webhooks:
        - url: "https://api:${global_data.token}@api.example.com/?next=https://a:b@c"
          output: {response: ok}
"""


def test_literal_passwords_in_urls(full, where) -> None:
    diags = full(BAD, "SWC422")
    # The Jinja literal renders to a literal password too; a runtime template does not count,
    # but the second URL in the same string does.
    assert where(diags) == [(2, 26, "SWC422"), (3, 32, "SWC422"), (9, 80, "SWC422")]
    assert diags[0].message == "this URL holds a password written as a literal"
    assert diags[0].help == ("use a secret: https://{{ secret('USER') }}:{{ secret('PASSWORD') "
                             "}}@host/... (declared under secrets: in swmlc.yaml)")


def test_secrets_and_users_without_password_pass(full) -> None:
    text = """\
prompt: {text: You transfer callers.}
post_prompt_url: "https://summary:{{ secret('PP_PASS') }}@hooks.example.com/summary"
swaig_defaults: {web_hook_url: "https://bot@tools.example.com/swaig"}
swml:
  after: [{connect: {to: "sip:alice@example.com"}}]
"""
    assert [d.code for d in full(text)] == ["SWC306"]  # the secret is not declared here
    assert full(text, "SWC422") == []

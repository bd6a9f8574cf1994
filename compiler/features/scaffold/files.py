"""The files ``swmlc init`` writes. Each is a template with a few names filled in; the agents
build, pass ``swmlc check`` and lint clean as written (a test builds them)."""

from __future__ import annotations

from compiler.core.version import __version__

#: Where the editor schemas live in a scaffolded repository, refreshed by ``swmlc build``.
SCHEMA_FOLDER = ".swmlc/schemas"
#: The schemas written there: agents, swmlc.yaml, test files and the HTTP fixtures they use.
EDITOR_SCHEMAS = ("agent.schema.json", "project.schema.json", "agent-test.schema.json",
                  "http-fixtures.schema.json")

SWMLC_YAML = """\
# yaml-language-server: $schema=.swmlc/schemas/project.schema.json
# swmlc.yaml: where the agents and their build live, the variables every agent sees, and where
# the SWAIG webhooks are served. Every key is described in swmlc's docs/project-config.md.
agents: agents          # the agent definitions (files and folders starting with _ are partials)
build: build            # what they compile to; commit it, `swmlc check` keeps it fresh
targets: [swml]         # add relay (call.ai() keyword arguments) or bedrock when you need them

# Variables every agent may use as {{ name }} (an agent's own vars: win over these).
vars:
  company: Example Co
  support_hours: 9am to 5pm, Monday to Friday

# Secrets are declared here and never written into build/: documents hold <<secret:NAME>>
# placeholders, bound when you deploy (swmlc build --bind-secrets -o DIR) or serve.
secrets: [SWAIG_USER, SWAIG_PASSWORD]

# The server that answers the agents' webhook functions (`webhook: /path` in a function).
swaig:
  base_url: https://tools.example.com/swaig
  auth_user: "{{ secret('SWAIG_USER') }}"
  auth_password: "{{ secret('SWAIG_PASSWORD') }}"

# Environments built from the same agents, each into its own folder:
#   swmlc build --profile staging     (or SWMLC_PROFILE=staging)
#   swmlc build --all-profiles        swmlc check  (checks every profile's folder)
# profiles:
#   staging:
#     vars: {company: Example Co (staging)}
#     swaig: {base_url: https://tools.staging.example.com/swaig}
"""

BASE = """\
# yaml-language-server: $schema=../../.swmlc/schemas/agent.schema.json
# A base agent: what every agent that extends it shares (languages, params, hints).
languages:
  - name: English
    code: en-US
    voice: rime.spore
params:
  end_of_speech_timeout: 700
  attention_timeout: 20000
hints: [{company}]
"""

AGENT = """\
# yaml-language-server: $schema=../.swmlc/schemas/agent.schema.json
# An agent: build/{agent}.swml.json. It extends the base and takes a function from a library.
extends: _base/voice.yaml
prompt:
  sections:
    - title: Role
      body: You answer the phone for {{{{ company }}}}. Be brief and friendly.
    - title: Hours
      body: We are open {{{{ support_hours }}}}.
post_prompt:
  text: Summarize the call in one sentence.
functions:
  - use: _functions/tools.yaml#get_weather
  - function: transfer
    description: Transfer the caller to a person
    parameters:
      type: object
      properties:
        reason: {{type: string, description: Why the caller wants a person}}
    webhook: /transfer
"""

LIBRARY = """\
# yaml-language-server: $schema=../../.swmlc/schemas/agent.schema.json
# A function library: agents take what they need with `use: _functions/tools.yaml#name`.
- function: get_weather
  description: The current weather in a city
  parameters:
    type: object
    properties:
      city: {type: string, description: The city}
    required: [city]
  data_map:
    webhooks:
      - url: https://wttr.in/${enc:args.city}?format=j1
        method: GET
        output:
          response: "In ${input.args.city} it is ${current_condition[0].temp_C} degrees."
"""

TESTS = """\
# yaml-language-server: $schema=../../.swmlc/schemas/agent-test.schema.json
# Tests of the {agent} agent, run by `swmlc test` offline: HTTP is answered by fixtures/.
# Record real answers with: swmlc exec {agent} get_weather --city Paris --live --record FILE
agent: {agent}
fixtures: fixtures/weather.yaml
cases:
  - name: the weather in a city
    function: get_weather
    args: {{city: Paris}}
    expect:
      response: In Paris it is 18 degrees.
      requests: [{{method: GET, url: "https://wttr.in/Paris?format=j1"}}]
  - name: a transfer reaches the webhook server with the reason
    function: transfer
    args: {{reason: Billing question}}
    expect:
      response: {{contains: Transferring}}
      requests:
        - {{url: https://tools.example.com/swaig/transfer,
           json: {{argument: {{parsed: [{{reason: Billing question}}]}}}}}}
"""

FIXTURES = """\
# yaml-language-server: $schema=../../../.swmlc/schemas/http-fixtures.schema.json
# Answers for the requests the agents' functions send (docs: swmlc's docs/testing.md).
fixtures:
  - request: {method: GET, url: "https://wttr.in/Paris?format=j1"}
    response: {json: {current_condition: [{temp_C: "18"}]}}
  - request: {method: POST, url: https://tools.example.com/swaig/transfer}
    response: {json: {response: Transferring you now.}}
"""

GITIGNORE = """\
# swmlc: the build lock, the stat cache and the staging folder beside build/
.swmlc-*
# deploy copies hold secret values (swmlc build --bind-secrets -o deploy/)
deploy/
# swmlc serve's call records (the default SQLite database); .swmlc/schemas/ is committed
.swmlc/calls.db*
.venv/
"""

PRE_COMMIT = """\
# https://pre-commit.com: `pip install pre-commit && pre-commit install`, then every commit is
# checked: it fails when build/ does not match the agents (run `swmlc build`, stage, commit).
repos:
  - repo: {url}
    rev: {rev}
    hooks:
      - id: swmlc-check
        additional_dependencies: [signalwire-sdk]
        always_run: true
"""

WORKFLOW = """\
name: agents

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install "swmlc @ git+{url}@{rev}" signalwire-sdk
      # Fails when build/ does not match agents/; each problem is an annotation on its file.
      - run: swmlc check --format github
      # The agents' tests (tests/agents/), offline; a failure is an annotation on its line.
      - run: swmlc test --coverage --format github

  diff:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install "swmlc @ git+{url}@{rev}" signalwire-sdk
      - name: swmlc diff
        env:
          BASE_REF: ${{{{ github.base_ref }}}}
        run: swmlc diff --against "origin/$BASE_REF" --format markdown >> "$GITHUB_STEP_SUMMARY"
"""


def _schemas() -> dict[str, str]:
    from compiler.source.schema import BUNDLED

    return {f"{SCHEMA_FOLDER}/{name}": (BUNDLED / name).read_text(encoding="utf-8")
            for name in EDITOR_SCHEMAS}


def scaffold(agent: str, url: str, rev: str) -> dict[str, str]:
    """Every file of a new repository, by its path from the repository's root."""
    # file://localhost/...: pip before 24 refuses a file URL without a host in a requirement
    pip_url = url if "://" in url else f"file://localhost{url}"
    return {
        "swmlc.yaml": SWMLC_YAML,
        "agents/_base/voice.yaml": BASE.format(company="Example Co"),
        f"agents/{agent}.yaml": AGENT.format(agent=agent),
        "agents/_functions/tools.yaml": LIBRARY,
        f"tests/agents/{agent}.test.yaml": TESTS.format(agent=agent),
        "tests/agents/fixtures/weather.yaml": FIXTURES,
        ".gitignore": GITIGNORE,
        ".pre-commit-config.yaml": PRE_COMMIT.format(url=url, rev=rev),
        ".github/workflows/agents.yml": WORKFLOW.format(url=pip_url, rev=rev),
        **_schemas(),
        f"{SCHEMA_FOLDER}/README.md": f"JSON Schemas for editors (yaml-language-server), "
        f"written by swmlc {__version__}; `swmlc build` refreshes them when swmlc changes.\n",
    }

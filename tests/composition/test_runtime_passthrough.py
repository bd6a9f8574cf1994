"""Issue 3, point 5: SignalWire's runtime templates pass through compile-time templating
untouched, byte for byte, in every field, also in strings that hold Jinja expressions.

The static checks that judge runtime references (SWC4xx) are turned off in these projects with
``rules:``: here only the bytes matter, whatever the reference names.
"""

from __future__ import annotations

import json

import pytest

from tests.composition.conftest import Build, ai_of

FORMS = [
    "${global_data.plan}",
    "${args.q}",
    "%{args.q}",
    "${call.from}",
    "${meta_data.k}",
    "${enc:args.q}",
    "${lc:enc:args.q}",
    "%{input.args.q}",
    "${results[-1].title}",
    "${meta_data.contacts.${lc:args.department}}",
    "@{strftime_tz America/Chicago %H:%M}",
    "@{echo hi}",
    "@{expr 1 + 2}",
]

RULES_OFF = "rules: {" + ", ".join(f"SWC4{n:02d}: off" for n in range(1, 30)) + "}\n"


def definition(text: str) -> str:
    """``text`` (YAML-quoted) in every kind of string field of an agent."""
    q = json.dumps(text)
    return f"""vars: {{company: Acme, plan_ref: "${{global_data.plan}}"}}
prompt:
  text: {q}
  contexts:
    default:
      steps:
        - name: greet
          text: {q}
          step_criteria: {q}
post_prompt: {{text: {q}}}
global_data: {{plan: basic, note: {q}}}
hints: [{q}]
pronounce: [{{replace: ACME, with: {q}}}]
params: {{static_greeting: {q}}}
functions:
  - function: lookup
    description: {q}
    parameters:
      type: object
      properties:
        q: {{type: string, description: {q}}}
    meta_data: {{k: {q}}}
    data_map:
      webhooks:
        - url: {json.dumps("https://api.example.com/search?q=" + text)}
          method: GET
          headers: {{X-Note: {q}}}
          output:
            response: {q}
            action: [{{set_global_data: {{last: {q}}}}}]
      output: {{response: {q}}}
  - function: transfer
    description: Transfer the caller
    web_hook_url: {json.dumps("https://tools.example.com/transfer?n=" + text)}
    fillers: {{en-US: [{q}]}}
swaig_includes: [{{url: {json.dumps("https://tools.example.com/inc?n=" + text)}, functions: [x]}}]
swml:
  before: [{{answer: {{}}}}, {{play: {{url: {json.dumps("say:" + text)}}}}}]
  after: [{{play: {{url: {json.dumps("say:" + text)}}}}}, {{hangup: {{}}}}]
"""


def fields(built) -> dict[str, str]:
    doc = built.doc("a")
    ai = ai_of(doc)
    fn, transfer = ai["SWAIG"]["functions"]
    step = ai["prompt"]["contexts"]["default"]["steps"][0]
    hook = fn["data_map"]["webhooks"][0]
    return {
        "prompt.text": ai["prompt"]["text"],
        "step.text": step["text"],
        "step.step_criteria": step["step_criteria"],
        "post_prompt.text": ai["post_prompt"]["text"],
        "global_data.note": ai["global_data"]["note"],
        "hints[0]": ai["hints"][0],
        "pronounce[0].with": ai["pronounce"][0]["with"],
        "params.static_greeting": ai["params"]["static_greeting"],
        "function.description": fn["description"],
        "parameter.description": fn["parameters"]["properties"]["q"]["description"],
        "meta_data.k": fn["meta_data"]["k"],
        "webhook.url": hook["url"].removeprefix("https://api.example.com/search?q="),
        "webhook.headers": hook["headers"]["X-Note"],
        "webhook.output": hook["output"]["response"],
        "webhook.action": hook["output"]["action"][0]["set_global_data"]["last"],
        "data_map.output": fn["data_map"]["output"]["response"],
        "web_hook_url": transfer["web_hook_url"].removeprefix(
            "https://tools.example.com/transfer?n="),
        "fillers": transfer["fillers"]["en-US"][0],
        "swaig_includes.url": ai["SWAIG"]["includes"][0]["url"].removeprefix(
            "https://tools.example.com/inc?n="),
        "swml.before": doc["sections"]["main"][1]["play"]["url"].removeprefix("say:"),
        "swml.after": doc["sections"]["main"][3]["play"]["url"].removeprefix("say:"),
    }


@pytest.mark.slow
@pytest.mark.parametrize("form", FORMS)
def test_a_runtime_template_alone_is_untouched_everywhere(project, build: Build,
                                                          form: str) -> None:
    root = project({"swmlc.yaml": RULES_OFF, "agents/a.yaml": definition(form)})
    built = build(root)
    found = fields(built)
    assert found == {k: form for k in found}
    assert built.text("a").count(form) >= len(found)  # the bytes, as written


@pytest.mark.slow
@pytest.mark.parametrize("form", FORMS)
def test_a_runtime_template_beside_jinja_is_untouched(project, build: Build, form: str) -> None:
    text = f"{{{{ company }}}} [{form}] {{% if company %}}yes{{% endif %}} {form}"
    root = project({"swmlc.yaml": RULES_OFF, "agents/a.yaml": definition(text)})
    found = fields(build(root))
    expected = f"Acme [{form}] yes {form}"
    assert found == {k: expected for k in found}


@pytest.mark.slow
@pytest.mark.parametrize("form", FORMS)
def test_a_runtime_template_inside_a_jinja_block(project, build: Build, form: str) -> None:
    text = f"{{% for n in [1, 2] %}}{form}/{{{{ n }}}};{{% endfor %}}"
    root = project({"swmlc.yaml": RULES_OFF, "agents/a.yaml": definition(text)})
    found = fields(build(root))
    assert found["prompt.text"] == f"{form}/1;{form}/2;"
    assert set(found.values()) == {f"{form}/1;{form}/2;"}


def test_runtime_templates_from_variables_and_files_are_untouched(project, build) -> None:
    root = project({
        "swmlc.yaml": RULES_OFF,
        "agents/a.yaml": "vars: {ref: '${global_data.plan}', at: '@{echo hi}'}\n"
                         "prompt:\n  text: \"{{ ref }} {{ at }} {% include '_p.md' %} "
                         "{{ file('_p.md') }} {{ '%{args.q}' }}\"\n"
                         "global_data: {plan: basic, ref: '{{ ref }}'}\n",
        "agents/_p.md": "${call.from} %{meta_data.k} {{ ref }}",
    })
    ai = build(root).ai("a")
    assert ai["prompt"]["text"] == ("${global_data.plan} @{echo hi} ${call.from} %{meta_data.k} "
                                    "${global_data.plan} ${call.from} %{meta_data.k} {{ ref }} "
                                    "%{args.q}")
    assert ai["global_data"]["ref"] == "${global_data.plan}"


def test_runtime_templates_in_a_base_and_a_library(project, build: Build) -> None:
    root = project({
        "agents/_functions/lib.yaml": "- function: lookup\n  description: Look up ${args.q}\n"
                                      "  parameters: {type: object, properties: "
                                      "{q: {type: string, description: q}}}\n"
                                      "  data_map:\n    output: {response: 'Got ${args.q}'}\n",
        "agents/_base.yaml": "global_data: {plan: basic}\n"
                             "prompt: {text: 'Plan ${global_data.plan} for {{ who }}'}\n",
        "agents/a.yaml": "extends: _base.yaml\nvars: {who: Riley}\n"
                         "functions: [{use: _functions/lib.yaml#lookup}]\n",
    })
    ai = build(root).ai("a")
    assert ai["prompt"]["text"] == "Plan ${global_data.plan} for Riley"
    assert ai["SWAIG"]["functions"][0]["data_map"]["output"] == {"response": "Got ${args.q}"}

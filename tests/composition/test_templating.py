"""Issue 3, point 4: compile-time templating (Jinja2) over every string of a definition.

Sandboxed, strict (an undefined name is an error at its file:line:col, with a did-you-mean),
``env()`` only for names listed under ``env:``, ``secret()`` for names under ``secrets:``,
``{% include %}`` and ``file()`` with the path rules of extends, one rendering pass, whole
expressions keeping their type, and compiled templates cached by source text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.composition.conftest import Build, related, where

URL = "https://tools.example.com/swaig"


# --- every string -----------------------------------------------------------------------------

def test_every_string_of_the_definition_is_rendered(project, build: Build) -> None:
    root = project({"agents/a.yaml": f"""vars: {{company: Acme, voice: rime.spore, late: true}}
prompt:
  sections:
    - title: "{{{{ company }}}} rules"
      body: Be kind.
      bullets: ["Say {{{{ company }}}}.", "{{% if late %}}It is late.{{% else %}}Hi.{{% endif %}}"]
post_prompt: {{text: "Summarize the {{{{ company | upper }}}} call."}}
global_data: {{brand: "{{{{ company }}}}"}}
hints: ["{{{{ company }}}}"]
languages: [{{name: English, code: en-US, voice: "{{{{ voice }}}}"}}]
params: {{static_greeting: "Welcome to {{{{ company }}}}."}}
functions:
  - function: lookup
    description: "Look up an {{{{ company }}}} order"
    web_hook_url: "{URL}/{{{{ company | lower }}}}"
    parameters:
      type: object
      properties: {{id: {{type: string, description: "The {{{{ company }}}} order id"}}}}
swml:
  after: [{{play: {{url: "say:Thanks for calling {{{{ company }}}}."}}}}, {{hangup: {{}}}}]
"""})
    built = build(root)
    ai = built.ai("a")
    assert ai["prompt"]["pom"] == [{"title": "Acme rules", "body": "Be kind.",
                                    "bullets": ["Say Acme.", "It is late."]}]
    assert ai["post_prompt"] == {"text": "Summarize the ACME call."}
    assert ai["global_data"] == {"brand": "Acme"}
    assert ai["hints"] == ["Acme"]
    assert ai["languages"][0]["voice"] == "rime.spore"
    assert ai["params"] == {"static_greeting": "Welcome to Acme."}
    fn = ai["SWAIG"]["functions"][0]
    assert fn["description"] == "Look up an Acme order"
    assert fn["web_hook_url"] == f"{URL}/acme"
    assert fn["parameters"]["properties"]["id"]["description"] == "The Acme order id"
    assert built.doc("a")["sections"]["main"][-2] == {
        "play": {"url": "say:Thanks for calling Acme."}}


def test_strings_of_every_layer_are_rendered_with_the_agents_variables(project, build) -> None:
    root = project({
        "agents/_base.yaml": "vars: {assistant: Riley}\nparams:\n"
                             "  static_greeting: 'This is {{ assistant }} at {{ clinic }}.'\n",
        "agents/a.yaml": "extends: _base.yaml\nvars: {clinic: Pearl}\nprompt: {text: hi}\n",
    })
    assert build(root).ai("a")["params"] == {"static_greeting": "This is Riley at Pearl."}


# --- type preservation ------------------------------------------------------------------------

@pytest.mark.parametrize(("var", "template", "expected"), [
    ("17000", "{{ t }}", 17000),
    ("17000", "{{ t + 1 }}", 17001),
    ("17000", "{{t}}", 17000),
    ("17000", " {{ t }}", " 17000"),       # not one whole expression: text
    ("17000", "{{ t }}ms", "17000ms"),
    ("true", "{{ t }}", True),
    ("true", "{{ not t }}", False),
    ("0.25", "{{ t }}", 0.25),
    ("[a, b]", "{{ t }}", ["a", "b"]),
    ("[a, b]", '{{ t | join(", ") }}', "a, b"),
    ("{k: [1, 2]}", "{{ t }}", {"k": [1, 2]}),
    ("17000", "{% if t %}{{ t }}{% endif %}", "17000"),   # a block: always text
])
@pytest.mark.slow
def test_a_whole_expression_keeps_its_type(project, build: Build, var: str, template: str,
                                           expected: object) -> None:
    root = project({"agents/a.yaml": f"vars:\n  t: {var}\nprompt: {{text: hi}}\n"
                                     f"global_data:\n  v: '{template}'\n"})
    assert build(root).ai("a")["global_data"] == {"v": expected}


def test_typed_values_reach_typed_fields(project, build: Build) -> None:
    root = project({"agents/a.yaml": "vars: {timeout: 17000, vision: true, words: [Acme, Zeta]}\n"
                                     "prompt: {text: hi}\n"
                                     "params: {attention_timeout: '{{ timeout }}', "
                                     "enable_vision: '{{ vision }}'}\n"
                                     "hints: '{{ words }}'\n"})
    ai = build(root).ai("a")
    assert ai["params"] == {"attention_timeout": 17000, "enable_vision": True}
    assert ai["hints"] == ["Acme", "Zeta"]


# --- undefined names --------------------------------------------------------------------------

def test_an_undefined_name_is_an_error_at_its_string_with_did_you_mean(project, build) -> None:
    root = project({"swmlc.yaml": "vars: {company: Acme}\n",
                    "agents/a.yaml": "prompt: {text: 'Welcome to {{ compnay }}'}\n"})
    err = build(root, ok=False).error("SWC301")
    assert where(err) == "agents/a.yaml:1:16"
    assert err["message"] == "undefined variable 'compnay'"
    assert err["help"] == "did you mean 'company'?"


def test_did_you_mean_covers_the_template_functions(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt:\n  text: \"{{ secrt('X') }}\"\n"})
    err = build(root, ok=False).error("SWC301")
    assert where(err) == "agents/a.yaml:2:9"
    assert err["help"] == "did you mean 'secret'?"


def test_an_undefined_name_with_no_near_miss_says_how_to_define_it(project, build) -> None:
    root = project({"agents/a.yaml": "prompt: {text: hi}\nglobal_data: {x: '{{ zebra }}'}\n"})
    err = build(root, ok=False).error("SWC301")
    assert where(err) == "agents/a.yaml:2:18"
    assert err["help"] == ("define it under vars: (in the agent, a layer or swmlc.yaml), "
                           "or pass --var zebra=VALUE")


def test_an_undefined_name_inside_a_list_expression(project, build: Build) -> None:
    root = project({"agents/a.yaml": "vars: {company: Acme}\nprompt: {text: hi}\n"
                                     "hints: '{{ [company, compny] }}'\n"})
    err = build(root, ok=False).error("SWC301")
    assert where(err) == "agents/a.yaml:3:8"
    assert err["message"] == "undefined variable 'compny'"


def test_an_undefined_attribute_is_not_called_a_variable(project, build: Build) -> None:
    root = project({"agents/a.yaml": "vars: {clinic: {name: Pearl}}\nprompt: {text: hi}\n"
                                     "global_data: {x: '{{ clinic.nmae }}'}\n"})
    err = build(root, ok=False).error("SWC301")
    assert "nmae" in err["message"]
    assert err["message"] != "undefined variable 'nmae'"


def test_an_error_in_a_base_points_into_the_base(project, build: Build) -> None:
    root = project({"agents/_base.yaml": "params:\n  static_greeting: 'Hi from {{ clinc }}'\n",
                    "agents/a.yaml": "extends: _base.yaml\nvars: {clinic: Pearl}\n"
                                     "prompt: {text: hi}\n"})
    err = build(root, ok=False).error("SWC301")
    assert where(err) == "agents/_base.yaml:2:20"
    assert err["help"] == "did you mean 'clinic'?"
    assert ("agents/a.yaml:1:10", "included from here") in related(err)


def test_a_syntax_error_in_a_block_scalar_points_at_its_line(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt:\n  text: |\n    line one\n    line two {{ x }\n"})
    err = build(root, ok=False).error("SWC302")
    assert err["file"] == "agents/a.yaml" and err["line"] == 4
    assert err["message"] == "template syntax: unexpected '}'"


def test_a_failing_filter_is_a_template_error(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt:\n  text: '{{ 1 / 0 }}'\n"})
    err = build(root, ok=False).error("SWC303")
    assert where(err) == "agents/a.yaml:2:9"
    assert err["message"] == "template failed: division by zero"


# --- the sandbox ------------------------------------------------------------------------------

@pytest.mark.parametrize("expr", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ().__class__ }}",
    "x {{ ().__class__.__base__.__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ env.__call__.__globals__ }}",
    "{{ file._call }}",
    "{{ lipsum.__globals__['os'] }}",
])
def test_a_sandbox_violation_is_an_error(project, build: Build, expr: str) -> None:
    root = project({"agents/a.yaml": f'prompt:\n  text: "{expr}"\n'})
    err = build(root, ok=False).error("SWC304")
    assert where(err) == "agents/a.yaml:2:9"
    assert err["message"].startswith("not allowed in a template: ")
    assert err["help"] == "templates may use variables, filters and env/secret/file only"


@pytest.mark.parametrize("expr", ["{{ env }}", "x {{ secret }}", "{{ range(3) }}",
                                  "{{ 'Acme'.upper }}"])
def test_only_plain_values_can_be_written(project, build: Build, expr: str) -> None:
    """A function or Python object is refused rather than written as its repr()."""
    root = project({"agents/a.yaml": f'prompt:\n  text: "{expr}"\n'})
    err = build(root, ok=False).error("SWC304")
    assert "cannot be written into a document" in err["message"]


def test_the_environment_never_leaks_through_a_function(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt:\n  text: \"{{ 'fn: ' ~ env ~ secret ~ file }}\"\n"})
    built = build(root, env={"SWMLC_TEST_PRIVATE": "s3cr3t-value"})
    assert built.ai("a")["prompt"]["text"] == "fn: <function env><function secret><function file>"
    assert "s3cr3t-value" not in built.text("a")


def test_a_huge_range_is_refused(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt:\n  text: '{{ range(10**9) | list | length }}'\n"})
    err = build(root, ok=False).error("SWC303")
    assert "MAX_RANGE" in err["message"]


# --- env() ------------------------------------------------------------------------------------

ENV_CFG = "env: [REGION, TOOLS_HOST]\n"


def test_env_reads_a_listed_variable(project, build: Build) -> None:
    root = project({"swmlc.yaml": ENV_CFG,
                    "agents/a.yaml": "prompt: {text: \"Region {{ env('REGION') }}\"}\n"})
    assert build(root, env={"REGION": "eu"}).ai("a")["prompt"]["text"] == "Region eu"


def test_env_default_is_used_only_when_unset(project, build: Build) -> None:
    root = project({"swmlc.yaml": ENV_CFG,
                    "agents/a.yaml": "prompt: {text: \"Region {{ env('REGION', 'us') }}\"}\n"})
    assert build(root, env={"REGION": None}).ai("a")["prompt"]["text"] == "Region us"
    assert build(root, env={"REGION": "eu"}).ai("a")["prompt"]["text"] == "Region eu"


def test_env_unset_without_default_is_an_error(project, build: Build) -> None:
    root = project({"swmlc.yaml": ENV_CFG,
                    "agents/a.yaml": "prompt:\n  text: \"Region {{ env('REGION') }}\"\n"})
    err = build(root, env={"REGION": None}, ok=False).error("SWC305")
    assert where(err) == "agents/a.yaml:2:9"
    assert err["message"] == "environment variable REGION is not set"
    assert err["help"] == "set it, or give a default: env('REGION', 'value')"


def test_env_of_a_name_not_listed_is_an_error_even_when_set(project, build: Build) -> None:
    root = project({"swmlc.yaml": ENV_CFG,
                    "agents/a.yaml": "prompt:\n  text: \"Home {{ env('HOME', '/') }}\"\n"})
    err = build(root, env={"HOME": "/root"}, ok=False).error("SWC305")
    assert where(err) == "agents/a.yaml:2:9"
    assert err["message"] == "env('HOME') is not allowed"
    assert err["help"] == ("list it under 'env:' in swmlc.yaml (env: [HOME]) so the build's "
                           "dependence on the environment is declared")


def test_env_without_a_project_file_allows_nothing(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt:\n  text: \"{{ env('REGION', 'us') }}\"\n"})
    assert build(root, env={"REGION": "eu"}, ok=False).error("SWC305")["message"] == \
        "env('REGION') is not allowed"


# --- secret() (see test_secrets.py for binding) -----------------------------------------------

def test_secret_gives_a_placeholder(project, build: Build) -> None:
    root = project({"swmlc.yaml": "secrets: [PP_PASS]\n",
                    "agents/a.yaml": "prompt: {text: hi}\npost_prompt_url: \"https://"
                                     "summary:{{ secret('PP_PASS') }}@h.example.com/s\"\n"})
    built = build(root, env={"PP_PASS": "hunter2"})
    assert built.ai("a")["post_prompt_url"] == "https://summary:<<secret:PP_PASS>>@h.example.com/s"
    assert "hunter2" not in built.text("a")


def test_an_undeclared_secret_is_an_error_with_did_you_mean(project, build: Build) -> None:
    root = project({"swmlc.yaml": "secrets: [PP_PASS]\n",
                    "agents/a.yaml": "prompt: {text: hi}\npost_prompt_url: "
                                     "\"https://u:{{ secret('PP_PASSWORD') }}@h.example.com/s\"\n"})
    err = build(root, ok=False).error("SWC306")
    assert where(err) == "agents/a.yaml:2:18"
    assert err["message"] == "secret('PP_PASSWORD') is not declared"
    assert err["help"] == "did you mean 'PP_PASS'?"


def test_an_undeclared_secret_says_where_to_declare_it(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt: {text: \"{{ secret('TOKEN') }}\"}\n"})
    err = build(root, ok=False).error("SWC306")
    assert err["help"] == "list it under 'secrets:' in swmlc.yaml (secrets: [TOKEN])"


# --- {% include %} and file() -----------------------------------------------------------------

def test_include_renders_a_file_with_the_same_variables(project, build: Build) -> None:
    root = project({
        "agents/a.yaml": "vars: {clinic: Pearl}\n"
                         "prompt: {text: \"{% include '_prompts/role.md' %}\"}\n",
        "agents/_prompts/role.md": "You work at {{ clinic }}.\n{% include 'rules.md' %}",
        "agents/_prompts/rules.md": "Never give {{ clinic | upper }} medical advice.",
    })
    assert build(root).ai("a")["prompt"]["text"] == \
        "You work at Pearl.\nNever give PEARL medical advice."


def test_include_is_relative_to_the_file_holding_the_string(project, build: Build) -> None:
    """The string lives in the base (agents/_base/), so its include is found there, with the
    agent's variables."""
    root = project({
        "agents/_base/voice.yaml": "prompt: {text: \"{% include 'prompt.md' %}\"}\n",
        "agents/_base/prompt.md": "Base prompt for {{ clinic }}.",
        "agents/prompt.md": "WRONG",
        "agents/a.yaml": "extends: _base/voice.yaml\nvars: {clinic: Pearl}\n",
    })
    assert build(root, "agents/a.yaml").ai("a")["prompt"]["text"] == "Base prompt for Pearl."


def test_the_same_include_text_in_two_folders_finds_two_files(project, build: Build) -> None:
    root = project({
        "agents/a.yaml": "extends: one/_b.yaml\n", "agents/b.yaml": "extends: two/_b.yaml\n",
        "agents/one/_b.yaml": "prompt: {text: \"{% include 'p.md' %}\"}\n",
        "agents/two/_b.yaml": "prompt: {text: \"{% include 'p.md' %}\"}\n",
        "agents/one/p.md": "one", "agents/two/p.md": "two",
    })
    built = build(root)
    assert built.ai("a")["prompt"]["text"] == "one"
    assert built.ai("b")["prompt"]["text"] == "two"


def test_an_included_file_is_an_input_of_the_agent(project, build: Build) -> None:
    root = project({"agents/a.yaml": "prompt: {text: \"{% include '_p/x.md' %}\"}\n",
                    "agents/_p/x.md": "x"})
    assert "agents/_p/x.md" in build(root).manifest()["agents"]["a"]["inputs"]


def test_a_syntax_error_in_an_included_file_points_into_that_file(project, build) -> None:
    root = project({"agents/a.yaml": "prompt: {text: \"{% include '_p/x.md' %}\"}\n",
                    "agents/_p/x.md": "line one\nline two {{ oops }\n"})
    err = build(root, ok=False).error("SWC302")
    assert where(err) == "agents/_p/x.md:2:1"
    assert related(err) == [("agents/a.yaml:1:16", "included from here")]


@pytest.mark.parametrize("call", ["{% include '../../x.md' %}", "{{ file('../../x.md') }}"])
def test_include_and_file_cannot_leave_the_root(project, build: Build, call: str) -> None:
    root = project({"agents/a.yaml": f'prompt: {{text: "{call}"}}\n'})
    (root.parent / "x.md").write_text("outside")
    err = build(root, ok=False).error("SWC202")
    assert where(err) == "agents/a.yaml:1:16"
    assert err["message"] == "'../../x.md' resolves outside the project root"


def test_include_through_a_symlink_out_of_the_root(project, build: Build,
                                                   tmp_path_factory: pytest.TempPathFactory
                                                   ) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "x.md"
    outside.write_text("outside")
    root = project({"agents/a.yaml": "prompt: {text: \"{{ file('_p/x.md') }}\"}\n"})
    (root / "agents/_p").mkdir()
    Path(root / "agents/_p/x.md").symlink_to(outside)
    assert build(root, ok=False).error("SWC202")["message"] == \
        "'_p/x.md' resolves outside the project root"


@pytest.mark.parametrize("call", ["{% include '_p/nope.md' %}", "{{ file('_p/nope.md') }}"])
def test_include_and_file_of_a_missing_file(project, build: Build, call: str) -> None:
    root = project({"agents/a.yaml": f'prompt: {{text: "{call}"}}\n', "agents/_p/x.md": "x"})
    err = build(root, ok=False).error("SWC204")
    assert err["message"] == "file not found: agents/_p/nope.md"


def test_file_returns_the_text_as_it_is(project, build: Build) -> None:
    raw = "Say {{ not_a_variable }} and {% if x %}y{% endif %} to ${args.name}.\n"
    root = project({"agents/a.yaml": "vars: {a: 1}\n"
                                     "prompt: {text: \"{{ file('_p/raw.txt') }}\"}\n",
                    "agents/_p/raw.txt": raw})
    assert build(root).ai("a")["prompt"]["text"] == raw


# --- one pass ---------------------------------------------------------------------------------

def test_text_from_a_variable_is_not_rendered_again(project, build: Build) -> None:
    root = project({"agents/a.yaml": "vars:\n  literal: '{% raw %}{{ x }}{% endraw %}'\n"
                                     "prompt: {text: 'Say {{ literal }}'}\n"})
    assert build(root).ai("a")["prompt"]["text"] == "Say {{ x }}"


def test_text_from_a_var_on_the_command_line_is_rendered_once(project, build: Build) -> None:
    root = project({"agents/a.yaml": "vars: {x: inner}\nprompt: {text: 'Say {{ v }}'}\n"})
    built = build(root, "--var", "v={% raw %}{{ x }}{% endraw %}")
    assert built.ai("a")["prompt"]["text"] == "Say {{ x }}"


def test_text_from_a_file_held_in_a_variable_is_not_rendered_again(project, build) -> None:
    root = project({"agents/a.yaml": "vars: {raw: \"{{ file('_p/raw.txt') }}\"}\n"
                                     "prompt: {text: 'A: {{ raw }}'}\n",
                    "agents/_p/raw.txt": "{{ nope }}"})
    assert build(root).ai("a")["prompt"]["text"] == "A: {{ nope }}"


# --- caching ----------------------------------------------------------------------------------

def test_templates_are_compiled_once_per_source_text(project, build: Build,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A fleet of five shares its base: as many compilations as for a fleet of one."""
    from compiler.source.templating import sandbox

    compiled: list[str] = []
    original = sandbox.Environment.compile

    def counting(self, source, *args, **kwargs):
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(sandbox.Environment, "compile", counting)

    def fleet(rows: int) -> int:
        compiled.clear()
        root = project({
            "agents/_fleet.csv": "slug\n" + "".join(f"c{i}\n" for i in range(rows)),
            "agents/_base.yaml": "params: {static_greeting: 'Hello from {{ slug }}, "
                                 "{% if slug %}welcome{% endif %}.'}\n",
            "agents/a.yaml": "agent: 'clinic-{{ slug }}'\ninstances: _fleet.csv\n"
                             "extends: _base.yaml\nprompt: {text: \"{% include '_p.md' %}\"}\n",
            "agents/_p.md": "Prompt for {{ slug }}.",
        })
        built = build(root)
        assert len(built.agents()) == rows
        assert built.ai("clinic-c0")["params"]["static_greeting"] == "Hello from c0, welcome."
        (root / "build").joinpath("manifest.json").unlink()
        for p in (root / "build").iterdir():
            p.unlink()
        return len(compiled)

    one, five = fleet(1), fleet(5)
    assert one > 0
    assert five == one
    assert len(compiled) == len(set(compiled))  # no source compiled twice


# --- the failing examples of docs/diagnostics.md ----------------------------------------------

@pytest.mark.parametrize("code", ["SWC203", "SWC301", "SWC302", "SWC303", "SWC304", "SWC305",
                                  "SWC306", "SWC308"])
def test_the_documented_failing_example_fails_with_its_code(project, build: Build,
                                                             code: str) -> None:
    from compiler.features import catalogue as codes

    bad = codes.registry()[code].bad
    text = bad if "prompt" in bad else "prompt: {text: hi}\n" + bad
    root = project({"agents/a.yaml": text})
    assert code in [e["code"] for e in build(root, ok=False).errors]

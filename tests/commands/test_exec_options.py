"""``swmlc exec``'s options as issue 14 names them: the call a function runs in (--meta-data,
--call-data), where HTTP comes from (--http, its alias --fixtures), what is shown (--trace,
--format human|json), and secrets read only for --live."""

from __future__ import annotations

import json

import pytest

from tests.commands.test_exec import FIXTURES, WEATHER

META = """\
prompt: {text: You route calls.}
global_data: {office: Austin}
functions:
  - function: route
    description: Where a department is.
    parameters: {type: object, properties: {dept: {type: string}}}
    meta_data: {desk: {sales: "+15550100"}, greeting: Hello}
    data_map:
      output:
        response: >-
          ${meta_data.greeting}, ${meta_data.desk.${lc:args.dept}} for ${caller_id_num}
          (${call_id}) in ${language}
"""


@pytest.fixture
def routed(project):
    return project({"agents/router.yaml": META})


def test_meta_data_is_read_over_the_functions_own(routed, swmlc) -> None:
    result = swmlc("exec", "router", "route", "--dept", "Support", "--format", "json",
                   "--meta-data", '{"desk": {"support": "+15550199"}}')
    assert result.exit_code == 0, result.output
    # the call's meta_data replaces the function's own key by key: desk is the given one,
    # greeting the function's
    assert json.loads(result.stdout) == {
        "response": "Hello, +15550199 for +15555550123 "
                    "(00000000-0000-4000-8000-000000000001) in "}


def test_call_data_sets_call_details_and_prompt_variables_at_the_root(routed, swmlc) -> None:
    result = swmlc("exec", "router", "route", "--dept", "sales", "--format", "json",
                   "--call-data", '{"caller_id_num": "+15125550147", "call_id": "c-1", '
                   '"language": "en-US"}')
    assert json.loads(result.stdout) == {
        "response": "Hello, +15550100 for +15125550147 (c-1) in en-US"}
    # --call and --prompt-var stay as shorthands, over --call-data
    short = swmlc("exec", "router", "route", "--dept", "sales", "--format", "json",
                  "--call-data", '{"language": "en-US"}', "--prompt-var", "language=fr-FR",
                  "--call", "call_id=c-2")
    assert json.loads(short.stdout)["response"].endswith("(c-2) in fr-FR")


@pytest.mark.parametrize(("value", "words"), [
    ('{"args": {}}', "'args' is not call data: give it with --args"),
    ('{"meta_data": {}}', "'meta_data' is not call data: give it with --meta-data"),
    ("[1]", "expected a JSON object"),
])
def test_call_data_refuses_what_other_options_hold(routed, swmlc, value, words) -> None:
    result = swmlc("exec", "router", "route", "--call-data", value)
    assert result.exit_code == 2 and words in result.stderr


def test_http_names_the_fixture_file_and_fixtures_is_its_alias(project, swmlc) -> None:
    project({"agents/weather.yaml": WEATHER.replace("URL", "https://api.test"),
             "fixtures.yaml": FIXTURES})
    outs = [swmlc("exec", "weather", "get_weather", "--city", "São Paulo", "--arg", "days=2",
                  option, "fixtures.yaml", "--format", "json").stdout
            for option in ("--http", "--fixtures")]
    assert outs[0] == outs[1] == ('{"response": "Sunny in São Paulo, F.", "action": '
                                  '[{"set_global_data": {"last_city": "São Paulo"}}]}\n')


def test_human_format_indents_the_reply_and_text_is_its_hidden_alias(routed, swmlc) -> None:
    human = swmlc("exec", "router", "route", "--dept", "sales", "--format", "human")
    text = swmlc("exec", "router", "route", "--dept", "sales", "--format", "text")
    assert human.stdout == text.stdout
    assert human.stdout.startswith('{\n  "response": "Hello, +15550100 for +15555550123')
    assert "[human|json]" in swmlc("exec", "--help").stdout
    assert "text" not in swmlc("exec", "--help").stdout.split("--format", 1)[1].split("\n")[0]


def test_trace_says_what_each_template_read_and_v_is_its_alias(routed, swmlc) -> None:
    traced = swmlc("exec", "router", "route", "--dept", "SALES", "--trace")
    assert "the data_map's output is used\n  the data_map's output: expanded '{" in traced.stderr
    assert "read ${meta_data.greeting}='Hello', ${meta_data.desk.${lc:args.dept}}='+15550100'" \
        in traced.stderr
    assert "${language}=(empty)" in traced.stderr
    assert swmlc("exec", "router", "route", "--dept", "SALES", "-v").stderr == traced.stderr
    assert "expanded" not in swmlc("exec", "router", "route", "--dept", "SALES").stderr


SECRET = """\
prompt: {text: hi}
functions:
  - function: wx
    description: Weather.
    parameters: {type: object, properties: {}}
    data_map:
      webhooks:
        - url: "https://api.test/w?key={{ secret('WX_KEY') }}"
          output: {response: "${now}"}
"""


def test_a_fixture_run_needs_no_secret_and_never_reads_one(project, swmlc, monkeypatch
                                                           ) -> None:
    project({"agents/s.yaml": SECRET, "swmlc.yaml": "secrets: [WX_KEY]\n", "f.yaml": (
        "fixtures:\n  - request: {url: 'https://api.test/w?key=<<secret:WX_KEY>>'}\n"
        "    response: {json: {now: Sunny}}\n")})
    monkeypatch.delenv("WX_KEY", raising=False)
    offline = swmlc("exec", "s", "wx", "--http", "f.yaml", "--format", "json")
    assert offline.exit_code == 0, offline.output
    assert offline.stdout == '{"response": "Sunny"}\n'
    monkeypatch.setenv("WX_KEY", "k-123")   # set or not, a fixture run matches the placeholder
    assert swmlc("exec", "s", "wx", "--http", "f.yaml").exit_code == 0
    monkeypatch.delenv("WX_KEY")
    live = swmlc("exec", "s", "wx", "--live")
    assert live.exit_code == 1 and live.stdout == ""
    assert "secret WX_KEY is not set in the environment" in live.stderr

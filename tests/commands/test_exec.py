"""``swmlc exec``: one function of an agent run as the platform would, offline from fixtures by
default, or live against a real HTTP server on 127.0.0.1 (and recorded into a fixture file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.datamap.server import Answer, loopback

WEATHER = """\
prompt: {text: You tell the weather.}
global_data: {unit: F}
functions:
  - function: get_weather
    description: The weather in a city.
    parameters:
      type: object
      properties:
        city: {type: string}
        days: {type: integer}
      required: [city]
    data_map:
      webhooks:
        - url: URL/w?q=${enc:args.city}&d=${args.days}
          require_args: [city]
          output:
            response: "${now} in ${input.args.city}, ${input.global_data.unit}."
            action: [{set_global_data: {last_city: "${input.args.city}"}}]
      output: {response: No weather.}
  - function: hello
    description: Greets.
    parameters: {type: object, properties: {who: {type: string}}}
    data_map:
      output: {response: "Hi ${args.who}, at @{strftime_tz UTC %H:%M} from ${caller_id_num}"}
"""

FIXTURES = """\
fixtures:
  - request: {method: GET, url: "https://api.test/w?d=2&q=S%C3%A3o%20Paulo"}
    response: {json: {now: Sunny}}
"""


@pytest.fixture
def weather(project):
    return project({"agents/weather.yaml": WEATHER.replace("URL", "https://api.test"),
                    "fixtures.yaml": FIXTURES})


def test_a_data_map_from_fixtures(weather, swmlc) -> None:
    result = swmlc("exec", "weather", "get_weather", "--city", "São Paulo", "--arg", "days=2",
                   "--http", "fixtures.yaml")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "response": "Sunny in São Paulo, F.",
        "action": [{"set_global_data": {"last_city": "São Paulo"}}]}


def test_json_format_prints_exactly_the_reply_and_the_trace_goes_to_stderr(weather,
                                                                          swmlc) -> None:
    result = swmlc("exec", "weather", "get_weather", "--args",
                   '{"city": "São Paulo", "days": 2}', "--http", "fixtures.yaml",
                   "--format", "json", "--trace")
    assert result.exit_code == 0, result.output
    assert result.stdout == ('{"response": "Sunny in São Paulo, F.", "action": '
                             '[{"set_global_data": {"last_city": "São Paulo"}}]}\n')
    assert "  request: GET https://api.test/w?q=S%C3%A3o%20Paulo&d=2\n" in result.stderr
    assert "reply via webhooks[0].output (reached: webhooks[0], webhooks[0].output)" \
        in result.stderr
    assert ("a webhook (webhooks[0])'s url: expanded 'https://api.test/w?q=${enc:args.city}&d="
            "${args.days}' -> 'https://api.test/w?q=S%C3%A3o%20Paulo&d=2'; read "
            "${enc:args.city}='S%C3%A3o%20Paulo', ${args.days}='2'") in result.stderr


def test_call_details_arguments_by_type_and_the_clock(weather, swmlc) -> None:
    result = swmlc("exec", "weather", "hello", "--who", "007", "--call",
                   "caller_id_num=+15035550100", "--now", "2025-03-01T08:15:00+0000")
    assert json.loads(result.stdout) == {"response": "Hi 007, at 08:15 from +15035550100"}


def test_no_fixture_is_an_error_and_nothing_is_printed_on_stdout(weather, swmlc) -> None:
    result = swmlc("exec", "weather", "get_weather", "--city", "Austin")
    assert result.exit_code == 1 and result.stdout == ""
    assert "error[SWC705]: no fixture answers GET https://api.test/w?q=Austin&d=" \
        in result.stderr
    assert "swmlc exec ... --live --record FILE" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("weathr", "get_weather"), "error[SWC703]: no agent named 'weathr'"),
    (("weather", "get_wether"), "error[SWC704]: agent 'weather' has no function 'get_wether'"),
])
def test_unknown_names_say_what_exists(weather, swmlc, args, message) -> None:
    result = swmlc("exec", *args)
    assert result.exit_code == 1 and message in result.stderr
    assert "did you mean 'weather'?" in result.stderr or \
        "did you mean 'get_weather'?" in result.stderr


def test_native_and_included_functions_are_explained(project, swmlc) -> None:
    project({"agents/a.yaml": "prompt: {text: hi}\nnative_functions: [check_time]\n"
             "swaig_includes: [{url: 'https://x.test/swaig', functions: [remote]}]\n"})
    assert "'check_time' is a native function: the platform runs it, swmlc cannot" in \
        swmlc("exec", "a", "check_time").stderr
    assert "'remote' is fetched at call time from https://x.test/swaig (swaig_includes)" in \
        swmlc("exec", "a", "remote").stderr


def test_undeclared_and_missing_arguments_are_warnings(weather, swmlc) -> None:
    result = swmlc("exec", "weather", "get_weather", "--town", "X")
    assert result.exit_code == 0
    assert "warning[SWC708]: 'get_weather' declares no parameter 'town'" in result.stderr
    assert "warning[SWC708]: 'get_weather' requires 'city', which is not given" in result.stderr
    assert json.loads(result.stdout) == {"response": "No weather."}


def test_bad_usage_exits_2(weather, swmlc) -> None:
    assert swmlc("exec", "weather", "hello", "--arg", "who").exit_code == 2
    assert swmlc("exec", "weather", "hello", "--args", "[1]").exit_code == 2
    assert swmlc("exec", "weather", "hello", "--record", "x.yaml").exit_code == 2
    assert swmlc("exec", "weather", "hello", "stray").exit_code == 2


def test_live_is_refused_for_a_private_address_unless_allowed(project, swmlc) -> None:
    with loopback() as server:
        server.default = Answer(200, b'{"now": "Rain"}')
        project({"agents/weather.yaml": WEATHER.replace("URL", server.base)})
        refused = swmlc("exec", "weather", "get_weather", "--city", "Oslo", "--live")
        assert refused.exit_code == 1 and server.seen == []
        assert "127.0.0.1 is a private or local address (127.0.0.1); pass " \
               "--allow-private-urls" in refused.stderr
        ok = swmlc("exec", "weather", "get_weather", "--city", "Oslo", "--live",
                   "--allow-private-urls")
        assert json.loads(ok.stdout)["response"] == "Rain in Oslo, F."
        assert [(s.method, s.path) for s in server.seen] == [("GET", "/w?q=Oslo&d=")]
        assert server.seen[0].headers["user-agent"] == "SignalWire-CallFabric/1.0"


def test_live_follows_redirects_and_records_fixtures(project, swmlc) -> None:
    with loopback() as server:
        server.answers["/w"] = Answer(302, b"", location="/moved")
        server.answers["/moved"] = Answer(200, b'{"now": "Fog"}')
        root = project({"agents/weather.yaml": WEATHER.replace("URL", server.base)})
        args = ("exec", "weather", "get_weather", "--city", "Oslo", "--live",
                "--allow-private-urls", "--record", "tests/agents/fixtures/w.yaml")
        first = swmlc(*args)
        assert first.exit_code == 0, first.output
        assert "recorded 1 exchange(s) in tests/agents/fixtures/w.yaml" in first.stderr
        written = (root / "tests/agents/fixtures/w.yaml").read_text()
        assert written.startswith(
            "# yaml-language-server: $schema=../../../schemas/http-fixtures.schema.json\n")
        assert yaml.safe_load(written) == {"fixtures": [{
            "request": {"method": "GET", "url": f"{server.base}/w?q=Oslo&d="},
            "response": {"status": 200, "json": {"now": "Fog"}}}]}
        assert swmlc(*args).exit_code == 0          # recording again adds nothing twice
        assert (root / "tests/agents/fixtures/w.yaml").read_text() == written
    offline = swmlc("exec", "weather", "get_weather", "--city", "Oslo", "--http",
                    "tests/agents/fixtures/w.yaml")
    assert json.loads(offline.stdout)["response"] == "Fog in Oslo, F."


def test_a_swml_document_path_runs_too(tmp_path: Path, swmlc, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    doc = REPO / "build" / "weather.swml.json"
    if not doc.exists():
        pytest.skip("build/ not built")
    result = swmlc("exec", str(doc), "explain_weather_term", "--term", "wind chill")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["response"].startswith("Wind chill, or the feels-like")


def test_files_named_on_the_command_line_may_be_outside_the_project(
        weather, swmlc, tmp_path_factory) -> None:
    """A document or a fixture file the user names is theirs to choose (as for validate); the
    fixtures a test file names stay inside the project."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "f.yaml").write_text(FIXTURES)
    result = swmlc("exec", "weather", "get_weather", "--city", "São Paulo", "--arg", "days=2",
                   "--http", str(elsewhere / "f.yaml"))
    assert result.exit_code == 0, result.output
    built = swmlc("build")
    assert built.exit_code == 0
    (elsewhere / "w.swml.json").write_bytes((weather / "build/weather.swml.json").read_bytes())
    other = swmlc("exec", str(elsewhere / "w.swml.json"), "hello", "--who", "Ann")
    assert json.loads(other.stdout)["response"].startswith("Hi Ann, at 17:30")

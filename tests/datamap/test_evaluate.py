"""The evaluator's own account of a run, which the SDK does not give: which branch answered
(``via``), the coverage points reached, the notes saying why a piece of a reply is empty, the
request a web_hook_url function is sent and what its answer becomes. HTTP is answered by the
fixture transport users run with (compiler/features/fixtures.py)."""

from __future__ import annotations

import json
from typing import Any

from compiler.core.tree import Span
from compiler.features.fixtures import Fixture, Fixtures, FixtureTransport
from compiler.signalwire.datamap import (
    GENERIC_REPLY,
    Call,
    HttpResponse,
    Runtime,
    execute,
    points,
)
from compiler.signalwire.datamap.swaig import request_body

SPAN = Span("t.yaml", 1, 1, 1, 1)


def answers(*pairs: tuple[str, Any], status: int = 200) -> FixtureTransport:
    return FixtureTransport(Fixtures(tuple(
        Fixture(url, {"url_pattern": url}, HttpResponse(status, json.dumps(body)), None, SPAN)
        for url, body in pairs)))


WEATHER = {
    "function": "get_weather",
    "meta_data": {"unit": "F"},
    "data_map": {
        "expressions": [{"string": "${args.city}", "pattern": "^$",
                         "output": {"response": "Which city?"}}],
        "webhooks": [{
            "url": "https://api.test/w?q=${enc:args.city}",
            "require_args": ["city"],
            "error_keys": "error",
            "foreach": {"input_key": "days", "output_key": "forecast", "max": 2,
                        "append": "${this.day} ${this.high}${input.meta_data.unit}. "},
            "expressions": [{"string": "${now}", "pattern": "storm",
                             "output": {"response": "Storm in ${input.args.city}!"}}],
            "output": {"response": "${now} in ${args.city}. ${forecast}"},
        }],
        "output": {"response": "No weather for ${args.city}."},
    },
}


def test_a_webhook_output_with_foreach_and_the_note_for_args_in_it() -> None:
    transport = answers(("https://api\\.test/w\\?q=Austin",
                         {"now": "Sunny", "days": [{"day": "Mon", "high": 70},
                                                   {"day": "Tue", "high": 72.5},
                                                   {"day": "Wed", "high": 60}]}))
    run = execute(WEATHER, {"city": "Austin"}, Call(), Runtime(transport))
    assert run.reply == {"response": "Sunny in . Mon 70F. Tue 72.500000F. "}
    assert run.via == "webhooks[0].output"
    assert run.covered == ["webhooks[0]", "webhooks[0].output"]
    assert [r.url for r in run.requests] == ["https://api.test/w?q=Austin"]
    assert run.notes == [
        "${args.city} in a webhook's output is empty: 'args.city' is not in the data; after a "
        "webhook responds, call data is under input: write ${input.args.city}"]


def test_webhook_expressions_and_error_keys_and_the_fallback() -> None:
    storm = answers(("https://api\\.test/w\\?q=Tulsa", {"now": "Thunderstorm", "days": []}))
    run = execute(WEATHER, {"city": "Tulsa"}, Call(), Runtime(storm))
    assert (run.reply, run.via) == ({"response": "Storm in Tulsa!"},
                                    "webhooks[0].expressions[0]")
    failed = answers(("https://api\\.test/w\\?q=Nowhere", {"error": "unknown"}))
    run = execute(WEATHER, {"city": "Nowhere"}, Call(), Runtime(failed))
    assert (run.reply, run.via, run.covered) == ({"response": "No weather for Nowhere."},
                                                 "output", ["output"])
    assert any("webhooks[0] failed: the response has the error key 'error'" in e.text
               for e in run.events)


def test_top_level_expression_and_nothing_sent_without_the_required_arg() -> None:
    run = execute(WEATHER, {"city": ""}, Call(), Runtime(answers()))
    assert (run.reply, run.via, run.requests) == ({"response": "Which city?"},
                                                  "expressions[0]", [])
    no_expressions = {**WEATHER, "data_map": {k: v for k, v in WEATHER["data_map"].items()
                                              if k != "expressions"}}
    run = execute(no_expressions, {}, Call(), Runtime(answers()))
    assert (run.via, run.requests) == ("output", [])
    assert "webhooks[0] skipped: none of its require_args is present" in \
        [e.text for e in run.events]


def test_a_space_in_the_url_is_refused_before_sending_as_curl_does() -> None:
    transport = answers((".*", {"now": "x", "days": []}))
    run = execute(WEATHER | {"data_map": {**WEATHER["data_map"], "webhooks": [
        {**WEATHER["data_map"]["webhooks"][0], "url": "https://api.test/w?q=${args.city}"}]}},
        {"city": "New York"}, Call(), Runtime(transport))
    assert run.via == "output" and transport.answered == []
    assert run.notes[0] == ("a webhook (webhooks[0]): the URL holds a space, which curl "
                            "refuses: encode the value (${enc:...})")


def test_the_generic_reply_and_an_invalid_json_output() -> None:
    fn = {"function": "f", "data_map": {"expressions": [
        {"string": "x", "pattern": "y", "output": {"response": "no"}}]}}
    assert execute(fn, {}, Call(), Runtime(answers())).reply == {"response": GENERIC_REPLY}
    fn = {"function": "f", "data_map": {"output": {"response": "${args.o}"}}}
    run = execute(fn, {"o": {"a": 1}}, Call(), Runtime(answers()))
    assert run.reply is None and "not valid JSON" in run.notes[0]


def test_points_name_every_branch_in_document_order() -> None:
    assert [p.name for p in points(WEATHER)] == [
        "expressions[0]", "webhooks[0]", "webhooks[0].expressions[0]", "webhooks[0].output",
        "output"]
    assert points(WEATHER)[3].path == ("data_map", "webhooks", 0, "output")
    assert [p.name for p in points({"function": "hook"})] == ["webhook"]


def test_a_web_hook_url_function_gets_the_platform_post_and_its_reply_runs_functions() -> None:
    fn = {"function": "transfer", "description": "Transfer", "meta_data_token": "tok",
          "meta_data": {"ext": "+1555"}, "parameters": {"type": "object"}}
    call = Call(global_data={"plan": "gold"})
    body = request_body(fn, {"dept": "sales"}, call)
    assert body["argument"] == {"parsed": [{"dept": "sales"}], "raw": '{"dept": "sales"}',
                                "substituted": ""}
    assert (body["content_type"], body["version"], body["meta_data_token"]) == \
        ("text/swaig", "2.0", "tok")
    assert body["global_data"] == {"plan": "gold"} and body["meta_data"] == {"ext": "+1555"}
    transport = answers(("https://hooks\\.test/swaig", {"response": "Code @{separate A1}"}))
    run = execute(fn, {"dept": "sales"}, call, Runtime(transport),
                  defaults={"web_hook_url": "https://u:p%40ss@hooks.test/swaig"})
    assert (run.reply, run.via) == ({"response": "Code A 1"}, "webhook")
    assert run.requests[0].auth == ("u", "p@ss")
    assert run.requests[0].url == "https://hooks.test/swaig"


def test_a_web_hook_url_that_fails_gets_the_generic_reply() -> None:
    fn = {"function": "f", "web_hook_url": "https://hooks.test/f"}
    run = execute(fn, {}, Call(), Runtime(answers(("https://hooks\\.test/f", {}), status=502)))
    assert (run.reply, run.via) == ({"response": GENERIC_REPLY}, "error")
    assert run.notes == ["the web_hook_url answered 502: the platform answers with its "
                         "generic reply"]

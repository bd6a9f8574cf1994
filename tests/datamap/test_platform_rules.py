"""Each DataMap rule of issue 14, point 1, with the reply PLATFORM.md ("DataMap execution, in
detail", "Runtime templates") says the platform gives, written by hand from that text (not
from the SDK, which the differential test compares with). The evaluator has no I/O by design:
HTTP goes through the transport it is given, here a scripted one that records each request
(real sockets are the differential test's and ``swmlc exec --live``'s)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from compiler.signalwire.datamap import (
    GENERIC_REPLY,
    Call,
    FunctionContext,
    HttpRequest,
    HttpResponse,
    Runtime,
    execute,
)

URL = "https://api.test/v1"


@dataclass
class Script:
    """Answers requests in order (the last answer repeats); keeps what was sent."""

    answers: list[HttpResponse] = field(default_factory=list)
    sent: list[HttpRequest] = field(default_factory=list)

    def send(self, request: HttpRequest) -> HttpResponse:
        self.sent.append(request)
        return self.answers[min(len(self.sent), len(self.answers)) - 1]


def ok(body: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(status, body if isinstance(body, str) else json.dumps(body))


def run(data_map: dict[str, Any], args: Any = None, *answers: HttpResponse,
        meta_data: Any = None, call: Call | None = None) -> tuple[Any, list[HttpRequest]]:
    fn: dict[str, Any] = {"function": "f", "data_map": data_map}
    if meta_data is not None:
        fn["meta_data"] = meta_data
    script = Script(list(answers) or [ok({})])
    clock = FunctionContext(clock=lambda: datetime(2025, 1, 15, 17, 30, tzinfo=UTC))
    execution = execute(fn, args if args is not None else {}, call or Call(),
                        Runtime(script, clock))
    return execution.reply, script.sent


def say(text: str) -> dict[str, str]:
    return {"response": text}


def expr(string: str, pattern: str, text: str) -> dict[str, Any]:
    return {"string": string, "pattern": pattern, "output": say(text)}


# -- top-level expressions ------------------------------------------------------------------

def test_expressions_in_order_the_first_match_ends_the_function() -> None:
    dm = {"expressions": [expr("${args.q}", "x", "first"), expr("${args.q}", "a", "second"),
                          expr("${args.q}", "ab", "third")], "output": say("fallback")}
    assert run(dm, {"q": "cab"}) == (say("second"), [])


def test_the_string_is_expanded_and_searched_anywhere() -> None:
    dm = {"expressions": [expr("${args.q} ${meta_data.k}", "b c", "hit")]}
    assert run(dm, {"q": "ab"}, meta_data={"k": "cd"})[0] == say("hit")


def test_a_bare_pattern_is_caseless_a_slashed_one_keeps_case_unless_i() -> None:
    assert run({"expressions": [expr("${args.q}", "HELLO", "bare")]}, {"q": "hello"})[0] \
        == say("bare")
    slashed = {"expressions": [expr("${args.q}", "/HELLO/", "kept")], "output": say("no")}
    assert run(slashed, {"q": "hello"})[0] == say("no")
    flagged = {"expressions": [expr("${args.q}", "/HELLO/i", "i")], "output": say("no")}
    assert run(flagged, {"q": "hello"})[0] == say("i")


def test_the_s_flag_lets_a_dot_match_a_newline_and_pcre_syntax_works() -> None:
    dot = {"expressions": [expr("${args.q}", "/a.b/s", "s")], "output": say("no")}
    assert run(dot, {"q": "a\nb"})[0] == say("s")
    no_s = {"expressions": [expr("${args.q}", "/a.b/", "s")], "output": say("no")}
    assert run(no_s, {"q": "a\nb"})[0] == say("no")
    pcre = {"expressions": [expr("${args.q}", r"(?<n>\d+)\s*(?&n)", "pcre")]}
    assert run(pcre, {"q": "12 34"})[0] == say("pcre")  # a recursion Python's re lacks


def test_nomatch_output_is_used_when_the_pattern_fails_and_ends_the_function() -> None:
    dm = {"expressions": [{"string": "${args.q}", "pattern": "yes", "output": say("y"),
                           "nomatch-output": say("nomatch")}, expr("x", "x", "later")],
          "output": say("fallback")}
    assert run(dm, {"q": "no"})[0] == say("nomatch")


# -- which webhook, and the request -----------------------------------------------------------

def test_only_the_first_eligible_webhook_is_requested() -> None:
    dm = {"webhooks": [{"url": f"{URL}/a", "require_args": ["missing"], "output": say("a")},
                       {"url": f"{URL}/b"},  # neither output nor expressions: skipped
                       {"url": f"{URL}/c", "require_args": ["q", "other"],
                        "output": say("c ${v}")},
                       {"url": f"{URL}/d", "output": say("d")}]}
    reply, sent = run(dm, {"q": "1"}, ok({"v": 7}))
    assert reply == say("c 7")  # one of require_args present is enough
    assert [r.url for r in sent] == [f"{URL}/c"]


def test_a_failed_request_does_not_try_the_next_webhook() -> None:
    dm = {"webhooks": [{"url": f"{URL}/a", "output": say("a")},
                       {"url": f"{URL}/b", "output": say("b")}],
          "output": say("fallback")}
    reply, sent = run(dm, {}, HttpResponse(0, "", error="connection refused", error_code=7))
    assert (reply, [r.url for r in sent]) == (say("fallback"), [f"{URL}/a"])


@pytest.mark.parametrize(("hook", "method"), [
    ({}, "GET"), ({"method": "post"}, "POST"), ({"method": "PUT"}, "GET"),
    ({"method": "DELETE"}, "GET"), ({"params": {"a": 1}}, "POST"),
])
def test_get_unless_post_or_params(hook, method) -> None:
    _, sent = run({"webhooks": [{"url": URL, "output": say("ok"), **hook}]})
    assert sent[0].method == method


def test_params_are_the_json_body_expanded_and_headers_go_as_written() -> None:
    dm = {"webhooks": [{"url": URL, "params": {"q": "${args.q}", "n": 2},
                        "headers": {"X-Q": "${args.q}"}, "output": say("ok")}]}
    _, (request,) = run(dm, {"q": "tea"})
    assert json.loads(request.body or "") == {"q": "tea", "n": 2}
    assert request.header("X-Q") == "${args.q}"


def test_form_param_sends_the_expanded_json_url_encoded_in_one_field() -> None:
    dm = {"webhooks": [{"url": URL, "params": {"q": "${args.q}"}, "form_param": "data",
                        "output": say("ok")}]}
    _, (request,) = run(dm, {"q": "a b"})
    assert request.method == "POST"
    assert (request.body or "").startswith("data=")
    from urllib.parse import parse_qs

    assert json.loads(parse_qs(request.body or "")["data"][0]) == {"q": "a b"}


def test_input_args_as_params_merges_the_arguments_replacing_same_names() -> None:
    dm = {"webhooks": [{"url": URL, "params": {"q": "old", "keep": 1},
                        "input_args_as_params": True, "output": say("ok")}]}
    _, (request,) = run(dm, {"q": "new", "extra": True})
    assert json.loads(request.body or "") == {"q": "new", "keep": 1, "extra": True}
    alone = {"webhooks": [{"url": URL, "input_args_as_params": True, "output": say("ok")}]}
    _, (request,) = run(alone, {"q": "x"})
    assert json.loads(request.body or "") == {"q": "x"}


def test_url_userinfo_is_sent_as_basic_auth() -> None:
    _, (request,) = run({"webhooks": [{"url": "https://u%40x:p%3As@api.test/v1",
                                       "output": say("ok")}]})
    assert (request.url, request.auth) == ("https://api.test/v1", ("u@x", "p:s"))


# -- what counts as a failure -----------------------------------------------------------------

HOOK = {"webhooks": [{"url": URL, "error_keys": ["error"], "output": say("got ${v}")}],
        "output": say("fallback")}


@pytest.mark.parametrize(("answer", "reply"), [
    (HttpResponse(0, "", error="timed out", error_code=28), "fallback"),
    (ok(""), "fallback"),                              # empty body
    (ok("<html>busy</html>"), "fallback"),             # not JSON
    (ok({"v": 1, "error": None}), "fallback"),         # an error key, whatever its value
    (ok({"v": 1, "data": {"error": "deep"}}), "got 1"),  # only at the top level
    (ok({"v": 2}, status=500), "got 2"),               # a non-2xx status alone is no failure
])
def test_failures(answer, reply) -> None:
    assert run(HOOK, {}, answer)[0] == say(reply)


def test_http_code_is_added_to_the_response() -> None:
    dm = {"webhooks": [{"url": URL, "output": say("${http_code}")}]}
    assert run(dm, {}, ok({"v": 1}, status=404))[0] == say("404")
    # added with a status outside 2xx (as mod_openai adds it), so listing it in error_keys
    # fails on such a status, and only then
    failing = {"webhooks": [{"url": URL, "error_keys": ["http_code"], "output": say("x")}],
               "output": say("fallback")}
    assert run(failing, {}, ok({"v": 1}, status=503))[0] == say("fallback")
    assert run(failing, {}, ok({"v": 1}))[0] == say("x")


# -- after a webhook succeeded ----------------------------------------------------------------

def test_foreach_appends_this_up_to_max_under_output_key() -> None:
    dm = {"webhooks": [{"url": URL, "foreach": {
        "input_key": "data.items", "output_key": "list", "max": 2,
        "append": "${this.name}=${this.n};"}, "output": say("${list}")}]}
    body = {"data": {"items": [{"name": "a", "n": 1}, {"name": "b", "n": 2},
                               {"name": "c", "n": 3}]}}
    assert run(dm, {}, ok(body))[0] == say("a=1;b=2;")
    every = json.loads(json.dumps(dm))
    every["webhooks"][0]["foreach"]["max"] = 0
    assert run(every, {}, ok(body))[0] == say("a=1;b=2;c=3;")
    assert run(dm, {}, ok({"data": {"items": "not a list"}}))[0] == say("")


def test_webhook_expressions_then_output_and_a_match_expanded_twice() -> None:
    dm = {"webhooks": [{"url": URL,
                        "expressions": [expr("${kind}", "^vip$", "VIP ${template}")],
                        "output": say("plain ${kind}")}]}
    assert run(dm, {}, ok({"kind": "vip", "template": "${name}", "name": "Ann"}))[0] == \
        say("VIP Ann")
    assert run(dm, {}, ok({"kind": "basic"}))[0] == say("plain basic")


def test_the_response_is_at_the_root_call_data_under_input_args_empty() -> None:
    dm = {"webhooks": [{"url": URL, "output": say(
        "${v}|${input.args.q}|${args.q}|${input.meta_data.m}|${array[1]}")}]}
    assert run(dm, {"q": "Q"}, ok({"v": "V"}), meta_data={"m": "M"})[0] == say("V|Q||M|")
    assert run(dm, {"q": "Q"}, ok([10, 20]), meta_data={"m": "M"})[0] == say("|Q||M|20")


def test_the_top_level_output_then_the_generic_error() -> None:
    assert run({"output": say("out")})[0] == say("out")
    assert run({"expressions": [expr("a", "b", "x")]})[0] == say(GENERIC_REPLY)
    assert GENERIC_REPLY == "There was an error processing this request."


# -- templates --------------------------------------------------------------------------------

def _out(template: str, args: Any = None, meta_data: Any = None) -> Any:
    return run({"output": say(template)}, args or {}, meta_data=meta_data)[0]


@pytest.mark.parametrize(("template", "args", "expected"), [
    ("${args.q} %{args.q}", {"q": "x"}, "x x"),                       # both forms
    ("${ARGS.Q}", {"q": "x"}, "x"),                                   # names without case
    ("${args.l[0]} ${args.l[-1]}", {"l": ["a", "b", "c"]}, "a c"),    # [n], negative
    ("[${args.m[0][1]}]", {"m": [["a", "b"]]}, "[]"),                 # one [n] per segment
    ("[${args.nope}]", {}, "[]"),                                     # unresolved: empty
    ("${args.n} ${args.b} ${args.z}", {"n": 3, "b": True, "z": None}, "3 true null"),
    ("${args.f}", {"f": 72.5}, "72.500000"),                          # six decimals
    ("${enc:args.q}", {"q": "a b/c,d&e"}, "a%20b/c,d%26e"),           # FreeSWITCH's set
    ("${lc:args.q}", {"q": "ÉCOLE Bus"}, "École bus"),               # ASCII letters only
    ("${fmt_ph:args.p}", {"p": "+14155550123"}, "(415) 555-0123"),   # national, US default
    ("${fmt_ph:args.p}", {"p": "12"}, "INVALID NUMBER"),
    ("${enc:lc:args.q} ${lc:enc:args.q}", {"q": "A B"}, "a%20b a%20b"),  # fixed order
    ("${meta_data.t.${lc:args.d}}", {"d": "SALES"}, "+1555"),           # one level of nesting
])
def test_templates(template, args, expected) -> None:
    assert _out(template, args, meta_data={"t": {"sales": "+1555"}}) == say(expected)


def test_an_object_inserted_into_a_string_leaves_the_function_without_a_reply() -> None:
    assert _out("got ${args.o}", {"o": {"a": 1}}) is None
    assert _out("got ${args.l}", {"l": [1, "x"]}) is None  # its quotes break the JSON too
    assert _out("${args.l}", {"l": [1, 2.5]}) == say("[1, 2.500000]")  # as cJSON prints


@pytest.mark.parametrize(("template", "expected"), [
    ("@{strftime_tz America/Chicago %Y-%m-%d %H:%M}", "2025-01-15 11:30"),  # the fixed clock
    ("@{fmt_ph international +14155550123}", "+1 415-555-0123"),
    ("@{expr 2 * (3 + 4)}", "14"),
    ("@{echo ${args.q}}", "tea"),
    ("@{separate ${args.q}}", "t e a"),
    ("a@{sleep 1}b", "ab"),
])
def test_at_functions_run_after_the_templates(template, expected) -> None:
    assert _out(template, {"q": "tea"}) == say(expected)

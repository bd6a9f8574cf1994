"""Functions written to exercise each rule of DataMap execution once (PLATFORM.md, "DataMap
execution, in detail"), for the differential test. A case whose ``differs`` is set is one where
swmlc follows the platform and the SDK's simulator does not; the reason is the case's own."""

from __future__ import annotations

from typing import Any

from tests.datamap.cases import Case

URL = "https://api.test/v1/items"


def dm(**data_map: Any) -> dict[str, Any]:
    return {"function": "f", "description": "A rule.", "data_map": data_map,
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}


def out(response: str, **extra: Any) -> dict[str, Any]:
    return {"response": response, **extra}


def hook(**fields: Any) -> dict[str, Any]:
    return {"url": URL, **fields}


def expr(string: str, pattern: str, response: str, **extra: Any) -> dict[str, Any]:
    return {"string": string, "pattern": pattern, "output": out(response), **extra}


PCRE_ONLY = ("PCRE-only syntax: the platform matches with PCRE; the SDK's Python re refuses "
             "the pattern and never matches")
SPACE = ("a space in the expanded url: the platform's curl refuses the URL (URL_MALFORMAT) and "
         "the function falls back; the SDK's requests library quotes the space and sends it")
NAMED_GROUP = ("PCRE-only syntax: (?<name>...) is a named group in PCRE; Python's re reads it "
               "as a lookbehind and refuses it")
FUNCTIONS = ("@{...} template functions run on the platform; the SDK's simulator leaves them "
             "as written")

RULES: list[Case] = [
    # -- expressions -------------------------------------------------------------------------
    Case("expression matches, first wins", dm(expressions=[
        expr("${args.q}", "^yes$", "first"), expr("${args.q}", "y", "second")]), {"q": "yes"}),
    Case("expression: no match falls to output", dm(expressions=[
        expr("${args.q}", "^yes$", "yes")], output=out("fallback")), {"q": "no"}),
    Case("expression without slashes is case-insensitive", dm(expressions=[
        expr("${args.q}", "YES", "matched")]), {"q": "oh yes"}),
    Case("expression /pattern/ without i is case-sensitive", dm(expressions=[
        expr("${args.q}", "/YES/", "matched")], output=out("nope")), {"q": "yes"}),
    Case("expression /pattern/i", dm(expressions=[expr("${args.q}", "/YES/i", "matched")]),
         {"q": "yes"}),
    Case("expression /pattern/s lets . match a newline", dm(expressions=[
        expr("${args.q}", "/a.b/s", "matched")], output=out("nope")), {"q": "a\nb"}),
    Case("expression: a slash with no closing slash never matches", dm(expressions=[
        expr("${args.q}", "/abc", "matched")], output=out("nope")), {"q": "/abc"}),
    Case("expression nomatch-output ends the function", dm(expressions=[
        {"string": "${args.q}", "pattern": "^x$", "output": out("x"),
         "nomatch-output": out("not x ${args.q}")}], output=out("unused")), {"q": "y"}),
    Case("expression without output is skipped", dm(expressions=[
        {"string": "${args.q}", "pattern": "."}, expr("${args.q}", ".", "second")]),
         {"q": "a"}),
    Case("expression without string never matches", dm(expressions=[
        {"pattern": ".", "output": out("x")}], output=out("fallback")), {"q": "a"}),
    Case("expressions as one object", dm(expressions=expr("${args.q}", "a", "one")),
         {"q": "a"}),
    Case("expression over global_data and meta_data", {**dm(expressions=[
        expr("${global_data.plan}/${meta_data.tier}", "^gold/silver$", "both")],
        output=out("no")), "meta_data": {"tier": "silver"}}, {}),
    Case("expression on a nested, lowercased value", dm(expressions=[
        expr("${lc:args.q}", "^abc$", "lower")]), {"q": "ABC"}),
    Case("PCRE \\p{Lu} property", dm(expressions=[expr("${args.q}", "/^\\p{Lu}/", "upper")],
                                     output=out("no")), {"q": "Abc"}, differs=PCRE_ONLY),
    Case("PCRE \\h, horizontal space", dm(expressions=[expr("${args.q}", "a\\hb", "m")],
                                         output=out("no")), {"q": "a\tb"}, differs=PCRE_ONLY),
    Case("PCRE branch reset (?|...)", dm(expressions=[expr("${args.q}", "(?|(a)|(b))c", "m")],
                                         output=out("no")), {"q": "bc"}, differs=PCRE_ONLY),
    Case("possessive quantifier (PCRE; Python 3.11 too)", dm(expressions=[
        expr("${args.q}", "a++b", "m")], output=out("no")), {"q": "aab"}),
    Case("PCRE \\K", dm(expressions=[expr("${args.q}", "a\\Kb", "m")], output=out("no")),
         {"q": "ab"}, differs=PCRE_ONLY),
    Case("PCRE named group (?<name>...)", dm(expressions=[
        expr("${args.q}", "(?<w>abc)", "m")], output=out("no")), {"q": "abc"},
        differs=NAMED_GROUP),
    Case("an invalid pattern never matches", dm(expressions=[expr("${args.q}", "a(", "m")],
                                                output=out("no")), {"q": "a("}),
    # -- templates ---------------------------------------------------------------------------
    Case("helpers lc, enc and their fixed order", dm(output=out(
        "${lc:args.q}|${enc:args.q}|${enc:lc:args.q}|${lc:enc:args.q}|${ENC:args.q}")),
        {"q": "Rio de Janeiro/RJ, 100% ok?"}),
    Case("enc keeps an existing %XX", dm(output=out("${enc:args.q}")), {"q": "a%20b%2"}),
    Case("fmt_ph national, and an invalid number", dm(output=out(
        "${fmt_ph:args.q} / ${fmt_ph:args.bad}")), {"q": "+15035550100", "bad": "12"}),
    Case("enc:url: reads the path url:args.q", dm(output=out("[${enc:url:args.q}]")),
         {"q": "x"}),
    Case("nested template, one level", {**dm(output=out(
        "${meta_data.t.${lc:args.q}}")), "meta_data": {"t": {"sales": "+1555"}}},
        {"q": "Sales"}),
    Case("names match without regard to case", dm(output=out("${ARGS.Q} ${Global_Data.PLAN}")),
         {"q": "v"}),
    Case("negative index, and two indexes do not resolve", dm(output=out(
        "${args.a[-1]} [${args.g[0][1]}] [${args.a[5]}]")), {"a": [1, 2, 3], "g": [[1, 2]]}),
    Case("numbers print as cJSON prints them", dm(output=out(
        "${args.f} ${args.i} ${args.b} ${args.z}")), {"f": 72.5, "i": 7, "b": True,
                                                      "z": None}),
    Case("%{...} is ${...}", dm(output=out("%{args.q}")), {"q": "same"}),
    Case("empty ${} and an unterminated ${", dm(output=out("a${}b ${args.q")), {"q": "x"}),
    Case("unresolved paths expand to nothing", dm(output=out("[${args.nope}][${nope}]")),
         {"q": "x"}),
    Case("a quote and a backslash inside output", dm(output=out("said ${args.q}")),
         {"q": 'he said "hi" \\ bye'}),
    Case("an object inserted into output is invalid JSON", dm(output=out("${args.o}")),
         {"o": {"a": 1}}),
    Case("an object inserted whole as an action value", dm(output=out(
        "ok", action=[{"set_global_data": {"last": "${args.q}"}}])), {"q": "v"}),
    Case("prompt_vars at the root and under prompt_vars", dm(output=out(
        "${pv} ${prompt_vars.pv}")), {}, prompt_vars={"pv": "P"}),
    Case("meta_data is the function's over global_data", {**dm(output=out(
        "${meta_data.plan} ${meta_data.n} ${meta_data.own}")),
        "meta_data": {"plan": "meta", "own": "o"}}, {}),
    Case("call details at the root", dm(output=out("${caller_id_num} ${call_id} ${function}")),
         {}),
    Case("@{expr} arithmetic", dm(output=out("@{expr (${args.a} + 2) * 3}")), {"a": 4},
         differs=FUNCTIONS),
    Case("@{separate} and @{echo}", dm(output=out("@{separate AB12} @{echo hi}")), {},
         differs=FUNCTIONS),
    Case("@{fmt_ph international}", dm(output=out("@{fmt_ph international +442079460958}")),
         {}, differs=FUNCTIONS),
    Case("@{strftime_tz} with the injected clock", dm(output=out(
        "@{strftime_tz America/Chicago %Y-%m-%d}")), {}, differs=FUNCTIONS),
    # -- webhooks ----------------------------------------------------------------------------
    Case("webhook output reads the response at the root", dm(webhooks=[hook(
        output=out("${total} ${items[0].name} ${input.args.q} [${args.q}]"))]),
        {"q": "z"}, body={"total": 2, "items": [{"name": "a"}]}),
    Case("webhook GET with an encoded argument", dm(webhooks=[hook(
        url="https://api.test/search?q=${enc:args.q}", method="GET",
        output=out("${n}"))]), {"q": "a b&c"}, body={"n": 1}),
    Case("webhook params make a POST with a JSON body", dm(webhooks=[hook(
        params={"q": "${args.q}", "n": 3, "plan": "${global_data.plan}"},
        output=out("${ok}"))]), {"q": 'quote " here'}, body={"ok": "yes"}),
    Case("webhook method POST without params has no body", dm(webhooks=[hook(
        method="post", output=out("${ok}"))]), {"q": "x"}, body={"ok": "posted"}),
    Case("webhook method PUT goes out as GET", dm(webhooks=[hook(
        method="PUT", output=out("${ok}"))]), {"q": "x"}, body={"ok": "got"}),
    Case("webhook form_param sends the JSON URL-encoded", dm(webhooks=[hook(
        form_param="payload", params={"q": "${args.q}"}, output=out("${ok}"))]),
        {"q": "a b"}, body={"ok": 1}),
    Case("input_args_as_params with params", dm(webhooks=[hook(
        input_args_as_params=True, params={"q": "old", "k": "v"}, output=out("${ok}"))]),
        {"q": "new", "x": 1}, body={"ok": 1}),
    Case("input_args_as_params without params", dm(webhooks=[hook(
        input_args_as_params="true", output=out("${ok}"))]), {"q": "only"}, body={"ok": 1}),
    Case("credentials in the url become basic auth", dm(webhooks=[hook(
        url="https://user%40x:p%3Ass@api.test/secure", output=out("${ok}"))]), {},
        body={"ok": 1}),
    Case("headers go out as written, not expanded", dm(webhooks=[hook(
        headers={"X-Key": "${args.q}", "Accept": "text/plain"}, output=out("${ok}"))]),
        {"q": "k"}, body={"ok": 1}),
    Case("require_args present", dm(webhooks=[hook(require_args=["q", "other"],
                                                     output=out("${ok}"))],
                                    output=out("fallback")), {"q": "x"}, body={"ok": "ran"}),
    Case("require_args absent skips the webhook", dm(webhooks=[hook(
        require_args="city", output=out("${ok}"))], output=out("fallback")), {"q": "x"},
        body={"ok": "ran"}),
    Case("a webhook without output or expressions is skipped", dm(webhooks=[
        hook(), hook(url="https://api.test/second", output=out("${ok}"))]), {},
        body={"ok": "second"}),
    Case("a webhook without url is skipped", dm(webhooks=[
        {"output": out("none")}, hook(output=out("${ok}"))]), {}, body={"ok": "urled"}),
    Case("only the first eligible webhook runs, even when it fails", dm(webhooks=[
        hook(error_keys=["error"], output=out("${ok}")),
        hook(url="https://api.test/second", output=out("second"))],
        output=out("fallback ${args.q}")), {"q": "x"}, body={"error": "boom"}),
    Case("error_keys as a string", dm(webhooks=[hook(error_keys="failed",
                                                     output=out("${ok}"))],
                                     output=out("fallback")), {}, body={"failed": False}),
    Case("a 500 alone is not a failure; http_code is added", dm(webhooks=[hook(
        output=out("${message} ${http_code}"))]), {}, status=500,
        body={"message": "server error"}),
    Case("a body that is not JSON fails the webhook", dm(webhooks=[hook(
        output=out("${ok}"))], output=out("fallback")), {}, raw=b"<html>oops</html>"),
    Case("an empty body fails the webhook", dm(webhooks=[hook(output=out("${ok}"))],
                                                output=out("fallback")), {}, raw=b""),
    Case("an array response is under array", dm(webhooks=[hook(
        output=out("${array[0].t} ${array[-1].t}"))]), {},
        body=[{"t": "first"}, {"t": "last"}]),
    Case("webhook expressions, a match expanded twice", dm(webhooks=[hook(
        expressions=[expr("${status}", "^ok$", "status ${status} for ${input.args.q}")],
        output=out("unused"))]), {"q": "x"}, body={"status": "ok"}),
    Case("webhook expressions miss, output used", dm(webhooks=[hook(
        expressions=[expr("${status}", "^ok$", "ok")], output=out("was ${status}"))]), {},
        body={"status": "down"}),
    Case("webhook with expressions only, none matching, falls to output", dm(webhooks=[hook(
        expressions=[expr("${status}", "^ok$", "ok")])], output=out("top")), {},
        body={"status": "down"}),
    Case("global_data in the response data, shadowed by the response", dm(webhooks=[hook(
        output=out("${global_data.plan} ${plan}"))]), {}, body={"plan": "response"}),
    Case("a single webhook object is never checked for errors", dm(webhooks=hook(
        error_keys="error", output=out("${error}"))), {}, body={"error": "shown"}),
    # -- foreach -----------------------------------------------------------------------------
    Case("foreach builds output_key from each element", dm(webhooks=[hook(
        foreach={"input_key": "results", "output_key": "list",
                 "append": "${this.name} (${this.n}); "},
        output=out("Found: ${list}"))]), {},
        body={"results": [{"name": "a", "n": 1}, {"name": "b", "n": 2.5}]}),
    Case("foreach max 2", dm(webhooks=[hook(
        foreach={"input_key": "r", "output_key": "o", "append": "${this}-", "max": 2},
        output=out("${o}"))]), {}, body={"r": ["a", "b", "c"]}),
    Case("foreach max as a string, and 0 meaning all", dm(webhooks=[hook(
        foreach={"input_key": "r", "output_key": "o", "append": "${this}", "max": "1"},
        output=out("${o}"))]), {}, body={"r": ["a", "b"]}),
    Case("foreach over a nested path", dm(webhooks=[hook(
        foreach={"input_key": "data.rows", "output_key": "o", "append": "${this.v},",
                 "max": 0}, output=out("${o}"))]), {},
        body={"data": {"rows": [{"v": 1}, {"v": 2}]}}),
    Case("foreach over a missing key is skipped", dm(webhooks=[hook(
        foreach={"input_key": "nope", "output_key": "o", "append": "x"},
        output=out("[${o}]"))]), {}, body={"r": []}),
    Case("foreach without append is skipped", dm(webhooks=[hook(
        foreach={"input_key": "r", "output_key": "o"}, output=out("[${o}]"))]), {},
        body={"r": [1]}),
    Case("foreach output_key does not replace a response field", dm(webhooks=[hook(
        foreach={"input_key": "r", "output_key": "o", "append": "${this}"},
        output=out("${o}"))]), {}, body={"r": ["a"], "o": "kept"}),
    Case("foreach reads input and global_data", dm(webhooks=[hook(
        foreach={"input_key": "r", "output_key": "o",
                 "append": "${this}:${input.args.q}:${global_data.plan} "},
        output=out("${o}"))]), {"q": "Q"}, body={"r": [1, 2]}),
    # -- the top-level output and the generic reply -----------------------------------------
    Case("nothing produces an output: the generic reply", dm(expressions=[
        expr("${args.q}", "^never$", "x")]), {"q": "a"}),
    Case("the top-level output with actions", dm(output=out(
        "Bye ${args.q}", action=[{"hangup": True}, {"set_global_data": {"q": "${args.q}"}}])),
        {"q": "Ann"}),
    Case("an unencoded space in the url: curl refuses it, nothing is sent", dm(webhooks=[hook(
        url="https://api.test/w?q=${args.q}", output=out("${ok}"))], output=out("fallback")),
        {"q": "two words"}, body={"ok": 1}, differs=SPACE),
    Case("non-ASCII arguments in a POST body and a URL", dm(webhooks=[hook(
        url="https://api.test/w/${enc:args.q}", params={"city": "${args.q}"},
        output=out("${ok} ${input.args.q}"))]), {"q": "São Paulo"}, body={"ok": "sí"}),
]

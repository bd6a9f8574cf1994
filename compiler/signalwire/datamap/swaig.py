"""A SWAIG function with a ``web_hook_url``: the POST the platform sends to it, and what the
model gets back (PLATFORM.md, "What the platform sends over HTTP", SWAIG web_hook_url).

The body carries the function's name, its arguments (``argument.parsed[0]``, and the same as
JSON text in ``argument.raw``), the call details, ``global_data``, ``meta_data`` and
``meta_data_token``. ``user:password@`` in the URL is sent as basic authentication (the
platform does not sign these requests). A 2xx JSON object is the reply, with its ``@{...}``
functions run, and checked as a SWAIG reply (:mod:`.reply`); 2xx text that is not JSON is
taken as the response text, as the SDK's ``swaig-test`` takes it; anything else gets the
platform's generic reply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from compiler.signalwire.datamap.evaluate import GENERIC_REPLY
from compiler.signalwire.datamap.http import (
    CURL_ERRORS,
    HttpRequest,
    HttpResponse,
    malformed,
    split_credentials,
)
from compiler.signalwire.datamap.reply import reply_problems
from compiler.signalwire.datamap.run import Call, Execution, Runtime, deep
from compiler.signalwire.datamap.values import MISSING, cjson_parse
from compiler.signalwire.datamap.webhooks import USER_AGENT

__all__ = ["request_body", "run_webhook_function"]


def request_body(function: Mapping[str, Any], args: Any, call: Call) -> dict[str, Any]:
    """The JSON the platform POSTs to a function's web_hook_url."""
    details = dict(call.details)
    body: dict[str, Any] = {
        "app_name": details.get("app_name"),
        "function": function.get("function"),
        "description": function.get("description", function.get("purpose")),
        "argument": {"parsed": [deep(args)], "raw": json.dumps(args, ensure_ascii=False),
                     "substituted": ""},
        "argument_desc": deep(function.get("parameters", function.get("argument"))),
        "content_type": "text/swaig",
        "version": "2.0",
    }
    for key in ("call_id", "ai_session_id", "conversation_id", "caller_id_name",
                "caller_id_num", "channel_active", "channel_offhook", "channel_ready",
                "project_id", "space_id"):
        if key in details:
            body[key] = deep(details[key])
    if call.global_data is not None:
        body["global_data"] = deep(dict(call.global_data))
    if "meta_data" in function or call.meta_data:
        own = function.get("meta_data")
        body["meta_data"] = {**(deep(own) if isinstance(own, dict) else {}),
                             **deep(dict(call.meta_data or {}))}
    if "meta_data_token" in function:
        body["meta_data_token"] = function["meta_data_token"]
    if call.prompt_vars:
        body["prompt_vars"] = deep(dict(call.prompt_vars))
    return {k: v for k, v in body.items() if v is not None}


def run_webhook_function(function: Mapping[str, Any], url: str, args: Any, call: Call,
                         rt: Runtime) -> Execution:
    """Call a web_hook_url function as the platform does and read its reply."""
    out = rt.execution
    out.function = str(function.get("function", ""))
    bare, auth = split_credentials(url)
    body = json.dumps(request_body(function, args, call), ensure_ascii=False)
    request = HttpRequest("POST", bare, (("Content-Type", "application/json"),
                                         ("User-Agent", USER_AGENT)), body, auth)
    rt.log(f"POST {bare}")
    refused = malformed(bare)
    response = rt.send(request) if refused is None else \
        HttpResponse(0, "", error=refused, error_code=CURL_ERRORS["malformed"])
    out.via = "webhook"
    if response.error is not None:
        rt.log(f"request failed: {response.error}")
        rt.note(f"the web_hook_url could not be reached ({response.error}): the platform "
                "answers with its generic reply")
        out.reply, out.via = {"response": GENERIC_REPLY}, "error"
        return out
    if not 200 <= response.status <= 299:
        rt.log(f"response {response.status}")
        rt.note(f"the web_hook_url answered {response.status}: the platform answers with its "
                "generic reply")
        out.reply, out.via = {"response": GENERIC_REPLY}, "error"
        return out
    parsed = cjson_parse(response.body)
    rt.log(f"response {response.status}", "webhook")
    if isinstance(parsed, dict):
        out.reply = rt.strings(parsed)
        out.reply_problems = reply_problems(out.reply)
    elif parsed is MISSING:
        out.reply = {"response": rt.strings(response.body)}
    else:
        rt.note("the web_hook_url answered JSON that is not an object: the platform answers "
                "with its generic reply")
        out.reply, out.via = {"response": GENERIC_REPLY}, "error"
    return out

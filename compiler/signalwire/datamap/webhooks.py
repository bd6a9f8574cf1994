"""A data_map's webhooks: which one is requested, what is sent, and whether its reply counts as
a success (PLATFORM.md, "Webhook request" and "Failure"; the SDK's port of mod_openai's
``get_input_from_webhooks`` and ``parse_webhook``).

Only the first eligible webhook is requested: one is skipped, without a request, when none of
its ``require_args`` is present or when it has neither ``output`` nor ``expressions``; once one
is requested no later one runs, whether it succeeded or not.
"""

from __future__ import annotations

import json
import re
from typing import Any

from compiler.signalwire.datamap.http import (
    CURL_ERRORS,
    HttpRequest,
    HttpResponse,
    malformed,
    split_credentials,
)
from compiler.signalwire.datamap.run import Runtime, deep
from compiler.signalwire.datamap.template import url_encode
from compiler.signalwire.datamap.values import (
    MISSING,
    atoi,
    cjson_parse,
    cjson_print,
    delete_item,
    get_item,
    has_item,
    string_item,
)

__all__ = ["USER_AGENT", "run_webhooks"]

USER_AGENT = "SignalWire-CallFabric/1.0"
_TRUE_WORDS = frozenset({"yes", "on", "true", "t", "enabled", "active", "allow"})
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def is_true(value: Any) -> bool:
    """mod_openai's ``cJSON_FSTrue``: JSON true, or a string FreeSWITCH's ``switch_true``
    accepts ("yes", "on", "true", a number whose integer part is not 0).

    Example:
        >>> [is_true(v) for v in (True, "Yes", "1", "0.5", "2.5", "no", 1)]
        [True, True, True, False, True, False, False]
    """
    if value is True:
        return True
    if not isinstance(value, str):
        return False
    if value.lower() in _TRUE_WORDS:
        return True
    return bool(_NUMBER.fullmatch(value.strip())) and atoi(value) != 0


def _any_present(keys: Any, args: Any) -> bool:
    """mod_openai's ``args_present``: any one of the named arguments is enough."""
    if isinstance(keys, list):
        return any(isinstance(k, str) and has_item(args, k) for k in keys)
    return isinstance(keys, str) and has_item(args, keys)


def build_request(rt: Runtime, hook: Any, call_data: dict[str, Any], where: str
                  ) -> HttpRequest | None:
    """The request a webhook sends, or None when it has no url."""
    url = string_item(hook, "url")
    if url is None:
        return None
    method = string_item(hook, "method")
    form_param = string_item(hook, "form_param")
    params = get_item(hook, "params")
    if is_true(get_item(hook, "input_args_as_params")):
        args = get_item(call_data, "args")
        if isinstance(params, dict) and isinstance(args, dict):
            params = deep(params)
            for key, value in args.items():
                delete_item(params, key)
                params[key] = deep(value)
        elif params is MISSING and args is not MISSING:
            params = args
    bare, auth = split_credentials(url)
    post = method is not None and method.lower() == "post"
    body: str | None = None
    if params is not MISSING:  # params are the body, so a webhook with params is a POST
        post = True
        body = rt.text(cjson_print(params), call_data, f"{where}'s params", escape_json=True)
        if form_param is not None:
            body = f"{form_param}={url_encode(body)}"
    headers = [("Content-Type", "application/x-www-form-urlencoded" if form_param is not None
                else "application/json"), ("User-Agent", USER_AGENT)]
    user_headers = get_item(hook, "headers")
    if isinstance(user_headers, dict):  # sent as written: the platform expands no header
        for name, value in user_headers.items():
            if isinstance(value, str):
                headers = _set_header(headers, str(name), value)
    return HttpRequest("POST" if post else "GET", rt.text(bare, call_data, f"{where}'s url"),
                       tuple(headers), body, auth)


def _set_header(headers: list[tuple[str, str]], name: str, value: str
                ) -> list[tuple[str, str]]:
    """``name: value`` replacing a header of that name where it stands, else appended."""
    if any(k.lower() == name.lower() for k, _ in headers):
        return [(name, value) if k.lower() == name.lower() else (k, v) for k, v in headers]
    return [*headers, (name, value)]


def read_reply(response: HttpResponse) -> Any:
    """The response as the data the webhook's output reads: its JSON (an array under
    ``array``), with ``parse_error``/``raw_response``, ``protocol_error``/``http_req_result``
    and ``http_code`` added as the platform adds them."""
    reply = cjson_parse(response.body) if response.body else MISSING
    parse_error = reply is MISSING
    if parse_error or response.error is not None or not 200 <= response.status <= 299:
        if reply is MISSING:
            reply = {}
        if isinstance(reply, dict):
            if parse_error:
                reply["parse_error"] = True
                reply["raw_response"] = response.body
            if response.error is not None:
                reply["protocol_error"] = True
                reply["http_req_result"] = response.error_code or 1
            reply["http_code"] = response.status
    return {"array": reply} if isinstance(reply, list) else reply


def failure(reply: Any, error_keys: Any) -> str:
    """Why a reply counts as a failure, or ''. An ``error_keys`` key fails the webhook when it
    is present at the top level, whatever its value; a non-2xx status alone does not."""
    for key in ("parse_error", "protocol_error"):
        if has_item(reply, key):
            return f"the response has {key}"
    keys = error_keys if isinstance(error_keys, list) else [error_keys]
    for key in keys:
        if isinstance(key, str) and has_item(reply, key):
            return f"the response has the error key '{key}'"
    return ""


def run_webhooks(rt: Runtime, hooks: Any, call_data: dict[str, Any]
                 ) -> tuple[Any, Any, int | None]:
    """Request the first eligible webhook. Returns (its reply, the webhook when the reply is a
    success else None, its index)."""
    if isinstance(hooks, dict):  # one webhook object, not a list: never checked for errors
        if not (has_item(hooks, "output") or has_item(hooks, "expressions")):
            rt.log("webhook skipped: it has neither output nor expressions")
            return MISSING, None, None
        reply = _request(rt, hooks, call_data, "the webhook")
        return reply, (None if reply is MISSING else hooks), 0
    for index, hook in enumerate(hooks if isinstance(hooks, list) else ()):
        where = f"webhooks[{index}]"
        if has_item(hook, "require_args") and not _any_present(
                get_item(hook, "require_args"), get_item(call_data, "args")):
            rt.log(f"{where} skipped: none of its require_args is present")
            continue
        if not (has_item(hook, "output") or has_item(hook, "expressions")):
            rt.log(f"{where} skipped: it has neither output nor expressions")
            continue
        reply = _request(rt, hook, call_data, f"a webhook ({where})")
        if reply is MISSING:
            rt.log(f"{where} skipped: it has no url")
            continue
        reason = failure(reply, get_item(hook, "error_keys"))
        if reason:
            rt.log(f"{where} failed: {reason}; no later webhook is tried, the data_map's "
                   "output runs instead")
            return reply, None, index
        rt.log(f"{where} succeeded", where)
        return reply, hook, index
    return MISSING, None, None


def _request(rt: Runtime, hook: Any, call_data: dict[str, Any], where: str) -> Any:
    request = build_request(rt, hook, call_data, where)
    if request is None:
        return MISSING
    rt.log(f"{request.method} {request.url}" + (f" {request.body}" if request.body else ""))
    refused = malformed(request.url)
    if refused is not None:  # the platform's curl stops here: nothing is sent
        rt.note(f"{where}: {refused}")
        response = HttpResponse(0, "", error=refused, error_code=CURL_ERRORS["malformed"])
    else:
        response = rt.send(request)
    if response.error is not None:
        rt.log(f"request failed: {response.error}")
    else:
        rt.log(f"response {response.status}: {_short(response.body)}")
    return read_reply(response)


def _short(text: str, limit: int = 200) -> str:
    one = json.dumps(text)[1:-1]
    return one if len(one) <= limit else one[: limit - 1] + "…"

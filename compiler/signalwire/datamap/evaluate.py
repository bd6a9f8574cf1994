"""A data_map function run the way SignalWire runs it during a call (PLATFORM.md, "DataMap:
two scopes, and the order things run in").

1. The top-level ``expressions``, against the call data; the first that produces an output
   ends the function.
2. The first eligible webhook (:mod:`.webhooks`); if it succeeds, its ``foreach``, then its
   ``expressions`` (a matched result is expanded a second time), then its ``output``, all
   against the response, with the call data under ``input``.
3. The top-level ``output``, when nothing above produced one.
4. Otherwise the platform's generic reply.

No I/O happens here: HTTP goes through the :class:`~.http.Transport` the caller gives, the
clock through the runtime's function context. The SDK's simulator (``swaig-test``) ports the
same rules; where swmlc differs from it, it is on purpose: PCRE instead of Python's ``re``
(:mod:`.regex`), and ``@{...}`` functions run instead of left as written (:mod:`.functions`).
"""

from __future__ import annotations

from typing import Any

from compiler.signalwire.datamap.run import Call, Execution, Runtime, deep
from compiler.signalwire.datamap.values import (
    MISSING,
    add_item,
    atoi,
    delete_item,
    get_item,
    lookup,
    lower_ascii,
    string_item,
)
from compiler.signalwire.datamap.webhooks import run_webhooks
from compiler.signalwire.pcre import search

__all__ = ["GENERIC_REPLY", "call_data", "run_datamap"]

GENERIC_REPLY = "There was an error processing this request."
_INVALID_JSON = ("the expanded output is not valid JSON, so the platform gets no result: a "
                 "template inserting an object or an array into a string does this")


def call_data(function: dict[str, Any], args: Any, call: Call) -> dict[str, Any]:
    """The data the top-level expressions and output, and a webhook's url and params, read:
    the call details, ``global_data``, ``meta_data`` (the function's over the global data,
    key by key, and the call's current meta_data over both), the prompt variables at the
    root, ``args``, and an empty ``input``. A later
    source replaces an earlier key of the same name in any case, as cJSON's replace does."""
    data: dict[str, Any] = {}
    names: dict[str, str] = {}  # lowercased -> the key as held, so a replace is one lookup

    def put(key: str, value: Any, replace: bool = True) -> None:
        held = names.get(lower_ascii(key))
        if held is not None:
            if not replace:
                return
            del data[held]
        names[lower_ascii(key)] = key
        data[key] = value

    name = function.get("function")
    if isinstance(name, str):
        put("function", name)
    for key, value in call.details.items():
        put(str(key), deep(value))
    if call.global_data is not None:
        put("global_data", deep(dict(call.global_data)))
    meta: dict[str, Any] = {}
    for source in (call.global_data, function.get("meta_data"), call.meta_data):
        if isinstance(source, dict):
            for key, value in source.items():
                delete_item(meta, str(key))
                meta[key] = deep(value)
    put("meta_data", meta)
    for key, value in call.prompt_vars.items():
        put(str(key), deep(value))
    put("args", deep(args), replace=False)
    put("input", {}, replace=False)
    return data


def _expression(rt: Runtime, item: Any, data: Any, where: str, point: str) -> Any:
    """One expression's result, or MISSING when it gives none."""
    string, pattern = string_item(item, "string"), string_item(item, "pattern")
    expr = string_item(item, "expr")
    output, nomatch = get_item(item, "output"), get_item(item, "nomatch-output")
    if string is None and expr is None:
        return MISSING  # with neither string nor expr an expression never matches
    if output is MISSING:
        return MISSING
    if string is None:
        rt.note(f"{point}: 'expr' is not evaluated (no documented meaning); treated as no match")
        string = expr or ""
    subject = rt.text(string, data, where)
    matched = pattern is not None and search(pattern, subject, cache=rt.patterns)
    rt.log(f"{point}: {subject!r} {'matches' if matched else 'does not match'} {pattern!r}",
           point if matched else None)
    if matched:
        return rt.json(output, data, where)
    if nomatch is not MISSING:
        rt.log(f"{point}: nomatch-output used", f"{point}.nomatch")
        return rt.json(nomatch, data, where)
    return MISSING


def _expressions(rt: Runtime, items: Any, data: Any, where: str, prefix: str
                 ) -> tuple[Any, str]:
    """The first expression result and the point that gave it, or (MISSING, ''). A result
    that expanded to text that is not JSON counts as none, and the next expression is tried."""
    listed = items if isinstance(items, list) else [items]
    for index, item in enumerate(listed):
        point = f"{prefix}[{index}]" if isinstance(items, list) else prefix
        result = _expression(rt, item, data, where, point)
        if result is not MISSING:
            return result, point
    return MISSING, ""


def _finish(rt: Runtime, reply: Any, via: str) -> Execution:
    out = rt.execution
    out.via = via
    if reply is MISSING:
        rt.note(_INVALID_JSON)
        out.reply = None
    else:
        out.reply = reply
    return out


def run_datamap(function: dict[str, Any], args: Any, call: Call, rt: Runtime) -> Execution:
    """Run ``function`` (a SWAIG function object holding a ``data_map``) with ``args``.

    Example:
        >>> from compiler.signalwire.datamap.http import HttpResponse
        >>> class Offline:
        ...     def send(self, request): return HttpResponse(error="offline", error_code=7)
        >>> fn = {"function": "hi", "data_map": {"expressions": [
        ...     {"string": "${args.who}", "pattern": "^bob$", "output": {"response": "Hi Bob"}}],
        ...     "output": {"response": "Hello ${lc:args.who}"}}}
        >>> run_datamap(fn, {"who": "ANN"}, Call(), Runtime(Offline())).reply
        {'response': 'Hello ann'}
    """
    rt.execution.function = str(function.get("function", ""))
    data_map = function.get("data_map", function)
    data = call_data(function, args, call)
    expressions = get_item(data_map, "expressions")
    if expressions is not MISSING:
        result, point = _expressions(rt, expressions, data, "the data_map's expressions",
                                     "expressions")
        if result is not MISSING:
            return _finish(rt, result, point)
    hooks = get_item(data_map, "webhooks")
    if hooks is not MISSING:
        done = _after_webhook(rt, hooks, data, call)
        if done is not None:
            return done
    output = get_item(data_map, "output")
    if output is not MISSING:
        add_item(data, "prompt_vars", deep(dict(call.prompt_vars)))
        rt.log("the data_map's output is used", "output")
        return _finish(rt, rt.json(output, data, "the data_map's output"), "output")
    rt.log("nothing produced an output: the platform answers with its generic reply")
    return _finish(rt, {"response": GENERIC_REPLY}, "error")


def _after_webhook(rt: Runtime, hooks: Any, data: dict[str, Any], call: Call
                   ) -> Execution | None:
    """The requested webhook's foreach, expressions and output, when it succeeded."""
    reply, hook, index = run_webhooks(rt, hooks, data)
    if hook is None:
        return None
    prefix = "webhooks" if isinstance(hooks, dict) else f"webhooks[{index}]"
    rdata: dict[str, Any] = reply if isinstance(reply, dict) else {}
    add_item(rdata, "prompt_vars", deep(dict(call.prompt_vars)))
    if call.global_data is not None:
        add_item(rdata, "global_data", deep(dict(call.global_data)))
    add_item(rdata, "input", deep(data))
    foreach = get_item(hook, "foreach")
    if foreach is not MISSING:
        _foreach(rt, foreach, rdata, prefix)
    expressions = get_item(hook, "expressions")
    if expressions is not MISSING:
        result, point = _expressions(rt, expressions, rdata, "a webhook's expressions",
                                     f"{prefix}.expressions")
        if result is not MISSING:  # a matched result is expanded a second time
            return _finish(rt, rt.json(result, rdata, "a webhook's expressions"), point)
    output = get_item(hook, "output")
    if output is MISSING:
        return None
    rt.log(f"{prefix}'s output is used", f"{prefix}.output")
    return _finish(rt, rt.json(output, rdata, "a webhook's output"), f"{prefix}.output")


def _foreach(rt: Runtime, foreach: Any, data: dict[str, Any], prefix: str) -> None:
    """Build a foreach's text into its output_key, one ``append`` per element (``this``)."""
    input_key = string_item(foreach, "input_key")
    output_key = string_item(foreach, "output_key")
    append = string_item(foreach, "append")
    if input_key is None or output_key is None or append is None:
        rt.note(f"{prefix}'s foreach needs input_key, output_key and append; it is skipped")
        return
    items = lookup(data, input_key)
    if not isinstance(items, list):
        rt.note(f"{prefix}'s foreach: '{input_key}' is not an array in the response; skipped")
        return
    limit = get_item(foreach, "max")
    count = len(items)
    maximum = atoi(limit) if isinstance(limit, str) else int(limit) \
        if isinstance(limit, int | float) and not isinstance(limit, bool) else 0
    if maximum > 0:
        count = min(count, maximum)
    parts = []
    for item in items[:count]:
        delete_item(data, "this")
        data["this"] = deep(item)
        parts.append(rt.text(append, data, "a webhook's foreach", functions=False))
        delete_item(data, "this")
    add_item(data, output_key, "".join(parts))
    rt.log(f"{prefix}'s foreach built {output_key} from {count} of {len(items)} items")

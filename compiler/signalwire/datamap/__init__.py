"""SignalWire's runtime behaviour for SWAIG functions, with no I/O: the DataMap evaluator, the
template expander with its helpers and ``@{...}`` functions, PCRE matching, and the request a
web_hook_url function is sent. ``swmlc exec``, ``swmlc test`` and (issue 15) the function stubs
of ``swmlc serve`` all run functions through :func:`execute`, so they share one model of what
the platform does.

HTTP goes through a :class:`~.http.Transport` the caller injects; the clock through the
runtime's :class:`~.functions.FunctionContext`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compiler.signalwire.datamap.evaluate import GENERIC_REPLY, run_datamap
from compiler.signalwire.datamap.functions import FIXED_NOW, FunctionContext
from compiler.signalwire.datamap.http import HttpRequest, HttpResponse, Transport
from compiler.signalwire.datamap.points import Point, points
from compiler.signalwire.datamap.run import DEFAULT_CALL, Call, Event, Execution, Runtime
from compiler.signalwire.datamap.swaig import run_webhook_function

__all__ = [
    "DEFAULT_CALL",
    "FIXED_NOW",
    "GENERIC_REPLY",
    "Call",
    "Event",
    "Execution",
    "FunctionContext",
    "HttpRequest",
    "HttpResponse",
    "NotRunnable",
    "Point",
    "Runtime",
    "Transport",
    "execute",
    "points",
]


class NotRunnable(ValueError):
    """The function has nothing swmlc can run: no data_map and no web_hook_url."""


def webhook_url(function: Mapping[str, Any], defaults: Mapping[str, Any] | None) -> str | None:
    """The URL a function without a data_map is POSTed to: its own, else SWAIG's default."""
    own = function.get("web_hook_url")
    if isinstance(own, str):
        return own
    default = defaults.get("web_hook_url") if defaults else None
    return default if isinstance(default, str) else None


def execute(function: Mapping[str, Any], args: Any, call: Call, runtime: Runtime, *,
            defaults: Mapping[str, Any] | None = None) -> Execution:
    """Run one SWAIG function as the platform would, for the model's call with ``args``.

    ``defaults`` is the document's ``SWAIG.defaults`` (where a function without its own
    web_hook_url is sent). Raises :class:`NotRunnable` for a function with neither a data_map
    nor a URL.
    """
    if isinstance(function.get("data_map"), dict):
        return run_datamap(dict(function), args, call, runtime)
    url = webhook_url(function, defaults)
    if url is None:
        raise NotRunnable(f"function '{function.get('function')}' has neither a data_map nor a "
                          "web_hook_url (its own or SWAIG.defaults'), so nothing can run it")
    return run_webhook_function(function, url, args, call, runtime)

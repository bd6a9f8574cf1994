"""One run of a function: what it reads (:class:`Call`), what it may use (:class:`Runtime`),
and what it left behind (:class:`Execution`): the reply, the trace, the HTTP exchanges, the
notes and the coverage points it reached. Shared by the DataMap evaluator (:mod:`.evaluate`)
and the web_hook_url caller (:mod:`.swaig`)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from compiler.signalwire.datamap.functions import FunctionContext, expand_functions
from compiler.signalwire.datamap.http import HttpRequest, HttpResponse, Transport
from compiler.signalwire.datamap.template import expand
from compiler.signalwire.datamap.values import MISSING, cjson_parse, cjson_print
from compiler.signalwire.pcre import Patterns

__all__ = ["DEFAULT_CALL", "Call", "Event", "Execution", "Runtime"]

#: The call details a function sees when a test or ``swmlc exec`` sets none: fixed, so a run
#: is the same on every machine.
DEFAULT_CALL: Mapping[str, Any] = {
    "call_id": "00000000-0000-4000-8000-000000000001",
    "ai_session_id": "00000000-0000-4000-8000-000000000002",
    "conversation_id": "00000000-0000-4000-8000-000000000003",
    "caller_id_name": "Test Caller",
    "caller_id_num": "+15555550123",
    "app_name": "swmlc",
    "project_id": "00000000-0000-4000-8000-000000000004",
    "space_id": "00000000-0000-4000-8000-000000000005",
    "channel_active": True,
    "channel_offhook": True,
    "channel_ready": True,
}


@dataclass(frozen=True)
class Call:
    """What the platform knows when a function runs: the call details (``call_id``,
    ``caller_id_num``...), the agent's global_data as the call has it now, the prompt
    variables, and the function's meta_data as the call holds it now (``set_meta_data`` of
    earlier calls, over the function's own ``meta_data``)."""

    details: Mapping[str, Any] = field(default_factory=lambda: dict(DEFAULT_CALL))
    global_data: Mapping[str, Any] | None = None
    prompt_vars: Mapping[str, Any] = field(default_factory=dict)
    meta_data: Mapping[str, Any] | None = None


@dataclass
class Event:
    """One line of the trace; ``point`` is the coverage point it reached, if any."""

    text: str
    point: str | None = None


@dataclass
class Execution:
    """What one run left behind. ``reply`` is the SWAIG reply the model gets (None when an
    output expanded to text that is not JSON: the platform then gets nothing); ``via`` is the
    coverage point that produced it ("expressions[1]", "webhooks[0].output", "output",
    "webhook" for a web_hook_url function), or "error" for the platform's generic reply."""

    function: str
    reply: Any = None
    via: str = "error"
    events: list[Event] = field(default_factory=list)
    exchanges: list[tuple[HttpRequest, HttpResponse]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pauses: list[float] = field(default_factory=list)
    #: What in a web_hook_url's reply the platform would not read (``reply.reply_problems``).
    reply_problems: list[str] = field(default_factory=list)

    @property
    def covered(self) -> list[str]:
        return [e.point for e in self.events if e.point is not None]

    @property
    def requests(self) -> list[HttpRequest]:
        return [request for request, _ in self.exchanges]


@dataclass
class Runtime:
    """What a run may use: the transport for HTTP and the template functions' context (the
    clock). One per run: it collects the run's notes."""

    transport: Transport
    functions: FunctionContext = field(default_factory=FunctionContext)
    execution: Execution = field(default_factory=lambda: Execution(""))
    patterns: Patterns = field(default_factory=dict)
    #: Log each template expanded and what it read (``swmlc exec --trace``); off for tests,
    #: which run thousands of functions.
    trace: bool = False

    def __post_init__(self) -> None:
        self.functions.note = self.note

    def log(self, text: str, point: str | None = None) -> None:
        self.execution.events.append(Event(text, point))

    def note(self, text: str) -> None:
        if text not in self.execution.notes:
            self.execution.notes.append(text)

    def send(self, request: HttpRequest) -> HttpResponse:
        response = self.transport.send(request)
        self.execution.exchanges.append((request, response))
        return response

    def text(self, template: str, data: Any, where: str, *, escape_json: bool = False,
             functions: bool = True) -> str:
        """A template expanded against ``data``, each unresolved path noted, then its
        ``@{...}`` functions run (unless ``functions`` is off: JSON text runs them after it
        is parsed)."""

        reads: list[str] = []

        def unresolved(raw: str, path: str) -> None:
            self.note(_unresolved_note(raw, path, where))

        def resolved(raw: str, text: str) -> None:
            reads.append(f"{raw}={_short(text)}" if text else f"{raw}=(empty)")

        out = expand(template, data, escape_json=escape_json, unresolved=unresolved,
                     resolved=resolved if self.trace else None)
        if reads:
            self.log(f"{where}: expanded {_short(template)} -> {_short(out)}; read "
                     + ", ".join(reads))
        return expand_functions(out, self.functions) if functions else out

    def json(self, value: Any, data: Any, where: str) -> Any:
        """An output (or an expression's result) expanded as JSON text and parsed back, as the
        platform does; MISSING when the text is no longer JSON."""
        parsed = cjson_parse(self.text(cjson_print(value), data, where, escape_json=True,
                                       functions=False))
        return MISSING if parsed is MISSING else self.strings(parsed)

    def strings(self, value: Any) -> Any:
        """``value`` with the ``@{...}`` functions of its strings run."""
        if isinstance(value, str):
            return expand_functions(value, self.functions)
        if isinstance(value, dict):
            return {k: self.strings(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.strings(v) for v in value]
        return value


_RESPONSE_PLACES = ("a webhook's foreach", "a webhook's expressions", "a webhook's output")


def _unresolved_note(raw: str, path: str, where: str) -> str:
    """Why ``raw`` came out empty, with the usual mistake named."""
    note = f"{raw} in {where} is empty: '{path}' is not in the data"
    lowered = path.lower()
    if lowered.startswith("response."):
        note += "; a webhook's response is at the root: write ${" + path[9:] + "}"
    elif where in _RESPONSE_PLACES and lowered.startswith(("args.", "meta_data.")):
        note += "; after a webhook responds, call data is under input: write ${input." \
            + path + "}"
    elif where not in _RESPONSE_PLACES and lowered.startswith("input."):
        note += "; input is empty until a webhook responds: write ${" + path[6:] + "}"
    return note


def _short(text: str, limit: int = 120) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def deep(value: Any) -> Any:
    """A private copy, so a run never changes the document or the caller's data."""
    return copy.deepcopy(value)

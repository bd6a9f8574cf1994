"""The endpoints. Every one but the two probes is behind basic auth; the SWML endpoint also
needs SignalWire's signature when a signing key is configured.

- ``GET|POST /swml/<agent>``: the agent's SWML document;
- ``POST /post_prompt/<agent>``: the platform's end-of-call payload, kept (and
  ``fetch_conversation`` answered);
- ``GET /calls``, ``/calls/<call_id>``: recent calls per agent, one call; HTML, or JSON with
  ``Accept: application/json``;
- ``POST /swaig/<agent>``: the agent's SWAIG functions, stubbed (``--stub-functions``);
- ``GET /healthz``, ``/readyz``: liveness; readiness (a build loaded, the database answering).

Refusals carry no detail: 401 says credentials are needed, 403 that a signature is wrong,
never which part. The platform's post-prompt and SWAIG requests are not signed (PLATFORM.md),
so there a signature is checked only when one is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from compiler.features.serve import pages, stubs
from compiler.features.serve.calls import BadPayload, parse_payload, record_from_payload
from compiler.features.serve.gate import admitted, state_of
from compiler.features.serve.state import ServeState, json_response

Endpoint = Callable[[Request], Awaitable[Response]]
#: Calls shown per agent on /calls, by default and at most.
PER_AGENT, MAX_PER_AGENT = 20, 500


def table(state: ServeState) -> list[tuple[str, Endpoint, list[str]]]:
    routes: list[tuple[str, Endpoint, list[str]]] = [
        ("/swml/{agent}", swml, ["GET", "POST"]),
        ("/post_prompt/{agent}", post_prompt, ["POST"]),
        ("/calls", calls, ["GET"]),
        ("/calls/{call_id}", call, ["GET"]),
        ("/healthz", healthz, ["GET"]),
        ("/readyz", readyz, ["GET"]),
    ]
    if state.stubs is not None:
        routes.append(("/swaig/{agent}", stubs.endpoint, ["POST"]))
    return routes


async def swml(request: Request) -> Response:
    got = await admitted(request, "required")
    if isinstance(got, Response):
        return got
    agent = request.path_params["agent"]
    request.scope["swmlc"]["agent"] = agent
    state = state_of(request)
    document = state.documents.agents.get(agent)
    if document is None:
        return json_response(404, {"error": "not found"})
    body = document.body if state.stubs is None else state.stubs.personalise(document.body,
                                                                             request)
    return Response(body, media_type="application/json")


async def post_prompt(request: Request) -> Response:
    got = await admitted(request, "if present")
    if isinstance(got, Response):
        return got
    state = state_of(request)
    agent = request.path_params["agent"]
    request.scope["swmlc"]["agent"] = agent
    if agent not in state.documents.agents:
        return json_response(404, {"error": "not found"})
    try:
        data = parse_payload(got)
        if data.get("action") == "fetch_conversation":
            return await _fetch_conversation(state, agent, data)
        record = record_from_payload(agent, data, got)
    except BadPayload as exc:
        return json_response(400, {"error": str(exc)})
    request.scope["swmlc"]["call_id"] = record.call_id
    try:
        await state.store.save(record)
    except Exception as exc:  # the platform gets a 5xx, and the log says why
        state.log.event("store_failed", agent=agent, call_id=record.call_id,
                        error=type(exc).__name__, detail=str(exc)[:500])
        return json_response(503, {"error": "not stored"})
    return json_response(200, {"stored": True, "call_id": record.call_id})


async def _fetch_conversation(state: ServeState, agent: str, data: dict[str, Any]
                              ) -> Response:
    """Calls sharing a ``conversation_id`` get the summary of the latest one before them."""
    conversation = data.get("conversation_id")
    summary = None
    if isinstance(conversation, str) and conversation:
        summary = await run_in_threadpool(state.store.summary, agent, conversation)
    return json_response(200, {"conversation_summary": summary or ""})


async def calls(request: Request) -> Response:
    got = await admitted(request, "if present")
    if isinstance(got, Response):
        return got
    state = state_of(request)
    agent = request.query_params.get("agent") or None
    limit = _bounded(request.query_params.get("limit"), PER_AGENT, MAX_PER_AGENT)
    rows = await run_in_threadpool(state.store.recent, limit, agent)
    names = [agent] if agent else sorted({*state.documents.agents, *(r["agent"] for r in rows)})
    groups = [{"agent": n, "calls": [r for r in rows if r["agent"] == n]} for n in names]
    if wants_json(request):
        return json_response(200, {"agents": [
            {"agent": n, "calls": [_row_json(r) for r in rows if r["agent"] == n]}
            for n in names]})
    return _page(state.pages.calls(groups))


async def call(request: Request) -> Response:
    got = await admitted(request, "if present")
    if isinstance(got, Response):
        return got
    call_id = request.path_params["call_id"]
    state = state_of(request)
    records = await run_in_threadpool(state.store.calls, call_id)
    if not records:
        return json_response(404, {"error": "not found"})
    if wants_json(request):
        return json_response(200, {"call_id": call_id,
                                   "records": [_row_json(r) for r in records]})
    return _page(state.pages.call(call_id, records))


async def healthz(_request: Request) -> Response:
    return json_response(200, {"status": "ok"})


async def readyz(request: Request) -> Response:
    state = state_of(request)
    database = await run_in_threadpool(state.store.ping)
    ready = bool(state.documents.agents) and database
    return json_response(200 if ready else 503, {
        "status": "ready" if ready else "not ready", "agents": len(state.documents.agents),
        "generation": state.documents.generation, "database": database})


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _page(html: str) -> Response:
    return HTMLResponse(html, headers={"Content-Security-Policy": pages.CSP})


def _row_json(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its JSON columns as JSON, not as text."""
    import json

    out = dict(row)
    for key in ("post_prompt_parsed", "payload"):
        if isinstance(out.get(key), str):
            out[key] = json.loads(out[key])
    return out


def _bounded(raw: str | None, default: int, most: int) -> int:
    if raw is None or not raw.isdigit():
        return default
    return max(1, min(int(raw), most))

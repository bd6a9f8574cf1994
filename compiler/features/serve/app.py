"""The ASGI application: the routes of :mod:`.routes` on Starlette, inside an access log.

The app holds one :class:`~compiler.features.serve.state.ServeState`, whose documents a reload
replaces whole; a handler reads ``state.documents`` once, so it answers from one build from
start to end.
Starlette's own error pages are replaced by JSON ones that say nothing about the server.
"""

from __future__ import annotations

import contextlib
import itertools
import time
import traceback
import uuid
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from compiler.features.serve import routes
from compiler.features.serve.logs import Log
from compiler.features.serve.state import ServeState, json_response

#: Headers on every response: nothing here may be cached, sniffed or framed.
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store"),
                    (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


def create_app(state: ServeState) -> ASGIApp:
    """The server's ASGI app."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        # uvicorn has finished every request in flight: stop the reloader, then let the
        # writer commit what it holds, so that no acknowledged payload is lost.
        for stop in state.on_shutdown:
            stop()
        state.store.close()
        state.log.event("stopped")

    app = Starlette(
        routes=[Route(path, endpoint, methods=methods)
                for path, endpoint, methods in routes.table(state)],
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
        lifespan=lifespan,
    )
    app.state.swmlc = state
    return AccessLog(app, state.log)


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    words = {404: "not found", 405: "method not allowed"}.get(exc.status_code, "error")
    return json_response(exc.status_code, {"error": words}, headers=exc.headers)


async def _internal_error(_request: Request, _exc: Exception) -> Response:
    return json_response(500, {"error": "internal error"})


class AccessLog:
    """One JSON line per request (:mod:`.logs`), and a request id on every response.

    Only what is safe to keep is logged: method, path (without its query string), status,
    bytes in and out, duration, client address, and what a handler adds on purpose
    (``scope["swmlc"]``: the agent, or a stubbed function and its arguments). Headers and
    bodies are never logged. A handler's exception is logged here with its traceback; the
    client was already sent a bare 500.
    """

    def __init__(self, app: ASGIApp, log: Log) -> None:
        self.app = app
        self.log = log
        self.ids = RequestIds()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = self.ids.next(scope)
        extra: dict[str, Any] = {}
        scope["swmlc"] = extra
        seen = {"status": 500, "out": 0, "in": 0, "started": False}

        async def counting_receive() -> Message:
            message = await receive()
            seen["in"] += len(message.get("body", b""))
            return message

        async def tagged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"], seen["started"] = message["status"], True
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS,
                                      (b"x-request-id", request_id.encode())]
            elif message["type"] == "http.response.body":
                seen["out"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, tagged_send)
        except Exception as exc:
            self.log.event("error", request_id=request_id, error=type(exc).__name__,
                           traceback=traceback.format_exc())
            if not seen["started"]:
                await json_response(500, {"error": "internal error"})(scope, receive,
                                                                      tagged_send)
        finally:
            client = scope.get("client")
            self.log.event(
                "request", request_id=request_id, method=scope["method"], path=scope["path"],
                status=seen["status"], bytes_in=seen["in"], bytes_out=seen["out"],
                ms=round((time.perf_counter() - started) * 1000, 2),
                client=client[0] if client else None, **extra)


class RequestIds:
    """A random prefix per process and a counter: unique across replicas and restarts, and
    ~20x cheaper than a uuid4 (a system call each) on the hot path."""

    def __init__(self) -> None:
        self.prefix = uuid.uuid4().hex[:12]
        self.count = itertools.count(1)

    def next(self, scope: Scope) -> str:
        """The caller's X-Request-Id when it is a sane token (a proxy's), else a new one."""
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                text: str = value.decode("latin-1")
                if 0 < len(text) <= 64 and all(c.isalnum() or c in "-_." for c in text):
                    return text
        return f"{self.prefix}-{next(self.count)}"

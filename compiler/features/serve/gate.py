"""The gate every request but the probes passes: basic auth, the body limit, and SignalWire's
signature, in that order (:mod:`.auth` has the comparisons)."""

from __future__ import annotations

from typing import Literal

from starlette.requests import Request
from starlette.responses import Response

from compiler.features.serve.auth import has_signature, signature_valid
from compiler.features.serve.state import ServeState, json_response


class TooLarge(Exception):
    pass


def state_of(request: Request) -> ServeState:
    state: ServeState = request.app.state.swmlc
    return state


async def admitted(request: Request, signature: Literal["required", "if present"]
                   ) -> bytes | Response:
    """The request's body once it passed auth, the size limit and the signature check; else
    the refusal to send."""
    settings = state_of(request).settings
    if settings.credentials is not None \
            and not settings.credentials.accepts(request.headers.get("authorization")):
        return json_response(401, {"error": "unauthorized"},
                             headers={"WWW-Authenticate": 'Basic realm="swmlc"'})
    try:
        body = await read_body(request, settings.max_body_bytes)
    except TooLarge:
        return json_response(413, {"error": "request body too large"},
                             headers={"Connection": "close"})
    key = settings.signing_key
    if key and (signature == "required" or has_signature(request.headers)) \
            and not signature_valid(key, signed_url(request), body, request.headers):
        return json_response(403, {"error": "forbidden"})
    return body


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it is known to pass ``limit`` (Content-Length first, then
    while it streams in, for a chunked body that announces nothing)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def signed_url(request: Request) -> str:
    """The URL SignalWire requested: the configured public URL with this path, when the server
    sits behind a proxy or tunnel; else the URL as this server received it."""
    base = state_of(request).settings.public_url
    if not base:
        return str(request.url)
    query = request.url.query
    return base.rstrip("/") + request.url.path + (f"?{query}" if query else "")

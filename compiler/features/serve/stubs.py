"""``--stub-functions FILE``: the agents' web_hook_url functions answered by this server from
an HTTP fixture file, the format ``swmlc exec`` and ``swmlc test`` read, through their loader
and matcher (:mod:`compiler.features.fixtures`: one file format, one loader). A team can call
its agent on a real number before the real webhooks exist.

The documents served point every web_hook_url (a function's own, and ``SWAIG.defaults``') at
``<this server>/swaig/<agent>``, with the server's credentials. When the platform calls a
function there, the request it sent is matched as if it had gone to the function's real URL:
that URL (as compiled, secrets still placeholders, exactly as the fixtures of ``swmlc test``
are written), its basic auth, and the platform's SWAIG body (function, argument, call
details). The first fixture that matches answers; its answer goes back as it is, and the
platform runs it (``@{...}`` functions, actions) as it would the real webhook's. Every call is
logged with the function, its arguments and the fixture that answered (or that none did).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from copy import deepcopy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from compiler.core.urls import join_credentials, split_credentials
from compiler.features.fixtures import Fixtures, FixtureTransport
from compiler.features.serve.auth import Credentials
from compiler.features.serve.gate import admitted, state_of
from compiler.features.serve.state import json_response
from compiler.signalwire.datamap.http import HttpRequest

#: Where the documents hold the server's own address until a request says what it is: a name
#: that cannot resolve (RFC 6761), so a document that escaped unpersonalised fails safe.
MARKER = "https://swmlc-stub.invalid"
#: What a base URL taken from a request's Host header may hold (it is written into JSON).
SAFE_BASE = re.compile(r"https?://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?")


class Stubs:
    """The fixtures, and the rewriting of documents that sends the functions here."""

    def __init__(self, fixtures: Fixtures, credentials: Credentials | None,
                 public_url: str | None) -> None:
        self.transport = FixtureTransport(fixtures)
        self.credentials = credentials
        self.public_url = public_url.rstrip("/") if public_url else None

    def rewrite(self, agent: str, doc: Any) -> Any:
        """A copy of ``doc`` whose web_hook_urls point at this server (still as MARKER)."""
        out = deepcopy(doc)
        target = f"{MARKER}/swaig/{agent}"
        for verb in out.get("sections", {}).get("main", []) if isinstance(out, dict) else ():
            swaig = verb.get("ai", {}).get("SWAIG") if isinstance(verb, dict) else None
            if not isinstance(swaig, dict):
                continue
            defaults = swaig.get("defaults")
            if isinstance(defaults, dict) and "web_hook_url" in defaults:
                defaults["web_hook_url"] = target
            for fn in swaig.get("functions") or ():
                if isinstance(fn, dict) and "web_hook_url" in fn and "data_map" not in fn:
                    fn["web_hook_url"] = target
        return out

    def personalise(self, body: bytes, request: Request) -> bytes:
        """The document with this server's address, and its credentials, where MARKER is."""
        base = self.public_url or f"{request.url.scheme}://{request.url.netloc}"
        if not SAFE_BASE.fullmatch(base):
            base = "http://127.0.0.1"  # a Host header that is no host: nothing of it is echoed
        if self.credentials is not None:
            base = join_credentials(base, self.credentials.user, self.credentials.password)
        return body.replace(MARKER.encode(), json.dumps(base)[1:-1].encode())

    def answer(self, agent: str, webhooks: Mapping[str, str], body: bytes
               ) -> tuple[int, bytes, list[tuple[str, str]], dict[str, Any]]:
        """Status, body and headers of the fixture that answers a SWAIG request, and what the
        log says about it."""
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        function = data.get("function") if isinstance(data, dict) else None
        argument = data.get("argument") if isinstance(data, dict) else None
        parsed = argument.get("parsed") if isinstance(argument, dict) else None
        said: dict[str, Any] = {"function": function,
                                "arguments": parsed[0] if isinstance(parsed, list) and parsed
                                else None}
        url = webhooks.get(function) if isinstance(function, str) else None
        if url is None:
            said["fixture"] = None
            return 404, b'{"error":"no such function"}', [], said
        plain, user, password = split_credentials(url)
        sent = HttpRequest("POST", plain, (("Content-Type", "application/json"),),
                           body.decode("utf-8", "replace"),
                           (user, password or "") if user is not None else None)
        response = self.transport.send(sent)
        said["fixture"] = self.transport.answered[-1].name if not self.transport.misses \
            else None
        self.transport.answered.clear()  # only ``used`` (for ``times``) is kept between calls
        self.transport.misses.clear()
        if response.error is not None:  # no fixture, or one that stands for a failure
            return 502, json.dumps({"error": response.error}).encode(), [], said
        headers = [(k, v) for k, v in response.headers if k.lower() != "content-length"]
        return response.status, response.body.encode(), headers, said


async def endpoint(request: Request) -> Response:
    """``POST /swaig/<agent>``: a stubbed SWAIG function."""
    got = await admitted(request, "if present")
    if isinstance(got, Response):
        return got
    state = state_of(request)
    agent = request.path_params["agent"]
    document = state.documents.agents.get(agent)
    if document is None or state.stubs is None:
        return json_response(404, {"error": "not found"})
    status, body, headers, said = state.stubs.answer(agent, document.webhooks, got)
    request.scope["swmlc"].update(agent=agent, **said)
    media = next((v for k, v in headers if k.lower() == "content-type"), "application/json")
    return Response(body, status_code=status, media_type=media,
                    headers={k: v for k, v in headers if k.lower() != "content-type"})

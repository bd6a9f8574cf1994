"""How ``swmlc exec`` shows a run: the reply on stdout (text: the JSON the model gets; json:
one object with the requests, the trace and the notes), the notes and the trace on stderr."""

from __future__ import annotations

import json
from typing import Any

from compiler.features.exec import ExecResult
from compiler.signalwire.datamap import HttpRequest


def _request(request: HttpRequest) -> dict[str, Any]:
    out: dict[str, Any] = {"method": request.method, "url": request.url,
                           "headers": dict(request.headers)}
    if request.auth is not None:
        out["auth_user"] = request.auth[0]
    if request.body is not None:
        out["body"] = request.body
    return out


def render_execution(result: ExecResult, fmt: str, verbose: bool) -> tuple[str, str]:
    """(stdout, stderr): stdout holds only the reply (text) or the whole run (json), so it
    pipes to jq; notes and, with ``verbose``, the trace go to stderr."""
    run = result.execution
    assert run is not None
    if fmt == "json":
        return json.dumps({
            "agent": result.agent.name if result.agent else None,
            "function": run.function,
            "reply": run.reply,
            "via": run.via,
            "requests": [_request(r) for r in run.requests],
            "covered": run.covered,
            "notes": run.notes,
            "trace": [e.text for e in run.events],
        }, indent=2, ensure_ascii=False) + "\n", ""
    reply = json.dumps(run.reply, indent=2, ensure_ascii=False) if run.reply is not None \
        else "null"
    err = "".join(f"note: {n}\n" for n in run.notes)
    if verbose:
        err = "trace:\n" + "".join(f"  {e.text}\n" for e in run.events) \
            + f"reply via {run.via}\n" + err
    return reply + "\n", err

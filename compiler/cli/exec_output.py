"""How ``swmlc exec`` shows a run. stdout holds the reply the platform hands the model and
nothing else (``json``: exactly that object on one line, for jq and scripts; ``human``: the same,
indented); the notes, and with ``--trace`` the trace (branches, requests, templates), go to
stderr, so piping stdout never mixes them in."""

from __future__ import annotations

import json

from compiler.features.exec import ExecResult
from compiler.signalwire.datamap import HttpRequest


def _request(request: HttpRequest) -> str:
    line = f"  request: {request.method} {request.url}"
    if request.auth is not None:
        line += f" (basic auth as {request.auth[0]})"
    if request.body is not None:
        line += f"\n    body: {request.body}"
    return line + "\n"


def render_execution(result: ExecResult, fmt: str, trace: bool) -> tuple[str, str]:
    """(stdout, stderr) for a run that gave a reply (None: the platform gets nothing, which
    prints as ``null``)."""
    run = result.execution
    assert run is not None
    indent = None if fmt == "json" else 2
    out = json.dumps(run.reply, indent=indent, ensure_ascii=False) + "\n"
    err = "".join(f"note: {n}\n" for n in run.notes)
    if trace:
        err = ("trace:\n" + "".join(f"  {e.text}\n" for e in run.events)
               + "".join(_request(r) for r in run.requests)
               + f"reply via {run.via}"
               + (f" (reached: {', '.join(run.covered)})" if run.covered else "") + "\n" + err)
    return out, err

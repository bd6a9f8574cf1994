"""Running one case through both evaluators against the same loopback server: the SDK's
``execute_datamap_function`` (signalwire-sdk's port of the platform's DataMap execution) and
``swmlc exec --live``, each sent the same answer; their replies and the requests the server
received are compared."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from compiler.signalwire.datamap.run import DEFAULT_CALL
from tests.datamap.cases import Case, localize, write_document
from tests.datamap.server import Answer, Loopback, Seen

#: The headers the evaluators choose (the HTTP libraries add others of their own, such as
#: Accept-Encoding), besides those a webhook sets.
HEADERS = ("content-type", "user-agent", "authorization")


@dataclass
class Outcome:
    reply: Any
    requests: list[tuple[str, str, str, tuple[tuple[str, str], ...]]]


def _headers(case: Case) -> tuple[str, ...]:
    hooks = case.function["data_map"].get("webhooks")
    own = [str(k).lower() for hook in (hooks if isinstance(hooks, list) else [hooks])
           if isinstance(hook, dict) and isinstance(hook.get("headers"), dict)
           for k in hook["headers"]]
    return (*HEADERS, *own)


def _requests(seen: list[Seen], case: Case
              ) -> list[tuple[str, str, str, tuple[tuple[str, str], ...]]]:
    names = _headers(case)
    return [(s.method, s.path, s.body.decode("utf-8", "replace"),
             tuple((h, s.headers[h]) for h in names if h in s.headers)) for s in seen]


def _serve(server: Loopback, case: Case) -> None:
    server.seen.clear()
    server.default = Answer(case.status, case.answer_body)


def run_sdk(case: Case, server: Loopback) -> Outcome:
    from signalwire.cli.execution.datamap_exec import execute_datamap_function

    _serve(server, case)
    fn = localize(case.function, server.base)
    call = {**DEFAULT_CALL, "global_data": case.global_data}
    if case.prompt_vars:
        call["prompt_vars"] = case.prompt_vars
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        reply = execute_datamap_function(fn, case.args, call_data=call)
    if isinstance(reply, dict) and str(reply.get("error", "")).startswith(
            "The expanded output isn't valid JSON"):
        reply = None  # the SDK's words for "the platform gets no result"
    return Outcome(reply, _requests(server.seen, case))


def run_swmlc(case: Case, server: Loopback, folder: Path, index: int) -> Outcome:
    from compiler.cli import cli

    _serve(server, case)
    fn = localize(case.function, server.base)
    doc = write_document(folder, f"case{index}", fn, case.global_data)
    args = ["exec", str(doc), "f" if fn["function"] == "f" else fn["function"],
            "--args", json.dumps(case.args), "--live", "--allow-private-urls",
            "--format", "json"]
    for key, value in case.prompt_vars.items():
        args += ["--prompt-var", f"{key}={value}"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, f"{case.label}: {result.output}"
    return Outcome(json.loads(result.stdout), _requests(server.seen, case))

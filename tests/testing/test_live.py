"""``swmlc test --live`` and ``swmlc exec --live`` against real sockets on 127.0.0.1: a request
refused (a port nothing listens on) or never answered (a server that accepts and stays silent,
with a short --timeout) is a failed case with the reason at the turn's line, never a
traceback; a server that answers passes the case, its secrets read from the environment."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from tests.datamap.server import Answer, loopback

AGENT = """\
prompt: {text: You look customers up.}
functions:
  - function: lookup
    description: Look a customer up.
    parameters: {type: object, properties: {name: {type: string}}}
    data_map:
      webhooks:
        - url: "BASE/customers?name=${enc:args.name}&key={{ secret('CRM_KEY') }}"
          output: {response: "Found ${name}."}
"""

TESTS = """\
agent: crm
cases:
  - name: a known customer
    function: lookup
    args: {name: Ann}
    expect: {response: Found Ann Lee.}
"""


@contextmanager
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def refused_base() -> str:
    """A port on 127.0.0.1 nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def _project(project, monkeypatch, base: str) -> None:
    monkeypatch.setenv("CRM_KEY", "crm-secret-771")
    project({"agents/crm.yaml": AGENT.replace("BASE", base), "swmlc.yaml": "secrets: [CRM_KEY]\n",
             "tests/agents/crm.test.yaml": TESTS})


def _failure(swmlc) -> dict:
    result = swmlc("test", "--live", "--allow-private-urls", "--timeout", "0.3",
                   "--format", "json")
    assert result.exit_code == 1, result.output
    run = json.loads(result.stdout)
    assert run["summary"]["failed"] == 1 and run["errors"] == []
    (failure,) = run["cases"][0]["failures"]
    assert "crm-secret-771" not in json.dumps(run)
    return failure


def test_a_refused_request_fails_the_case_with_the_reason(project, swmlc, monkeypatch) -> None:
    base = refused_base()
    _project(project, monkeypatch, base)
    failure = _failure(swmlc)
    assert (failure["code"], failure["at"]) == ("SWC706", "tests/agents/crm.test.yaml:4:15")
    assert failure["message"].startswith(
        f"GET {base}/customers?name=Ann&key=<<secret:CRM_KEY>> got no answer: "
        "the request failed: ")
    assert "refused" in failure["message"].lower()


def test_a_server_that_never_answers_times_out_and_fails_the_case(project, swmlc,
                                                                   monkeypatch) -> None:
    with silent_server() as base:
        _project(project, monkeypatch, base)
        failure = _failure(swmlc)
    assert (failure["code"], failure["at"]) == ("SWC706", "tests/agents/crm.test.yaml:4:15")
    assert failure["message"] == (f"GET {base}/customers?name=Ann&key=<<secret:CRM_KEY>> got "
                                  "no answer: the request timed out")


def test_a_server_that_answers_passes_with_the_secret_from_the_environment(
        project, swmlc, monkeypatch) -> None:
    with loopback() as server:
        server.default = Answer(200, b'{"name": "Ann Lee"}')
        _project(project, monkeypatch, server.base)
        result = swmlc("test", "--live", "--allow-private-urls")
        assert result.exit_code == 0, result.output
        assert server.seen[0].path == "/customers?name=Ann&key=crm-secret-771"
    monkeypatch.delenv("CRM_KEY")
    unset = swmlc("test", "--live", "--allow-private-urls")
    assert unset.exit_code == 1
    assert "secret CRM_KEY is not set in the environment" in unset.stderr


def test_exec_live_says_why_a_request_got_no_answer(project, swmlc, monkeypatch) -> None:
    with silent_server() as base:
        _project(project, monkeypatch, base)
        result = swmlc("exec", "crm", "lookup", "--name", "Ann", "--live",
                       "--allow-private-urls", "--timeout", "0.3", "--format", "json")
    assert result.exit_code == 0   # the platform answers, with its generic reply
    assert json.loads(result.stdout) == {
        "response": "There was an error processing this request."}
    assert "the request timed out" in result.stderr
    assert "crm-secret-771" not in result.stderr


def test_live_options_need_live(project, swmlc, monkeypatch) -> None:
    _project(project, monkeypatch, "https://crm.test")
    result = swmlc("test", "--timeout", "1")
    assert result.exit_code == 2 and "--timeout go with --live" in result.stderr

"""Issue 15, point 5: --stub-functions FILE answers the agents' web_hook_url functions from an
HTTP fixture file, the format (and the loader) of `swmlc exec` and `swmlc test`. The documents
served send every webhook function to the server itself; each call is matched against the
fixtures as if it had gone to the function's real URL, and logged with the function and its
arguments."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.serve.conftest import AUTH, server_env

pytestmark = pytest.mark.slow

FIXTURES = """\
# yaml-language-server: $schema=../../schemas/http-fixtures.schema.json
fixtures:
  - name: order 42
    request:
      method: POST
      url: https://tools.example.com/swaig/orders
      auth: {user: swaig, password: "<<secret:SWAIG_PASSWORD>>"}
      json: {function: lookup_order, argument: {parsed: [{order: "42"}]}}
    response:
      json:
        response: Order 42 ships tomorrow.
        action: [{set_global_data: {order: "42"}}]
  - name: any other order
    request: {method: POST, url: https://tools.example.com/swaig/orders}
    response: {json: {response: I could not find that order.}}
"""


def swaig_body(function: str, args: dict) -> dict:
    """The POST the platform sends to a web_hook_url (PLATFORM.md, SWAIG web_hook_url)."""
    return {"function": function, "argument": {"parsed": [args], "raw": json.dumps(args),
                                               "substituted": ""},
            "argument_desc": {"type": "object"}, "description": "Look up an order",
            "call_id": "call-7", "ai_session_id": "s-7", "app_name": "swml app",
            "caller_id_name": "Ana", "caller_id_num": "+15035550199",
            "content_type": "text/swaig", "version": "2.0", "meta_data_token": "t",
            "global_data": {}}


@pytest.fixture
def fixtures(serve_project: Path) -> str:
    (serve_project / "tests/fixtures").mkdir(parents=True)
    (serve_project / "tests/fixtures/tools.yaml").write_text(FIXTURES)
    return "tests/fixtures/tools.yaml"


def test_functions_are_answered_from_fixtures(start, fixtures: str) -> None:
    server = start("--stub-functions", fixtures)
    with server.client(auth=AUTH) as http:
        doc = http.get("/swml/alpha").json()
    (fn,) = doc["sections"]["main"][1]["ai"]["SWAIG"]["functions"]
    defaults = doc["sections"]["main"][1]["ai"]["SWAIG"]["defaults"]
    url = urlsplit(fn["web_hook_url"])  # the platform would call this: the server itself
    assert (url.username, url.password) == AUTH
    assert f"{url.scheme}://{url.hostname}:{url.port}" == server.url
    assert url.path == "/swaig/alpha" and defaults["web_hook_url"] == fn["web_hook_url"]
    target = f"{server.url}/swaig/alpha"
    with httpx.Client(auth=(url.username, url.password), timeout=30) as platform:
        order_42 = platform.post(target, json=swaig_body("lookup_order", {"order": "42"}))
        order_7 = platform.post(target, json=swaig_body("lookup_order", {"order": "7"}))
        unknown = platform.post(target, json=swaig_body("cancel_order", {"order": "7"}))
    with httpx.Client(timeout=30) as anonymous:
        refused = anonymous.post(target, json=swaig_body("lookup_order", {"order": "42"}))
    assert order_42.status_code == 200 and order_42.json() == {
        "response": "Order 42 ships tomorrow.", "action": [{"set_global_data": {"order": "42"}}]}
    assert order_7.json() == {"response": "I could not find that order."}
    assert unknown.status_code == 404 and refused.status_code == 401
    server.stop()
    calls = [e for e in server.events("request") if e["path"] == "/swaig/alpha"]
    assert [(c["function"], c["arguments"], c["fixture"], c["status"]) for c in calls[:3]] == [
        ("lookup_order", {"order": "42"}, "order 42", 200),
        ("lookup_order", {"order": "7"}, "any other order", 200),
        ("cancel_order", {"order": "7"}, None, 404)]


def test_a_request_no_fixture_answers_fails_as_a_dead_webhook_would(start, serve_project: Path
                                                                     ) -> None:
    (serve_project / "only42.yaml").write_text(FIXTURES.split("  - name: any other")[0])
    server = start("--stub-functions", "only42.yaml")
    with server.client(auth=AUTH) as http:
        missed = http.post("/swaig/alpha", json=swaig_body("lookup_order", {"order": "9"}))
    assert missed.status_code == 502
    assert missed.json() == {"error": "no fixture answers this request"}
    server.stop()
    (miss,) = [e for e in server.events("request") if e["path"] == "/swaig/alpha"]
    assert miss["fixture"] is None and miss["arguments"] == {"order": "9"}


def test_without_stubs_the_documents_keep_their_real_webhooks(start) -> None:
    server = start()
    with server.client(auth=AUTH) as http:
        doc = http.get("/swml/alpha").json()
        stub = http.post("/swaig/alpha", json=swaig_body("lookup_order", {"order": "42"}))
    fn = doc["sections"]["main"][1]["ai"]["SWAIG"]["functions"][0]
    assert fn["web_hook_url"].endswith("@tools.example.com/swaig/orders")
    assert stub.status_code == 404


def test_a_bad_fixture_file_stops_the_start_at_its_line(serve_project: Path) -> None:
    (serve_project / "bad.yaml").write_text(
        "fixtures:\n  - request: {method: POST, url: https://x.example}\n"
        "    response: {status: 200, jsn: {}}\n")
    result = subprocess.run([sys.executable, "-m", "compiler", "serve", "--port", "0",
                             "--stub-functions", "bad.yaml"], cwd=serve_project,
                            env=server_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "error[SWC702]" in result.stderr and "--> bad.yaml:3:" in result.stderr
    assert "jsn" in result.stderr
    missing = subprocess.run([sys.executable, "-m", "compiler", "serve", "--port", "0",
                              "--stub-functions", "nope.yaml"], cwd=serve_project,
                             env=server_env(), capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1
    assert missing.stderr == "error: --stub-functions: no file nope.yaml\n"

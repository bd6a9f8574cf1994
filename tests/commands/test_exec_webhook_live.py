"""``swmlc exec --live`` on a web_hook_url function, against a real server on 127.0.0.1: the
server gets the platform's SWAIG POST body (PLATFORM.md, "SWAIG web_hook_url"), and what it
answers is checked as the platform reads a SWAIG reply."""

from __future__ import annotations

import base64
import json

from tests.datamap.server import Answer, loopback

AGENT = """\
prompt: {text: You transfer calls.}
global_data: {plan: gold}
swaig_defaults:
  web_hook_url: "http://{{ secret('HOOK_USER') }}:{{ secret('HOOK_PASS') }}@HOST/swaig"
functions:
  - function: transfer
    description: Transfer the caller to a department.
    parameters:
      type: object
      properties: {dept: {type: string, description: The department.}}
      required: [dept]
    meta_data_token: routing
    meta_data: {desk: "+15550100"}
"""


def _project(project, monkeypatch, server) -> None:
    monkeypatch.setenv("HOOK_USER", "hook")
    monkeypatch.setenv("HOOK_PASS", "s3cret")
    project({"agents/t.yaml": AGENT.replace("HOST", server.base.removeprefix("http://")),
             "swmlc.yaml": "secrets: [HOOK_USER, HOOK_PASS]\n"})


def test_the_server_gets_the_platform_swaig_body_and_its_reply_is_printed(
        project, swmlc, monkeypatch) -> None:
    with loopback() as server:
        server.default = Answer(200, json.dumps({
            "response": "Transferring to @{echo sales}.",
            "action": [{"SWML": {"sections": {"main": [{"connect": {"to": "+15550100"}}]}},
                        "transfer": "true"}]}).encode())
        _project(project, monkeypatch, server)
        result = swmlc("exec", "t", "transfer", "--dept", "sales", "--live",
                       "--allow-private-urls", "--format", "json",
                       "--meta-data", '{"desk": "+15550111"}',
                       "--call-data", '{"caller_id_num": "+15125550147", "call_id": "c-9"}')
        assert result.exit_code == 0, result.output
        assert "SWC709" not in result.stderr
        assert json.loads(result.stdout) == {
            "response": "Transferring to sales.",
            "action": [{"SWML": {"sections": {"main": [{"connect": {"to": "+15550100"}}]}},
                        "transfer": "true"}]}
        (seen,) = server.seen
    assert (seen.method, seen.path) == ("POST", "/swaig")
    assert seen.headers["content-type"] == "application/json"
    assert seen.headers["authorization"] == "Basic " + base64.b64encode(b"hook:s3cret").decode()
    body = json.loads(seen.body)
    assert body["function"] == "transfer"
    assert body["description"] == "Transfer the caller to a department."
    assert body["argument"] == {"parsed": [{"dept": "sales"}], "raw": '{"dept": "sales"}',
                                "substituted": ""}
    assert body["argument_desc"]["properties"]["dept"] == {"type": "string",
                                                          "description": "The department."}
    assert (body["content_type"], body["version"]) == ("text/swaig", "2.0")
    assert (body["call_id"], body["caller_id_num"]) == ("c-9", "+15125550147")
    assert body["global_data"] == {"plan": "gold"}
    assert (body["meta_data_token"], body["meta_data"]) == ("routing", {"desk": "+15550111"})
    for key in ("ai_session_id", "app_name", "caller_id_name", "project_id", "space_id",
                "channel_active", "channel_offhook", "channel_ready"):
        assert key in body, key


def test_a_reply_the_platform_would_not_read_is_a_warning_naming_what_is_wrong(
        project, swmlc, monkeypatch) -> None:
    with loopback() as server:
        server.default = Answer(200, json.dumps({
            "responce": "Transferring.", "action": [{"set_global_dta": {"x": 1}}, "hangup"]
        }).encode())
        _project(project, monkeypatch, server)
        result = swmlc("exec", "t", "transfer", "--dept", "sales", "--live",
                       "--allow-private-urls", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"responce": "Transferring.",
                                         "action": [{"set_global_dta": {"x": 1}}, "hangup"]}
    for words in ("warning[SWC709]: the web_hook_url's reply: the reply has no 'response': the "
                  "model gets nothing to say",
                  "'responce' is not part of a SWAIG reply (response, action, post_process): "
                  "did you mean 'response'?",
                  "action[0]: 'set_global_dta' is not an action the platform knows (did you "
                  "mean 'set_global_data'?)",
                  "action[1] is not an object, got str"):
        assert words in result.stderr, words

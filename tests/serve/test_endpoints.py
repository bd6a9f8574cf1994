"""Issue 15, points 1, 3, 4 and 6: each endpoint of the real server, over loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import assert_official
from tests.serve.conftest import AUTH, SECRETS, payload, server_env

pytestmark = pytest.mark.slow


def test_swml_is_served_by_get_and_post_with_secrets_bound(start, judge) -> None:
    server = start()
    with server.client(auth=AUTH) as http:
        got = http.get("/swml/alpha")
        posted = http.post("/swml/alpha", json={"call": {"call_id": "c-1", "from": "+1555"},
                                                "vars": {}, "envs": {}, "params": {}})
    assert got.status_code == 200 and posted.status_code == 200
    assert got.headers["content-type"] == "application/json"
    assert got.headers["cache-control"] == "no-store"
    assert got.content == posted.content
    doc = got.json()
    assert_official(judge, doc, "alpha as served")
    ai = doc["sections"]["main"][1]["ai"]
    assert ai["prompt"]["text"] == "You are Alpha. Version one."
    # bound at serve time: the value, not the placeholder; percent-encoded inside credentials
    assert ai["post_prompt_url"] == \
        f"https://pp:{SECRETS['ALPHA_TOKEN']}@hooks.example.com/pp/alpha"
    assert ai["SWAIG"]["functions"][0]["web_hook_url"] == \
        "https://swaig:sw%40ig%3Apa%2Fss-5c8e@tools.example.com/swaig/orders"
    assert "<<secret:" not in got.text


def test_an_unknown_agent_is_404_after_auth(start) -> None:
    server = start()
    with server.client(auth=AUTH) as http:
        missing = http.get("/swml/gamma")
    with server.client() as http:
        anonymous = http.get("/swml/gamma")
    assert missing.status_code == 404 and missing.json() == {"error": "not found"}
    assert anonymous.status_code == 401  # nothing about what exists before auth


def test_post_prompt_is_stored_and_listed(start) -> None:
    server = start()
    with server.client(auth=AUTH) as http:
        stored = http.post("/post_prompt/alpha", json=payload("call-1"))
        listed = http.get("/calls", headers={"Accept": "application/json"})
        one = http.get("/calls/call-1", headers={"Accept": "application/json"})
    assert stored.status_code == 200 and stored.json() == {"stored": True, "call_id": "call-1"}
    groups = {g["agent"]: g["calls"] for g in listed.json()["agents"]}
    assert set(groups) == {"alpha", "beta"} and groups["beta"] == []
    (row,) = groups["alpha"]
    assert row["call_id"] == "call-1" and row["caller_id_number"] == "+15035550199"
    assert row["call_start"] == "2024-05-01T12:00:00.000000Z"
    assert row["call_end"] == "2024-05-01T12:02:05.000000Z"
    assert row["post_prompt_parsed"] == [{"reason": "vaccines"}]
    assert row["post_prompt_raw"] == '{"reason": "vaccines"}'
    assert "payload" not in row  # a listing leaves the big column out
    (record,) = one.json()["records"]
    assert record["payload"] == payload("call-1")  # the whole payload, as sent
    assert record["agent"] == "alpha"


def test_the_database_is_sqlite_in_wal_mode_with_its_schema_version(start, serve_project
                                                                    ) -> None:
    import sqlite3

    server = start()
    with server.client(auth=AUTH) as http:
        assert http.post("/post_prompt/beta", json=payload("call-9")).status_code == 200
    server.stop()
    db = sqlite3.connect(serve_project / ".swmlc" / "calls.db")
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("SELECT version FROM swmlc_migrations").fetchall() == [(1,)]
    assert db.execute("SELECT agent, caller_id_name FROM calls WHERE call_id = 'call-9'"
                      ).fetchall() == [("beta", "Ana Lima")]


def test_a_repeated_payload_is_one_row(start) -> None:
    server = start()
    with server.client(auth=AUTH) as http:
        http.post("/post_prompt/alpha", json=payload("call-2"))
        again = payload("call-2", caller_id_name="Ana L.")
        assert http.post("/post_prompt/alpha", json=again).status_code == 200
        records = http.get("/calls/call-2", headers={"Accept": "application/json"}).json()
    (record,) = records["records"]
    assert record["caller_id_name"] == "Ana L."


def test_fetch_conversation_answers_with_the_latest_summary(start) -> None:
    server = start()
    first = payload("call-a", conversation_id="conv-7",
                    conversation_summary="Caller asked about vaccines for Rex.")
    with server.client(auth=AUTH) as http:
        nothing = http.post("/post_prompt/alpha", json={
            "action": "fetch_conversation", "conversation_id": "conv-7", "call_id": "call-b"})
        http.post("/post_prompt/alpha", json=first)
        fetched = http.post("/post_prompt/alpha", json={
            "action": "fetch_conversation", "conversation_id": "conv-7", "call_id": "call-b"})
        other = http.post("/post_prompt/beta", json={
            "action": "fetch_conversation", "conversation_id": "conv-7", "call_id": "call-b"})
        listed = http.get("/calls", headers={"Accept": "application/json"}).json()
    assert nothing.json() == {"conversation_summary": ""}
    assert fetched.status_code == 200
    assert fetched.json() == {"conversation_summary": "Caller asked about vaccines for Rex."}
    assert other.json() == {"conversation_summary": ""}  # another agent's calls stay its own
    calls = [c["call_id"] for g in listed["agents"] for c in g["calls"]]
    assert calls == ["call-a"]  # a fetch is answered, not stored


def test_a_payload_that_is_not_a_call_is_400(start) -> None:
    server = start()
    with server.client(auth=AUTH) as http:
        not_json = http.post("/post_prompt/alpha", content=b"{nope",
                             headers={"content-type": "application/json"})
        no_call = http.post("/post_prompt/alpha", json={"action": "post_conversation"})
    assert not_json.status_code == 400 and not_json.json() == {"error": "the body is not JSON"}
    assert no_call.status_code == 400 and no_call.json() == {
        "error": "the payload has no call_id"}


def test_calls_pages_are_html_for_a_browser(start) -> None:
    server = start()
    with server.client(auth=AUTH) as http:
        http.post("/post_prompt/alpha", json=payload("call-<3>", caller_id_name="<b>Eve</b>"))
        page = http.get("/calls", headers={"Accept": "text/html,application/xhtml+xml"})
        detail = http.get("/calls/call-%3C3%3E", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src" not in page.headers["content-security-policy"]
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page.text and "<b>Eve</b>" not in page.text
    assert 'href="/calls/call-%3C3%3E"' in page.text
    assert "reason: vaccines" in page.text
    assert "My dog needs his shots." in detail.text
    assert "<script" not in page.text + detail.text and "http" not in page.text.split(
        "<body>", 1)[1]


def test_health_and_readiness_need_no_credentials(start) -> None:
    server = start()
    with server.client() as http:
        health = http.get("/healthz")
        ready = http.get("/readyz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "agents": 2, "generation": 1, "database": True}


def test_access_log_is_json_lines_without_secrets_or_auth(start) -> None:
    server = start()
    with server.client(auth=AUTH) as http:
        http.get("/swml/alpha?token=abc123")
        http.post("/post_prompt/alpha", json=payload("call-3"))
    server.stop()
    requests = server.events("request")
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("GET", "/swml/alpha", 200), ("POST", "/post_prompt/alpha", 200)]
    first = requests[0]
    assert first["agent"] == "alpha" and first["client"] == "127.0.0.1"
    assert first["bytes_out"] > 100 and isinstance(first["ms"], float)
    text = "".join(server.lines)
    assert all(json.loads(line) for line in server.lines)  # every line is one JSON object
    assert "abc123" not in text  # no query string
    assert "authorization" not in text.lower() and "Basic " not in text
    assert "stopped" in [e["event"] for e in server.events()]


def test_from_build_serves_build_not_the_sources(start, serve_project: Path, swmlc) -> None:
    os.chdir(serve_project)
    assert swmlc("build").exit_code == 0
    (serve_project / "agents/alpha.yaml").write_text("prompt: {text: edited, not built}\n")
    server = start("--from-build")
    with server.client(auth=AUTH) as http:
        alpha = http.get("/swml/alpha").json()
    assert alpha["sections"]["main"][1]["ai"]["prompt"]["text"] == "You are Alpha. Version one."
    assert alpha["sections"]["main"][1]["ai"]["post_prompt_url"].startswith(
        f"https://pp:{SECRETS['ALPHA_TOKEN']}@")


def test_from_build_refuses_a_build_edited_by_hand(serve_project: Path, swmlc) -> None:
    os.chdir(serve_project)
    assert swmlc("build").exit_code == 0
    path = serve_project / "build/beta.swml.json"
    path.write_text(path.read_text().replace("You are Beta.", "You are someone else."))
    result = subprocess.run([sys.executable, "-m", "compiler", "serve", "--port", "0",
                             "--from-build"], cwd=serve_project, env=server_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip() == ("error: build/ does not match its manifest.json (changed "
                                     "while it was read, or edited by hand): run swmlc build")


def test_a_profile_serves_its_own_variables_into_its_own_database(start, serve_project: Path
                                                                  ) -> None:
    config = serve_project / "swmlc.yaml"
    config.write_text(config.read_text() + "vars: {region: top}\nprofiles:\n  staging:\n"
                      "    vars: {region: staging}\n    serve: {database: .swmlc/staging.db}\n")
    (serve_project / "agents/beta.yaml").write_text(
        'prompt: {text: "You are Beta in {{ region }}."}\n')
    server = start("--profile", "staging")
    with server.client(auth=AUTH) as http:
        beta = http.get("/swml/beta").json()
        assert http.post("/post_prompt/beta", json=payload("staged")).status_code == 200
    server.stop()
    assert beta["sections"]["main"][1]["ai"]["prompt"]["text"] == "You are Beta in staging."
    assert server.events("listening")[0]["database"].endswith(".swmlc/staging.db")
    assert (serve_project / ".swmlc/staging.db").is_file()
    assert not (serve_project / ".swmlc/calls.db").exists()

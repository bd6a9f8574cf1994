"""The relay target: build/<agent>.relay.json holds exactly the keyword arguments of the real
signalwire-sdk ``Call.ai()``, and feeding them to it (with the SDK's own RelayClient and Call, and
a transport that records instead of connecting) sends the very ``ai`` verb of the swml target."""

from __future__ import annotations

import asyncio
import inspect
import json
from pathlib import Path
from typing import Any

import pytest

from compiler.core.bind import bind
from compiler.core.tree import to_plain
from compiler.core.urls import join_credentials, split_credentials
from compiler.runtime import RelayFileError, UnboundSecretsError, ai_kwargs
from compiler.signalwire.relay import RELAY_KWARGS
from compiler.targets.relay import relay_as_ai
from tests.conftest import assert_official
from tests.targets.conftest import secrets_env

relay_call = pytest.importorskip("signalwire.relay.call")
relay_client = pytest.importorskip("signalwire.relay.client")


def sdk_ai_parameters() -> list[str]:
    """Call.ai's keyword parameters that describe the agent (not the app's control_id and
    on_completed callback, nor **kwargs)."""
    params = inspect.signature(relay_call.Call.ai).parameters.values()
    return [p.name for p in params
            if p.kind is inspect.Parameter.KEYWORD_ONLY
            and p.name not in ("control_id", "on_completed")]


def test_relay_kwargs_are_exactly_the_sdk_parameters() -> None:
    assert list(RELAY_KWARGS) == sdk_ai_parameters()


def relay_files(all_targets: Any) -> list[tuple[str, bytes]]:
    return sorted((name, data) for name, data in all_targets.files.items()
                  if name.endswith(".relay.json"))


def test_every_bundled_agent_has_a_relay_file(all_targets: Any) -> None:
    names = {u.name for u in all_targets.units}
    assert {n[: -len(".relay.json")] for n, _ in relay_files(all_targets)} == names


def test_relay_files_hold_only_call_ai_keywords(all_targets: Any) -> None:
    allowed = set(sdk_ai_parameters())
    for name, data in relay_files(all_targets):
        kwargs = json.loads(data)
        assert set(kwargs) <= allowed, (name, set(kwargs) - allowed)
        assert "params" not in kwargs and "prompt" in kwargs, name
        url = kwargs.get("post_prompt_url", "https://x")
        assert split_credentials(url)[1:] == (None, None), f"{name}: credentials left in URL"


def test_relay_is_the_swml_ai_verb_with_the_sdk_renames(all_targets: Any) -> None:
    for unit in all_targets.units:
        swml_ai = to_plain(unit.documents["swml"])["sections"]["main"]
        ai = next(v["ai"] for v in swml_ai if "ai" in v)
        assert to_plain(relay_as_ai(unit.documents["relay"])) == ai, unit.name


def test_credentials_in_post_prompt_url_become_auth_keywords(compile_agent: Any) -> None:
    result = compile_agent(
        "prompt: {text: Hi}\n"
        "post_prompt: {text: Sum up}\n"
        "post_prompt_url: \"https://{{ secret('PP_USER') }}:{{ secret('PP_PASS') }}"
        "@hooks.example.com/summary?x=1\"\n"
        "params: {attention_timeout: 20000}\n",
        targets=("relay",), config="secrets: [PP_USER, PP_PASS]\n")
    assert result.ok, [d.message for d in result.diagnostics]
    kwargs = json.loads(result.files["agent.relay.json"])
    assert list(kwargs) == ["prompt", "post_prompt", "post_prompt_url", "post_prompt_auth_user",
                            "post_prompt_auth_password", "ai_params"]
    assert kwargs["post_prompt_url"] == "https://hooks.example.com/summary?x=1"
    assert kwargs["post_prompt_auth_user"] == "<<secret:PP_USER>>"
    assert kwargs["post_prompt_auth_password"] == "<<secret:PP_PASS>>"
    assert kwargs["ai_params"] == {"attention_timeout": 20000}


def run_sdk_ai(kwargs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Call the SDK's own Call.ai with ``kwargs``; return the RPC method and params it sends."""
    sent: list[tuple[str, dict[str, Any]]] = []

    async def main() -> None:
        client = relay_client.RelayClient(project="p", token="t", host="example.signalwire.com")

        async def execute(method: str, params: dict[str, Any]) -> dict[str, Any]:
            sent.append((method, params))
            return {"code": "200", "message": "AI started"}

        client.execute = execute  # the transport: record instead of connecting
        call = relay_call.Call(client, "call-1", "node-1", "p", "default", state="answered")
        action = await call.ai(**kwargs)
        assert action.control_id

    asyncio.run(main())
    assert len(sent) == 1
    return sent[0]


def test_the_sdk_sends_the_swml_ai_verb(all_targets: Any, tmp_path: Path, judge: Any) -> None:
    """ai_kwargs() -> the real Call.ai() -> the request params are the swml target's ai verb
    (with the same secrets bound), and pass the official schema."""
    env = secrets_env(all_targets)
    for unit in all_targets.units:
        path = tmp_path / f"{unit.name}.relay.json"
        path.write_bytes(all_targets.files[f"{unit.name}.relay.json"])
        method, params = run_sdk_ai(ai_kwargs(path, env=env))
        assert method == "calling.ai"
        sent = {k: v for k, v in params.items() if k not in ("control_id", "node_id", "call_id")}
        missing: set[str] = set()
        doc = bind(to_plain(unit.documents["swml"]), env, missing)
        assert not missing
        ai = next(v["ai"] for v in doc["sections"]["main"] if "ai" in v)
        ai_without_auth = {k: v for k, v in ai.items()}
        if "post_prompt_auth_user" in sent:  # the SDK sends the credentials apart
            url, user, password = split_credentials(ai["post_prompt_url"])
            ai_without_auth["post_prompt_url"] = url
            assert (sent["post_prompt_auth_user"], sent.get("post_prompt_auth_password")) == \
                (user, password)
        assert {k: v for k, v in sent.items() if not k.startswith("post_prompt_auth_")} == \
            ai_without_auth, unit.name
        assert_official(judge, {"version": "1.0.0", "sections": {"main": [{"ai": ai}]}},
                        unit.name)


def test_ai_kwargs_names_every_unset_secret(tmp_path: Path) -> None:
    path = tmp_path / "a.relay.json"
    path.write_text(json.dumps({
        "prompt": {"text": "Hi"}, "post_prompt_url": "https://h.example/s",
        "post_prompt_auth_user": "<<secret:B_USER>>",
        "post_prompt_auth_password": "<<secret:A_PASS>>"}), encoding="utf-8")
    with pytest.raises(UnboundSecretsError) as info:
        ai_kwargs(path, env={})
    assert info.value.names == ["A_PASS", "B_USER"]
    assert "A_PASS, B_USER" in str(info.value) and str(path) in str(info.value)
    bound = ai_kwargs(path, env={"A_PASS": "p@ss:word", "B_USER": "u"})
    assert bound["post_prompt_auth_password"] == "p@ss:word"  # raw: it is not inside a URL


def test_ai_kwargs_reads_the_environment_by_default(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.relay.json"
    path.write_text(json.dumps({"prompt": {"text": "<<secret:GREETING>>"}}), encoding="utf-8")
    monkeypatch.setenv("GREETING", "Hello")
    assert ai_kwargs(path) == {"prompt": {"text": "Hello"}}


@pytest.mark.parametrize("content", [
    '{"version": "1.0.0", "sections": {"main": []}}', "[1]", "not json"])
def test_ai_kwargs_refuses_other_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RelayFileError):
        ai_kwargs(path, env={})
    with pytest.raises(RelayFileError):
        ai_kwargs(tmp_path / "missing.relay.json", env={})


@pytest.mark.parametrize(("url", "clean", "user", "password"), [
    ("https://u:p@h.example/x", "https://h.example/x", "u", "p"),
    ("https://u@h.example", "https://h.example", "u", None),
    ("https://u:p%40ss%3A@h.example:8443/x?y=@", "https://h.example:8443/x?y=@", "u", "p@ss:"),
    ("https://<<secret:U>>:<<secret:P>>@h.example/x", "https://h.example/x",
     "<<secret:U>>", "<<secret:P>>"),
    ("https://pre<<secret:U>>:x<<secret:P>>%21@h.example", "https://h.example",
     "pre<<secret:U>>", "x<<secret:P>>!"),
    ("https://h.example/a@b", "https://h.example/a@b", None, None),
    ("no-scheme.example/x", "no-scheme.example/x", None, None),
])
def test_split_and_join_credentials(url: str, clean: str, user: str | None,
                                    password: str | None) -> None:
    assert split_credentials(url) == (clean, user, password)
    assert split_credentials(join_credentials(clean, user, password)) == (clean, user, password)


#: Passes the source format (an action's value is free-form there) but not the official schema.
STOP_MAYBE = """\
prompt: {text: Hi}
functions:
  - function: end
    description: End the call
    data_map:
      output:
        response: Bye
        action:
          - stop: maybe
"""


def test_relay_only_build_is_checked_against_the_official_schema(compile_agent: Any) -> None:
    """Without the swml target, the relay kwargs are still judged: as the ai verb the SDK
    sends for them, at the YAML line of the bad value."""
    result = compile_agent(STOP_MAYBE, targets=("relay",))
    errors = [d for d in result.diagnostics if d.severity.label == "error"]
    assert [(d.code, d.span.line) for d in errors] == [("SWC501", 9)]
    assert any("call.ai()" in n for n in errors[0].notes)


def test_relay_and_swml_together_report_a_schema_error_once(compile_agent: Any) -> None:
    result = compile_agent(STOP_MAYBE, targets=("swml", "relay"))
    assert [d.code for d in result.diagnostics if d.severity.label == "error"] == ["SWC501"]


def test_verbs_around_ai_are_said_to_stay_out_of_the_relay_target(compile_agent: Any) -> None:
    result = compile_agent(
        "prompt: {text: Hi}\nswml:\n  before: [{answer: {}}]\n  after: [{hangup: {}}]\n",
        targets=("relay",))
    assert result.ok
    said = [(d.code, d.severity.label, d.span.line) for d in result.diagnostics]
    assert said == [("SWC603", "info", 4)]  # the default 'before' is not worth a word


def test_ai_kwargs_with_secrets_binds_only_those_names(tmp_path: Path) -> None:
    """A relay file edited by hand to hold <<secret:AWS_SECRET_ACCESS_KEY>>: with the declared
    names given, that variable of the environment is reported unset, never bound."""
    path = tmp_path / "a.relay.json"
    path.write_text(json.dumps({
        "prompt": {"text": "<<secret:AWS_SECRET_ACCESS_KEY>>"},
        "post_prompt_url": "https://h.example/s",
        "post_prompt_auth_password": "<<secret:A_PASS>>"}), encoding="utf-8")
    env = {"A_PASS": "pw", "AWS_SECRET_ACCESS_KEY": "LEAKED"}
    with pytest.raises(UnboundSecretsError) as info:
        ai_kwargs(path, env=env, secrets=["A_PASS"])
    assert info.value.names == ["AWS_SECRET_ACCESS_KEY"]
    assert "LEAKED" not in str(info.value)
    path.write_text(json.dumps({"prompt": {"text": "x"}, "post_prompt_url": "https://h.example/s",
                                "post_prompt_auth_password": "<<secret:A_PASS>>"}))
    assert ai_kwargs(path, env=env, secrets=["A_PASS"])["post_prompt_auth_password"] == "pw"

"""HTTP fixtures as issue 14 describes them: a request matched by its expanded URL exactly or by
a glob, an entry without ``request`` answering any request, and ``--record`` leaving every
secret and credential out of the file it writes (over a real server on 127.0.0.1)."""

from __future__ import annotations

import json

import yaml

from tests.datamap.server import Answer, loopback

AGENT = """\
prompt: {text: You tell the weather.}
functions:
  - function: wx
    description: The weather.
    parameters: {type: object, properties: {city: {type: string}}}
    data_map:
      webhooks:
        - url: "URL/w?q=${enc:args.city}&units=metric"
          output: {response: "${now} in ${input.args.city}"}
"""


def _run(swmlc, city: str, *extra: str):
    return swmlc("exec", "w", "wx", "--city", city, "--format", "json", *extra)


def test_a_url_with_a_star_is_a_glob_over_the_expanded_url(project, swmlc) -> None:
    project({"agents/w.yaml": AGENT.replace("URL", "https://api.test"), "f.yaml": """\
fixtures:
  - request: {url: "https://api.test/w?q=Austin&units=metric"}
    response: {json: {now: Exact}}
  - request: {method: GET, url: "https://api.test/w?q=*&units=metric"}
    response: {json: {now: Globbed}}
"""})
    assert json.loads(_run(swmlc, "Austin", "--http", "f.yaml").stdout) == \
        {"response": "Exact in Austin"}
    assert json.loads(_run(swmlc, "São Paulo", "--http", "f.yaml").stdout) == \
        {"response": "Globbed in São Paulo"}


def test_a_glob_still_compares_the_rest_of_the_url(project, swmlc) -> None:
    project({"agents/w.yaml": AGENT.replace("URL", "https://api.test"), "f.yaml": """\
fixtures:
  - request: {url: "https://other.test/*"}
    response: {json: {now: Wrong}}
"""})
    result = _run(swmlc, "Austin", "--http", "f.yaml")
    assert result.exit_code == 1
    assert "no fixture answers GET https://api.test/w?q=Austin&units=metric" in result.stderr


def test_an_entry_without_request_answers_any_request(project, swmlc) -> None:
    project({"agents/w.yaml": AGENT.replace("URL", "https://api.test"), "f.yaml": """\
fixtures:
  - request: {url: "https://api.test/w?q=Austin&units=metric"}
    response: {json: {now: Exact}}
  - response: {status: 200, headers: {X-From: fixture}, json: {now: Anything}}
"""})
    assert json.loads(_run(swmlc, "Oslo", "--http", "f.yaml").stdout) == \
        {"response": "Anything in Oslo"}
    assert json.loads(_run(swmlc, "Austin", "--http", "f.yaml").stdout) == \
        {"response": "Exact in Austin"}


SECRET_AGENT = """\
prompt: {text: You tell the weather.}
functions:
  - function: wx
    description: The weather.
    parameters: {type: object, properties: {city: {type: string}}}
    data_map:
      webhooks:
        - url: "http://{{ secret('WX_USER') }}:{{ secret('WX_PASS') }}@HOST/w?\\
            q=${enc:args.city}&api_key={{ secret('WX_KEY') }}&appkey=lit-9876"
          headers: {X-Api-Token: "{{ secret('WX_HDR') }}"}
          params: {city: "${args.city}", token: "{{ secret('WX_KEY') }}", access_key: plain-5555}
          output: {response: "${now} in ${input.args.city}"}
"""

VALUES = {"WX_USER": "svc-user-31", "WX_PASS": "pa:ss/w0rd&1", "WX_KEY": "k&y=7731",
          "WX_HDR": "hdr-token-4410"}


def test_record_strips_secret_values_and_credentials(project, swmlc, monkeypatch) -> None:
    for name, value in VALUES.items():
        monkeypatch.setenv(name, value)
    with loopback() as server:
        # an echoing server (as httpbin is) sends the secrets back in its answer
        server.default = Answer(200, json.dumps({
            "now": "Fog", "seen": {"header": VALUES["WX_HDR"], "key": VALUES["WX_KEY"]},
            "session_token": "srv-tok-9"}).encode())
        host = server.base.removeprefix("http://")
        root = project({"agents/w.yaml": SECRET_AGENT.replace("HOST", host),
                        "swmlc.yaml": "secrets: [WX_USER, WX_PASS, WX_KEY, WX_HDR]\n"})
        live = _run(swmlc, "Oslo", "--live", "--allow-private-urls", "--record", "rec.yaml")
        assert live.exit_code == 0, live.output
        sent = server.seen[0]
        assert sent.headers["x-api-token"] == VALUES["WX_HDR"]  # the live run used them all
        assert "api_key=k%26y%3D7731" in sent.path
        again = _run(swmlc, "Oslo", "--live", "--allow-private-urls", "--record", "rec.yaml")
        assert again.exit_code == 0
    text = (root / "rec.yaml").read_text()
    for value in [*VALUES.values(), "k%26y%3D7731", "pa%3Ass", "lit-9876", "plain-5555",
                  "srv-tok-9"]:
        assert value not in text, value
    fixture = yaml.safe_load(text)["fixtures"]
    assert len(fixture) == 1  # recording again matched the placeholders: nothing added twice
    assert fixture[0]["request"] == {
        "method": "POST",
        "url": f"http://{host}/w?q=Oslo&api_key=<<secret:WX_KEY>>&appkey=*",
        "auth": {"user": "<<secret:WX_USER>>"},
        "json": {"city": "Oslo", "token": "<<secret:WX_KEY>>"}}
    assert fixture[0]["response"] == {"status": 200, "json": {
        "now": "Fog", "seen": {"header": "<<secret:WX_HDR>>", "key": "<<secret:WX_KEY>>"}}}
    for name in VALUES:
        monkeypatch.delenv(name)
    offline = _run(swmlc, "Oslo", "--http", "rec.yaml")    # the recording replays, no secret
    assert offline.exit_code == 0, offline.output
    assert json.loads(offline.stdout) == {"response": "Fog in Oslo"}
